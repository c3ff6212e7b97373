"""The product's story at the domain level: a project, its scenes and shots, the timeline."""

import copy
from datetime import datetime

import pytest

from domain.project.aggregate import Project
from domain.project.events import ProjectEvent
from domain.script.plan import PlannedScene, PlannedShot, ScriptPlan
from domain.timeline import playing_at, start_frames, total_frames, track_length


@pytest.fixture
def film(project, actor):
    """Two scenes; scene one holds shots a (121) and b (41), scene two holds c (81), all on V1."""
    one = project.add_scene(actor, "Platform")
    two = project.add_scene(actor, "Carriage")
    a = project.add_shot(actor, one, prompt="a train pulls in")
    b = project.add_shot(actor, one, frames=41, prompt="Mara steps off")
    c = project.add_shot(actor, two, frames=81, prompt="the carriage is empty")
    project.collect_events()
    return project, one, two, a, b, c


def starts(project):
    return start_frames(project.state)


# -- defaults ----------------------------------------------------------------------------------


def test_a_new_project_is_768_by_512_at_25_fps_with_seed_42(actor):
    settings = Project.create(actor, "Night Train").state.settings
    assert (settings.width, settings.height, settings.fps, settings.seed) == (768, 512, 25, 42)
    assert settings.style is None
    assert not settings.archived


def test_a_new_project_has_three_open_tracks_and_nothing_on_them(project):
    assert set(project.state.tracks) == {"V1", "V2", "A1"}
    assert not any(t.muted or t.locked or t.hidden for t in project.state.tracks.values())
    assert total_frames(project.state) == 0
    assert playing_at(project.state, 0) == {"V1": None, "V2": None, "A1": None}


def test_a_new_shot_takes_the_project_defaults(actor):
    project = Project.create(actor, "Vertical", width=512, height=896, fps=30, seed=7)
    scene = project.add_scene(actor, "Opening")
    shot_id = project.add_shot(actor, scene)
    shot = project.state.shots[shot_id]
    assert (shot.width, shot.height, shot.fps, shot.seed) == (512, 896, 30, 7)
    assert shot.num_frames == 121
    assert shot.cfg_scale == 3.0
    assert shot.num_inference_steps == 40
    assert shot.upscale is False
    assert shot.enhance_prompt is True
    assert shot.pipeline_override == "auto"
    assert shot.shot_type == "medium"
    assert (shot.track, shot.trim_in, shot.trim_out) == ("V1", 0, 0)
    assert (shot.takes, shot.active_take) == ((), None)


def test_a_shot_given_its_own_spec_keeps_it(project, actor):
    scene = project.add_scene(actor, "Opening")
    shot_id = project.add_shot(actor, scene, width=1024, seed=9, shot_type="wide", upscale=True)
    shot = project.state.shots[shot_id]
    assert (shot.width, shot.height, shot.seed) == (1024, 512, 9)
    assert (shot.shot_type, shot.upscale) == ("wide", True)


def test_changing_the_project_defaults_leaves_existing_shots_alone(film, actor):
    project, one, _, a, *_ = film
    project.change_settings(actor, width=1024, fps=24)
    assert (project.state.shots[a].width, project.state.shots[a].fps) == (768, 25)
    new_id = project.add_shot(actor, one)
    new = project.state.shots[new_id]
    assert (new.width, new.fps) == (1024, 24)


# -- V1, the magnetic track --------------------------------------------------------------------


def test_v1_plays_scenes_in_order_and_shots_in_scene_order(film):
    project, _, _, a, b, c = film
    assert starts(project) == {a: 0, b: 121, c: 162}
    assert track_length(project.state, "V1") == total_frames(project.state) == 243


def test_a_new_v1_shot_goes_at_the_end_of_its_scene_and_pushes_later_scenes(film, actor):
    project, one, _, a, b, c = film
    d = project.add_shot(actor, one, frames=9)
    assert project.state.shots[d].index == 2
    assert starts(project) == {a: 0, b: 121, d: 162, c: 171}


def test_trimming_a_v1_shot_ripples_the_later_shots(film, actor):
    project, _, _, a, b, c = film
    project.trim_shot(actor, a, trim_in=10, trim_out=11)
    assert starts(project) == {a: 0, b: 100, c: 141}
    assert total_frames(project.state) == 222


def test_splitting_a_v1_shot_keeps_the_timeline_and_gives_two_shots_over_the_same_media(
    film, actor
):
    project, _, _, a, b, c = film
    project.trim_shot(actor, a, trim_in=4, trim_out=6)
    before = project.state.shots[a]
    second = project.split_shot(actor, a, 30)
    first, new = project.state.shots[a], project.state.shots[second]
    assert first.num_frames == new.num_frames == before.num_frames == 121
    assert (first.trim_in, first.trim_out) == (4, 121 - (4 + 30))
    assert (new.trim_in, new.trim_out) == (4 + 30, 6)
    assert (first.visible_length, new.visible_length) == (30, 81)
    assert (new.prompt, new.seed, new.scene_id) == (first.prompt, first.seed, first.scene_id)
    assert (first.index, new.index, project.state.shots[b].index) == (0, 1, 2)
    assert starts(project) == {a: 0, second: 30, b: 111, c: 152}
    assert total_frames(project.state) == 233


def test_a_split_plays_the_same_media_frames_as_before(film, actor):
    project, *_, a, _b, _c = film
    project.trim_shot(actor, a, trim_in=4, trim_out=6)
    frames_before = [playing_at(project.state, f)["V1"][1] for f in range(0, 111)]
    second = project.split_shot(actor, a, 30)
    after = [playing_at(project.state, f)["V1"] for f in range(0, 111)]
    assert [frame for _, frame in after] == frames_before
    assert [shot for shot, _ in after] == [a] * 30 + [second] * 81


def test_moving_a_v1_shot_before_another_reorders_the_scene(film, actor):
    project, one, _, a, b, c = film
    project.move_shot(actor, b, before=a)
    assert [s.id for s in project.state.scene_shots(one)] == [b, a]
    assert starts(project) == {b: 0, a: 41, c: 162}


def test_moving_a_shot_before_one_in_another_scene_moves_it_to_that_scene(film, actor):
    project, one, two, a, b, c = film
    project.move_shot(actor, a, before=c)
    assert project.state.shots[a].scene_id == two
    assert [s.id for s in project.state.scene_shots(one)] == [b]
    assert [s.id for s in project.state.scene_shots(two)] == [a, c]
    assert [s.index for s in project.state.scene_shots(one)] == [0]
    assert starts(project) == {b: 0, a: 41, c: 162}


def test_moving_a_shot_later_in_its_own_scene_lands_before_the_anchor(film, actor):
    project, one, _, a, b, _ = film
    d = project.add_shot(actor, one, frames=9)
    project.move_shot(actor, a, before=d)
    assert [s.id for s in project.state.scene_shots(one)] == [b, a, d]


def test_removing_a_v1_shot_closes_the_gap(film, actor):
    project, _, _, a, b, c = film
    project.remove_shot(actor, a)
    assert starts(project) == {b: 0, c: 41}
    assert project.state.shots[b].index == 0


def test_moving_a_shot_off_v1_keeps_it_where_it_played_and_closes_the_gap(film, actor):
    project, _, _, a, b, c = film
    project.move_shot(actor, b, track="V2")
    assert project.state.shots[b].start_frame == 121
    assert starts(project) == {a: 0, c: 121, b: 121}
    assert total_frames(project.state) == 202


def test_reordering_scenes_reorders_v1(film, actor):
    project, one, two, a, b, c = film
    project.reorder_scenes(actor, [two, one])
    assert starts(project) == {c: 0, a: 81, b: 202}


def test_a_scene_added_at_the_front_plays_first(film, actor):
    project, one, two, a, *_ = film
    opening = project.add_scene(actor, "Opening", index=0)
    assert [s.id for s in project.state.ordered_scenes()] == [opening, one, two]
    d = project.add_shot(actor, opening, frames=25)
    assert starts(project)[d] == 0
    assert starts(project)[a] == 25


def test_removing_a_scene_removes_its_shots(film, actor):
    project, one, two, a, b, c = film
    removed = project.remove_scene(actor, one)
    assert set(removed) == {a, b}
    assert set(project.state.shots) == {c}
    assert set(project.state.scenes) == {two}
    assert project.state.scenes[two].index == 0
    assert starts(project) == {c: 0}
    (event,) = project.collect_events()
    assert "2 shot(s)" in event.summary()


# -- V2 and A1 keep their place ----------------------------------------------------------------


def test_v2_and_a1_shots_keep_their_start_frame_through_v1_edits(film, actor):
    project, one, _, a, b, c = film
    overlay = project.add_shot(actor, one, track="V2", start_frame=100, frames=49)
    music = project.add_shot(actor, one, track="A1", start_frame=0, frames=241)
    project.trim_shot(actor, a, trim_in=50)
    project.split_shot(actor, b, 20)
    project.remove_shot(actor, c)
    project.move_shot(actor, b, before=a)
    assert starts(project)[overlay] == 100
    assert starts(project)[music] == 0
    assert total_frames(project.state) == 241


def test_a_shot_added_to_v2_without_a_start_goes_at_the_end_of_v2(film, actor):
    project, one, *_ = film
    first = project.add_shot(actor, one, track="V2", start_frame=30, frames=17)
    second = project.add_shot(actor, one, track="V2")
    assert starts(project)[first] == 30
    assert starts(project)[second] == 47


def test_moving_a_v2_shot_sets_its_start_frame(film, actor):
    project, one, *_ = film
    overlay = project.add_shot(actor, one, track="V2", start_frame=10)
    project.move_shot(actor, overlay, start_frame=500)
    assert starts(project)[overlay] == 500
    assert total_frames(project.state) == 621


def test_splitting_a_v2_shot_puts_the_second_part_where_it_played(film, actor):
    project, one, *_ = film
    overlay = project.add_shot(actor, one, track="V2", start_frame=10, frames=41)
    second = project.split_shot(actor, overlay, 15)
    assert starts(project)[overlay] == 10
    assert starts(project)[second] == 25
    assert playing_at(project.state, 24)["V2"] == (overlay, 14)
    assert playing_at(project.state, 25)["V2"] == (second, 15)


def test_where_v2_clips_overlap_the_one_that_starts_last_is_on_top(film, actor):
    project, one, *_ = film
    under = project.add_shot(actor, one, track="V2", start_frame=0, frames=41)
    over = project.add_shot(actor, one, track="V2", start_frame=20, frames=9)
    assert playing_at(project.state, 19)["V2"] == (under, 19)
    assert playing_at(project.state, 20)["V2"] == (over, 0)
    assert playing_at(project.state, 29)["V2"] == (under, 29)


def test_a_moved_v1_shot_put_back_on_v1_plays_in_scene_order(film, actor):
    project, _, _, a, b, c = film
    project.move_shot(actor, a, track="A1", start_frame=1000)
    project.move_shot(actor, a, track="V1")
    assert starts(project) == {a: 0, b: 121, c: 162}


def test_moving_a_split_v1_shot_to_where_it_already_is_records_nothing(film, actor):
    project, _, _, a, *_ = film
    second = project.split_shot(actor, a, 30)
    project.collect_events()
    assert project.state.shots[second].start_frame == 0
    project.move_shot(actor, second, track="V1")
    assert project.pending_events == []


# -- tracks, styles, elements ------------------------------------------------------------------


def test_tracks_can_be_muted_locked_and_hidden(project, actor):
    project.set_track(actor, "A1", muted=True)
    project.set_track(actor, "V2", hidden=True, locked=True)
    tracks = project.state.tracks
    assert tracks["A1"].muted and not tracks["A1"].locked
    assert tracks["V2"].hidden and tracks["V2"].locked
    assert [e.summary() for e in project.collect_events()] == [
        "track A1: muted False→True",
        "track V2: hidden False→True, locked False→True",
    ]


def test_a_project_can_take_a_defined_style_and_drop_it(project, actor):
    project.define_style(actor, "noir", prompt_additions="high contrast, black and white")
    project.change_settings(actor, style="noir")
    assert project.state.settings.style == "noir"
    project.change_settings(actor, style="none")
    assert project.state.settings.style is None


def test_redefining_a_style_the_same_way_records_nothing(project, actor):
    project.define_style(actor, "noir", prompt_additions="grain")
    project.collect_events()
    project.define_style(actor, "noir", prompt_additions="grain")
    assert project.pending_events == []
    project.define_style(actor, "noir", prompt_additions="more grain")
    (event,) = project.collect_events()
    assert event.summary() == "redefined style preset 'noir'"


def test_an_element_version_rises_on_every_change(project, actor):
    mara = project.define_element(actor, "Mara", "character", description="a conductor")
    versions = [project.state.elements[mara].version]
    project.change_element(actor, mara, description="a tired conductor")
    versions.append(project.state.elements[mara].version)
    project.change_element(actor, mara, image="/looks/mara.png")
    versions.append(project.state.elements[mara].version)
    project.change_element(actor, "@Mara", name="Mara Vos", trigger_word="@Vos")
    versions.append(project.state.elements[mara].version)
    project.change_element(actor, mara, image="")
    versions.append(project.state.elements[mara].version)
    assert versions == [1, 2, 3, 4, 5]
    assert project.state.elements[mara].image is None
    project.change_element(actor, mara, description="a tired conductor")
    assert project.state.elements[mara].version == 5


def test_a_removed_element_frees_its_trigger_word(project, actor):
    mara = project.define_element(actor, "Mara", "character")
    project.remove_element(actor, "@Mara")
    assert mara not in project.state.elements
    project.define_element(actor, "Mara", "character")


def test_an_archived_project_keeps_its_state(film, actor):
    project, *_ = film
    state = project.state
    project.archive(actor)
    assert project.state.settings.archived
    assert project.state.shots == state.shots
    project.archive(actor, archived=False)
    assert not project.state.settings.archived


def test_a_branch_starts_equal_to_its_origin_at_that_version_and_remembers_it(film, actor):
    project, *_ = film
    at = copy.deepcopy(project)
    project.remove_shot(actor, next(iter(project.state.shots)))
    branch = Project.branch(project.id.hex, at, actor, "Alternate cut")
    assert branch.id != project.id
    assert branch.state.settings.name == "Alternate cut"
    assert branch.state.shots == at.state.shots
    assert branch.state.scenes == at.state.scenes
    assert branch.state.origin.project_id == project.id.hex
    assert branch.state.origin.version == at.version
    assert branch.version == 1
    (event,) = branch.collect_events()
    assert f"at v{at.version}" in event.summary()


# -- events ------------------------------------------------------------------------------------


def tell_the_whole_story(log) -> list[ProjectEvent]:
    """One edit of every kind, then undo, redo and restore; every event recorded."""
    start = copy.deepcopy(log.project)
    log.do("change_settings", name="Night Train II", seed=7)
    log.do("set_track", "A1", muted=True)
    one = log.do("add_scene", "Platform")
    two = log.do("add_scene", "Carriage")
    log.do("rename_scene", two, "Dining car")
    log.do("reorder_scenes", [two, one])
    a = log.do("add_shot", one, prompt="a train pulls in")
    b = log.do("add_shot", one)
    log.do("change_shot", a, prompt="a night train pulls in", cfg=4)
    log.do("trim_shot", a, 5, 5)
    log.do("add_shot_lora", a, "/loras/dolly.safetensors", 0.5)
    log.do("remove_shot_lora", a, "dolly.safetensors")
    take = {
        "id": "t1",
        "job_id": "j1",
        "path": "/media/t1.mp4",
        "sha256": "00",
        "num_frames": 121,
        "width": 768,
        "height": 512,
    }
    log.do("add_take", a, take)
    log.do("add_concept_art", a, "c0ffee", "/media/projects/p/concept/c0ffee.png")
    log.do("split_shot", a, 20)
    log.do("move_shot", b, track="V2", start_frame=12)
    log.do("reorder_shots", one, [s.id for s in reversed(log.state.scene_shots(one))])
    log.do("remove_shot", b)
    log.do("remove_scene", two)
    mara = log.do("define_element", "Mara", "character")
    log.do("change_element", mara, description="a conductor")
    log.do("add_element_lora", mara, "/loras/mara.safetensors")
    log.do("remove_element_lora", mara, "mara.safetensors")
    for job in ("1" * 32, "2" * 32):  # the first look is chosen by itself, the second by hand
        look = {"id": job, "job_id": job, "kind": "visualize", "path": f"/m/{job}.png"}
        log.do("add_look", mara, {**look, "sha256": "b" * 64, "prompt": "a conductor"})
    log.do("choose_look", mara, "2" * 32)
    log.do("remove_element", mara)
    log.do("define_style", "noir")
    asset = log.do(
        "add_asset", kind="image", path="/m/a.png", sha256="a" * 64, source={"import": "/a"}
    )
    log.do("delete_asset", asset, [])
    beat = PlannedShot(key="soup", action="Soup spills.")
    scene = PlannedScene(key="dining", name="Dining car", shots=(beat,))
    log.do("import_script", ScriptPlan(mode="freeform", scenes=(scene,)))
    log.undo()
    log.redo()
    log.do("restore", start)
    log.do("archive")
    return log.events


def test_every_kind_of_event_carries_who_and_when(log, actor):
    for event in tell_the_whole_story(log):
        assert event.actor == actor
        assert isinstance(event.timestamp, datetime)
        assert event.timestamp.tzinfo is not None


def test_every_kind_of_event_has_a_one_line_summary(log, actor):
    branch = Project.branch(log.project.id.hex, log.project, actor, "Alternate")
    events = [*branch.collect_events(), *tell_the_whole_story(log)]
    import domain.project.events as module

    every_kind = {
        name
        for name in module.__all__
        if name != "ProjectEvent" and issubclass(getattr(module, name), ProjectEvent)
    }
    assert {type(e).__name__ for e in events} == every_kind
    for event in events:
        summary = event.summary()
        assert summary.strip(), type(event).__name__
        assert "\n" not in summary, summary
        assert summary != type(event).__name__, "a summary should say more than the type"


def test_summaries_name_what_changed(film, actor):
    project, _, _, a, *_ = film
    project.trim_shot(actor, a, trim_in=3, trim_out=4)
    project.change_shot(actor, a, prompt="a very long prompt that goes on and on")
    trimmed, changed = project.collect_events()
    assert trimmed.summary() == f"trimmed shot {a[:8]}: in 0→3, out 0→4"
    assert changed.summary().startswith(f"shot {a[:8]}: prompt 'a train pulls in'→")
    assert changed.summary().endswith("...")


def test_events_rebuild_the_same_state_they_were_recorded_from(log):
    tell_the_whole_story(log)
    assert log.replayed() == log.state
    assert log.replayed(log.version) == log.states[-1] == log.state
