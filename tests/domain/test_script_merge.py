"""Importing a screenplay into a project: a re-import merges, never replaces, and is one step."""

import pytest

from domain.errors import TrackLocked
from domain.project.script_merge import EmptyScript, frames_for, merge_script
from domain.project.script_result import ImportResult
from domain.script.plan import PlannedScene, PlannedShot, ProposedElement, ScriptPlan

SOURCE = {"file": "night-train.fountain", "sha256": "ab" * 32}


def beat(key: str, action: str = "", **fields: object) -> PlannedShot:
    return PlannedShot(key=key, action=action, **fields)  # type: ignore[arg-type]


def platform(*beats: PlannedShot) -> PlannedScene:
    return PlannedScene(
        key="platform", name="Platform", heading="EXT. PLATFORM - NIGHT", shots=beats
    )


CARRIAGE = PlannedScene(
    key="carriage",
    name="Carriage",
    heading="INT. CARRIAGE - NIGHT",
    synopsis="Mara finds the seat taken.",
    shots=(
        beat("c1", "Mara walks the aisle.", shot_type="tracking", duration_seconds=3.0),
        beat("c2", dialogue="Is this seat free?", character="MARA", shot_type="close_up"),
    ),
)


def plan(*scenes: PlannedScene, elements: tuple[ProposedElement, ...] = ()) -> ScriptPlan:
    return ScriptPlan(mode="fountain", scenes=scenes, elements_proposed=elements)


FIRST = plan(
    platform(
        beat("p1", "Steam rolls over the empty platform.", shot_type="establishing"),
        beat("p2", "Mara checks the clock.", duration_seconds=2.0),
    ),
    CARRIAGE,
    elements=(
        ProposedElement(name="Mara", type="character", trigger_word="@Mara", occurrences=3),
        ProposedElement(name="Platform", type="location", trigger_word="@Platform"),
    ),
)


def shots_by_key(state):  # type: ignore[no-untyped-def]
    return {s.beat.key: s for s in state.shots.values() if s.beat}


def scene_order(state, scene_id):  # type: ignore[no-untyped-def]
    return [s.beat.key if s.beat else s.id for s in state.scene_shots(scene_id)]


def test_the_first_import_builds_scenes_shots_and_elements_as_one_event(log):
    result = log.do("import_script", FIRST, False, SOURCE)
    assert log.version == 2
    event = log.events[-1]
    assert type(event).__name__ == "ScriptImported"
    assert event.source == {**SOURCE, "mode": "fountain"}
    assert event.counts["shots_added"] == 4
    assert event.summary().startswith("imported night-train.fountain (fountain): +2 scene(s)")

    scenes = log.state.ordered_scenes()
    assert [(s.name, s.heading, s.script_key) for s in scenes] == [
        ("Platform", "EXT. PLATFORM - NIGHT", "platform"),
        ("Carriage", "INT. CARRIAGE - NIGHT", "carriage"),
    ]
    assert scenes[1].synopsis == "Mara finds the seat taken."
    assert scene_order(log.state, scenes[0].id) == ["p1", "p2"]
    shots = shots_by_key(log.state)
    assert shots["p1"].shot_type == "establishing"
    assert shots["p1"].num_frames == 105, "4 s × 25 fps = 100 frames, up to 8k+1"
    assert shots["p2"].num_frames == 57
    assert shots["c2"].dialogue == "Is this seat free?" and shots["c2"].character == "MARA"
    assert all(s.prompt == "" and s.track == "V1" for s in shots.values())
    assert {(e.name, e.trigger_word, e.type) for e in log.state.elements.values()} == {
        ("Mara", "@Mara", "character"),
        ("Platform", "@Platform", "location"),
    }
    assert result.counts() == event.counts
    assert [o.key for o in result.added] == ["p1", "p2", "c1", "c2"]


def test_the_events_alone_rebuild_what_the_merge_computed(log):
    preview_state, _ = merge_script(log.state, FIRST, False)
    log.do("import_script", FIRST, False, SOURCE)
    assert log.replayed() == log.state

    def content(state):  # type: ignore[no-untyped-def]
        # Same values; only the new ids differ between the two runs of the merge.
        return sorted(repr(s.model_dump(exclude={"id", "scene_id"})) for s in state.shots.values())

    assert content(preview_state) == content(log.state)


def test_a_reimport_keeps_what_the_user_edited_and_follows_the_script_elsewhere(log):
    log.do("import_script", FIRST, False, SOURCE)
    p2 = shots_by_key(log.state)["p2"]
    log.do("change_shot", p2.id, action="Mara glances at the station clock.", seed=7)

    revised = plan(
        platform(
            beat("p1", "Steam rolls over the platform.", shot_type="wide"),
            beat("p2", "Mara checks her watch.", shot_type="close_up", duration_seconds=2.0),
        ),
        CARRIAGE,
    )
    result = log.do("import_script", revised, False, SOURCE)

    shots = shots_by_key(log.state)
    assert shots["p2"].action == "Mara glances at the station clock.", "the user's edit stays"
    assert shots["p2"].shot_type == "close_up", "an unedited field follows the script"
    assert shots["p2"].seed == 7
    assert shots["p1"].action == "Steam rolls over the platform."
    assert shots["p1"].shot_type == "wide"
    updated = {o.key: o for o in result.updated}
    assert set(updated) == {"p1", "p2"}
    assert updated["p2"].kept_edits == ("action",)
    assert updated["p2"].updated_fields == ("shot_type",)
    assert [o.key for o in result.kept] == ["c1", "c2"]
    assert result.added == () and result.gone == ()

    # The edit is still the user's on the next import: the script's value is remembered.
    log.do("import_script", revised, False, SOURCE)
    assert shots_by_key(log.state)["p2"].action == "Mara glances at the station clock."


def test_an_edit_that_the_script_later_agrees_with_is_the_scripts_again(log):
    log.do("import_script", FIRST, False, SOURCE)
    p1 = shots_by_key(log.state)["p1"]
    log.do("change_shot", p1.id, action="Fog on the platform.")
    agreed = plan(platform(beat("p1", "Fog on the platform."), FIRST.scenes[0].shots[1]))
    log.do("import_script", agreed, False, SOURCE)
    later = plan(platform(beat("p1", "Rain on the platform."), FIRST.scenes[0].shots[1]))
    log.do("import_script", later, False, SOURCE)
    assert shots_by_key(log.state)["p1"].action == "Rain on the platform."


def test_new_beats_go_in_at_their_place_in_the_scene(log):
    log.do("import_script", FIRST, False, SOURCE)
    platform_id = log.state.ordered_scenes()[0].id
    longer = plan(
        platform(
            beat("p0", "A pigeon lands."),
            FIRST.scenes[0].shots[0],
            beat("p1b", "The board flips to DELAYED."),
            FIRST.scenes[0].shots[1],
            beat("p3", "The train arrives.", duration_seconds=6.0),
        ),
        CARRIAGE,
    )
    result = log.do("import_script", longer, False, SOURCE)
    assert scene_order(log.state, platform_id) == ["p0", "p1", "p1b", "p2", "p3"]
    assert [o.key for o in result.added] == ["p0", "p1b", "p3"]
    assert shots_by_key(log.state)["p3"].num_frames == 153
    assert len(log.state.scenes) == 2


def test_a_new_scene_goes_in_at_its_place_in_the_script(log):
    log.do("import_script", FIRST, False, SOURCE)
    station = PlannedScene(
        key="hall",
        name="Hall",
        heading="INT. STATION HALL - NIGHT",
        shots=(beat("h1", "Echoing footsteps."),),
    )
    log.do("import_script", plan(FIRST.scenes[0], station, CARRIAGE), False, SOURCE)
    assert [s.name for s in log.state.ordered_scenes()] == ["Platform", "Hall", "Carriage"]
    assert [s.index for s in log.state.ordered_scenes()] == [0, 1, 2]


def test_gone_beats_are_listed_and_removed_only_with_prune(log):
    log.do("import_script", FIRST, False, SOURCE)
    shorter = plan(platform(FIRST.scenes[0].shots[0]), CARRIAGE)
    p2 = shots_by_key(log.state)["p2"].id

    kept = log.do("import_script", shorter, False, SOURCE)
    assert [(o.key, o.shot_id) for o in kept.gone] == [("p2", p2)]
    assert kept.removed == () and kept.counts()["shots_removed"] == 0
    assert p2 in log.state.shots, "never removed silently"

    pruned = log.do("import_script", shorter, True, SOURCE)
    assert [o.key for o in pruned.removed] == ["p2"]
    assert p2 not in log.state.shots
    platform_id = log.state.ordered_scenes()[0].id
    assert [s.index for s in log.state.scene_shots(platform_id)] == [0]


def test_a_scene_gone_from_the_script_is_removed_with_prune_only_when_empty(log):
    log.do("import_script", FIRST, False, SOURCE)
    carriage_id = log.state.ordered_scenes()[1].id
    log.do("add_shot", carriage_id, prompt="my own insert of the ticket")
    only_platform = plan(FIRST.scenes[0])
    result = log.do("import_script", only_platform, True, SOURCE)
    assert result.scenes_gone == ("Carriage",)
    assert result.scenes_removed == (), "it still holds a shot made by hand"
    assert carriage_id in log.state.scenes

    log.do("remove_shot", log.state.scene_shots(carriage_id)[0].id)
    log.do("import_script", FIRST, False, SOURCE)  # brings the carriage beats back
    assert len(log.state.scene_shots(carriage_id)) == 2
    result = log.do("import_script", only_platform, True, SOURCE)
    assert result.scenes_removed == ("Carriage",)
    assert [s.name for s in log.state.ordered_scenes()] == ["Platform"]


def test_shots_made_by_hand_are_never_touched(log):
    scene = log.do("add_scene", "Platform", heading="EXT. PLATFORM - NIGHT")
    mine = log.do("add_shot", scene, prompt="my hand-made opener", frames=49)
    log.do("import_script", FIRST, False, SOURCE)
    assert len(log.state.scenes) == 2, "the hand-made scene was matched by its heading"
    assert log.state.scenes[scene].script_key == "platform"
    assert scene_order(log.state, scene) == [mine, "p1", "p2"]
    before = log.state.shots[mine]

    log.do("import_script", plan(CARRIAGE), True, SOURCE)  # prunes the platform's beats
    after = log.state.shots[mine]
    assert after == before.replace(index=0)
    assert scene_order(log.state, scene) == [mine]


def test_one_undo_reverts_the_whole_import_and_redo_reapplies_it(log):
    scene = log.do("add_scene", "Prologue")
    log.do("add_shot", scene, prompt="titles")
    before = log.state
    log.do("import_script", FIRST, False, SOURCE)
    imported = log.state

    assert log.undo() == 4
    # Element versions only rise, even through undo (see ProjectState.element_clock).
    assert log.state == before.replace(element_clock=1)
    assert log.events[-1].summary() == "undid v4 ScriptImported"
    assert log.redo() == 4
    assert log.state == imported

    # A re-import with --prune is one step too.
    log.do("import_script", plan(CARRIAGE), True, SOURCE)
    assert log.undo() == 7
    assert log.state == imported


def test_an_empty_plan_is_rejected_and_records_nothing(log):
    version = log.version
    with pytest.raises(EmptyScript):
        log.do("import_script", ScriptPlan(mode="freeform"), False, SOURCE)
    with pytest.raises(EmptyScript):
        log.do("import_script", plan(PlannedScene(key="k", name="Empty")), False, SOURCE)
    assert log.version == version


def test_an_import_that_would_change_a_locked_track_is_rejected_whole(log):
    log.do("import_script", FIRST, False, SOURCE)
    log.do("set_track", "V1", locked=True)
    version = log.version
    with pytest.raises(TrackLocked, match="V1 is locked"):
        log.do("import_script", plan(CARRIAGE), True, SOURCE)
    with pytest.raises(TrackLocked):
        merge_script(log.state, plan(platform(beat("new", "x"))), False)
    assert log.version == version
    # Nothing to change on the locked track: fine.
    log.do("import_script", FIRST, False, SOURCE)
    assert log.version == version


def test_an_identical_reimport_records_nothing(log):
    log.do("import_script", FIRST, False, SOURCE)
    version = log.version
    result = log.do("import_script", FIRST, False, SOURCE)
    assert log.version == version
    assert result.counts()["shots_kept"] == 4
    assert result.elements_existing == ("Mara", "Platform")


def test_a_proposed_element_is_created_only_when_none_has_its_name(log):
    log.do("define_element", "mara", "character", trigger_word="@Mara", description="red coat")
    log.do("define_element", "Guard", "character", trigger_word="@Platform")
    result = log.do("import_script", FIRST, False, SOURCE)
    assert result.elements_added == ("Platform",)
    assert result.elements_existing == ("Mara",)
    names = {e.name: e.trigger_word for e in log.state.elements.values()}
    assert names == {"mara": "@Mara", "Guard": "@Platform", "Platform": "@Platform2"}


def test_the_preview_is_what_the_import_does(log):
    log.do("import_script", FIRST, False, SOURCE)
    p2 = shots_by_key(log.state)["p2"]
    log.do("change_shot", p2.id, action="edited")
    revised = plan(
        platform(beat("p0", "new"), beat("p2", "Mara checks the time.", duration_seconds=2.0)),
        elements=(ProposedElement(name="Guard", type="character", trigger_word="@Guard"),),
    )
    _, preview = merge_script(log.state, revised, True)
    result = log.do("import_script", revised, True, SOURCE)

    def without_new_ids(r: ImportResult) -> dict:  # type: ignore[type-arg]
        data = r.model_dump()
        for outcome in data["added"]:
            outcome["shot_id"] = ""
        return data

    assert without_new_ids(preview) == without_new_ids(result)
    assert preview.counts() == {
        "scenes_added": 0,
        "scenes_updated": 0,
        "scenes_removed": 1,
        "shots_added": 1,
        "shots_updated": 0,
        "shots_kept": 1,
        "shots_gone": 3,
        "shots_removed": 3,
        "elements_added": 1,
    }


def test_a_new_length_that_the_users_trims_cannot_take_keeps_the_old_one(log):
    log.do("import_script", FIRST, False, SOURCE)
    p1 = shots_by_key(log.state)["p1"]
    log.do("trim_shot", p1.id, trim_in=50, trim_out=40)
    shorter = plan(
        platform(
            beat(
                "p1",
                FIRST.scenes[0].shots[0].action,
                shot_type="establishing",
                duration_seconds=1.0,
            )
        )
    )
    result = log.do("import_script", shorter, False, SOURCE)
    assert shots_by_key(log.state)["p1"].num_frames == 105
    assert result.kept[0].kept_edits == ("num_frames",)


@pytest.mark.parametrize(
    ("seconds", "fps", "frames"),
    [(4.0, 25, 105), (0.1, 25, 9), (0.2, 30, 9), (1.0, 24, 25), (5.0, 24, 121), (1.35, 30, 41)],
)
def test_a_beats_length_is_rounded_up_to_8k_plus_1(seconds, fps, frames):
    assert frames_for(seconds, fps) == frames
    assert frames >= seconds * fps and (frames - 1) % 8 == 0


def test_a_split_or_moved_imported_shot_is_still_its_beat(log):
    log.do("import_script", FIRST, False, SOURCE)
    shots = shots_by_key(log.state)
    half = log.do("split_shot", shots["p1"].id, 50)
    carriage_id = log.state.ordered_scenes()[1].id
    log.do("move_shot", shots["p2"].id, before=shots_by_key(log.state)["c1"].id)

    renamed = plan(
        platform(
            beat("p1", "Steam over the platform.", shot_type="establishing"),
            beat("p2", "Mara checks the clock.", duration_seconds=2.0, shot_type="wide"),
        ),
        CARRIAGE,
    )
    result = log.do("import_script", renamed, False, SOURCE)
    assert result.added == () and result.gone == ()
    assert log.state.shots[half].action == "Steam over the platform."
    assert log.state.shots[shots["p1"].id].action == "Steam over the platform."
    p2 = log.state.shots[shots["p2"].id]
    assert (p2.scene_id, p2.shot_type) == (carriage_id, "wide"), "it stays where the user put it"


HELP = beat("p2", dialogue="Then let me help you.", character="KAI")
STEAM, NOD = FIRST.scenes[0].shots[0], beat("p3", "Mara nods.")
TAKE = {
    "id": "t1",
    "job_id": "j1",
    "path": "/media/t1.mp4",
    "sha256": "00",
    "num_frames": 105,
    "width": 768,
    "height": 512,
}


def help_line(log):  # type: ignore[no-untyped-def]
    log.do("import_script", plan(platform(STEAM, HELP, NOD)), False, SOURCE)
    return shots_by_key(log.state)["p2"].id


def test_an_edited_line_updates_its_shot_and_keeps_its_takes(log):
    shot_id = help_line(log)
    log.do("add_take", shot_id, TAKE)
    log.do("trim_shot", shot_id, 8, 16)
    before = log.state
    edited = plan(
        platform(STEAM, beat("p2e", dialogue="Then let me help you, Mara.", character="KAI"), NOD)
    )
    _, preview = merge_script(log.state, edited, False)
    result = log.do("import_script", edited, False, SOURCE)

    assert preview == result
    shot = log.state.shots[shot_id]
    assert shot.dialogue == "Then let me help you, Mara." and shot.beat.key == "p2e"
    assert shot.takes == before.shots[shot_id].takes and len(shot.takes) == 1
    assert (shot.trim_in, shot.trim_out) == (8, 16)
    assert result.added == () and result.gone == ()
    assert [(o.key, o.shot_id, o.previous_key, o.updated_fields) for o in result.updated] == [
        ("p2e", shot_id, "p2", ("dialogue",))
    ]
    assert scene_order(log.state, shot.scene_id) == ["p1", "p2e", "p3"]
    version = log.version
    log.do("import_script", edited, False, SOURCE)
    assert log.version == version, "the shot now has the edited line's key"
    log.undo()
    assert log.state == before, "one undo reverts the import"


def test_an_edited_line_keeps_the_users_own_edit_of_that_field(log):
    shot_id = help_line(log)
    log.do("change_shot", shot_id, dialogue="Let me help.")
    edited = plan(
        platform(STEAM, beat("p2e", dialogue="Then let me help you, Mara.", character="KAI"), NOD)
    )
    result = log.do("import_script", edited, False, SOURCE)
    assert log.state.shots[shot_id].dialogue == "Let me help."
    assert log.state.shots[shot_id].beat.dialogue == "Then let me help you, Mara."
    assert [(o.shot_id, o.previous_key, o.kept_edits) for o in result.updated] == [
        (shot_id, "p2", ("dialogue",))
    ]
    assert result.added == () and result.gone == ()


def test_a_wholly_different_line_is_a_new_shot_and_the_old_one_gone(log):
    shot_id = help_line(log)
    other = plan(platform(STEAM, beat("p2x", dialogue="Who sent you here?", character="KAI"), NOD))
    result = log.do("import_script", other, False, SOURCE)
    assert [o.key for o in result.added] == ["p2x"]
    assert [(o.key, o.shot_id) for o in result.gone] == [("p2", shot_id)]
    assert result.updated == ()


def test_similar_edited_lines_of_a_scene_pair_in_order(log):
    log.do(
        "import_script",
        plan(
            platform(
                beat("a", dialogue="I'm going home now.", character="MARA"),
                NOD,
                beat("b", dialogue="I'm going home later.", character="MARA"),
            )
        ),
        False,
        SOURCE,
    )
    ids = {key: shot.id for key, shot in shots_by_key(log.state).items()}
    edited = plan(
        platform(
            beat("a2", dialogue="I'm going home now, Tom.", character="MARA"),
            NOD,
            beat("b2", dialogue="I'm going home later, Tom.", character="MARA"),
        )
    )
    result = log.do("import_script", edited, False, SOURCE)
    assert {o.key: o.shot_id for o in result.updated} == {"a2": ids["a"], "b2": ids["b"]}
    assert result.added == () and result.gone == ()
    assert scene_order(log.state, log.state.ordered_scenes()[0].id) == ["a2", "p3", "b2"]


def test_a_line_given_to_another_character_is_not_the_same_beat(log):
    shot_id = help_line(log)
    moved = plan(
        platform(STEAM, beat("p2m", dialogue="Then let me help you.", character="MARA"), NOD)
    )
    result = log.do("import_script", moved, False, SOURCE)
    assert [o.key for o in result.added] == ["p2m"]
    assert [o.shot_id for o in result.gone] == [shot_id]
    assert log.state.shots[shot_id].character == "KAI"


LIGHTHOUSE = """INT. LIGHTHOUSE - NIGHT

The lamp turns slowly over the black sea.

MARA
Someone has to keep it lit.

Kai climbs the last stair, out of breath.

EXT. HARBOUR - DAWN

Gulls circle the empty boats.
"""
TOWER = LIGHTHOUSE.replace("INT. LIGHTHOUSE - NIGHT", "INT. LIGHTHOUSE TOWER - NIGHT")


def parsed(text: str) -> ScriptPlan:
    from domain.script import parse_script

    return parse_script(text, "fountain")


def lighthouse(log):  # type: ignore[no-untyped-def]
    log.do("import_script", parsed(LIGHTHOUSE), False, SOURCE)
    scene = log.state.ordered_scenes()[0]
    assert (scene.name, scene.heading) == ("Lighthouse - Night", "INT. LIGHTHOUSE - NIGHT")
    return scene, log.state.scene_shots(scene.id)


def test_a_renamed_heading_updates_its_scene_in_place_and_keeps_every_shot(log):
    scene, shots = lighthouse(log)
    log.do("add_take", shots[1].id, TAKE)
    log.do("change_shot", shots[2].id, action="Kai reaches the top.", seed=7)
    before = log.state
    tower = parsed(TOWER)
    assert tower.scenes[0].key != scene.script_key, "the heading gives the scene's key"

    _, preview = merge_script(log.state, tower, True)
    result = log.do("import_script", tower, True, SOURCE)

    assert preview == result.replace(version=None)
    assert result.scenes_added == () and result.scenes_gone == () and result.scenes_removed == ()
    assert result.scenes_updated == ("Lighthouse Tower - Night",)
    assert result.added == () and result.gone == () and result.removed == ()
    after = log.state.scenes[scene.id]
    assert (after.name, after.heading, after.script_key) == (
        "Lighthouse Tower - Night",
        "INT. LIGHTHOUSE TOWER - NIGHT",
        tower.scenes[0].key,
    )
    assert len(log.state.scenes) == 2
    assert [s.id for s in log.state.scene_shots(scene.id)] == [s.id for s in shots]
    assert log.state.shots[shots[1].id].takes == before.shots[shots[1].id].takes
    kai = log.state.shots[shots[2].id]
    assert (kai.action, kai.seed) == ("Kai reaches the top.", 7), "the user's edits stay"
    assert kai.beat.key == tower.scenes[0].shots[2].key
    assert {o.shot_id: o.previous_key for o in result.updated} == {
        s.id: before.shots[s.id].beat.key for s in shots
    }
    assert [o.scene for o in result.updated] == ["Lighthouse Tower - Night"] * 3

    version = log.version
    log.do("import_script", tower, False, SOURCE)
    assert log.version == version, "the scene and its shots now have the new keys"
    log.undo()
    assert log.state == before, "one undo reverts the import"


def test_a_renamed_heading_and_an_edited_line_in_its_scene(log):
    scene, shots = lighthouse(log)
    edited = parsed(
        TOWER.replace("Someone has to keep it lit.", "Someone has to keep it lit, Kai.")
    )
    result = log.do("import_script", edited, False, SOURCE)
    assert result.added == () and result.gone == () and result.scenes_added == ()
    assert [s.id for s in log.state.scene_shots(scene.id)] == [s.id for s in shots]
    assert log.state.shots[shots[1].id].dialogue == "Someone has to keep it lit, Kai."
    updated = {o.shot_id: o.updated_fields for o in result.updated}
    assert updated == {shots[0].id: (), shots[1].id: ("dialogue", "num_frames"), shots[2].id: ()}
    assert log.state.scenes[scene.id].heading == "INT. LIGHTHOUSE TOWER - NIGHT"


def test_a_scene_the_user_renamed_keeps_its_name_while_its_heading_follows_the_script(log):
    scene, _ = lighthouse(log)
    log.do("rename_scene", scene.id, "The lamp")
    result = log.do("import_script", parsed(TOWER), False, SOURCE)
    after = log.state.scenes[scene.id]
    assert (after.name, after.heading) == ("The lamp", "INT. LIGHTHOUSE TOWER - NIGHT")
    assert result.scenes_updated == ("The lamp",)
    assert result.scenes_added == () and result.added == () and result.gone == ()


def test_a_new_scene_beside_a_gone_one_with_another_heading_and_beats_is_new(log):
    scene, shots = lighthouse(log)
    market = "EXT. MARKET - DAY\n\nA crowd fills the square.\n\nKAI\nTwo apples, please.\n\n"
    revised = parsed(market + "EXT. HARBOUR - DAWN\n\nGulls circle the empty boats.\n")
    result = log.do("import_script", revised, False, SOURCE)
    assert result.scenes_added == ("Market - Day",)
    assert result.scenes_gone == ("Lighthouse - Night",)
    assert [o.shot_id for o in result.gone] == [s.id for s in shots]
    assert len(result.added) == 2
    assert [s.name for s in log.state.ordered_scenes()] == [
        "Lighthouse - Night",
        "Market - Day",
        "Harbour - Dawn",
    ]
    assert log.state.scenes[scene.id].heading == "INT. LIGHTHOUSE - NIGHT"


def test_a_renamed_heading_never_pairs_across_a_scene_matched_by_its_key(log):
    log.do("import_script", parsed(LIGHTHOUSE), False, SOURCE)
    lamp = log.state.ordered_scenes()[0]
    # The lighthouse scene now comes after the harbour, its heading changed: pairing it with the
    # old one would cross the harbour, matched by its key.
    harbour = "EXT. HARBOUR - DAWN\n\nGulls circle the empty boats.\n\n"
    moved = parsed(harbour + TOWER.split("EXT. HARBOUR")[0])
    result = log.do("import_script", moved, False, SOURCE)
    assert result.scenes_added == ("Lighthouse Tower - Night",)
    assert result.scenes_gone == ("Lighthouse - Night",)
    assert lamp.id in log.state.scenes


def test_a_renamed_heading_is_found_by_its_beats_when_the_heading_is_quite_different(log):
    scene, shots = lighthouse(log)
    result = log.do(
        "import_script",
        parsed(LIGHTHOUSE.replace("INT. LIGHTHOUSE - NIGHT", "EXT. CLIFF TOP")),
        False,
        SOURCE,
    )
    assert result.scenes_added == () and result.added == () and result.gone == ()
    after = log.state.scenes[scene.id]
    assert (after.name, after.heading) == ("Cliff Top", "EXT. CLIFF TOP")
    assert [s.id for s in log.state.scene_shots(scene.id)] == [s.id for s in shots]
