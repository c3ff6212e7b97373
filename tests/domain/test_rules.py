"""Every rule the domain enforces: what passes, what is rejected, and that rejecting records
nothing."""

from collections.abc import Callable
from typing import Any

import pytest

from domain.errors import (
    AmbiguousReference,
    DomainError,
    ElementNameTaken,
    InvalidFrameCount,
    InvalidMove,
    InvalidSize,
    InvalidSplit,
    InvalidTrim,
    InvalidValue,
    NameRequired,
    NotFound,
    TrackLocked,
    TriggerWordInvalid,
    TriggerWordTaken,
    UnknownKey,
)
from domain.project.aggregate import Project


def assert_rejected(
    project: Project, error: type[DomainError], command: Callable[[], Any], match: str | None = None
) -> DomainError:
    """`command` raises `error` and leaves the project exactly as it was, with nothing pending."""
    project.collect_events()
    state, version = project.state, project.version
    with pytest.raises(error, match=match) as raised:
        command()
    assert project.pending_events == []
    assert project.version == version
    assert project.state == state
    return raised.value


@pytest.fixture
def scene(project: Project, actor: str) -> str:
    scene_id = project.add_scene(actor, "Platform")
    project.collect_events()
    return scene_id


@pytest.fixture
def shot(project: Project, actor: str, scene: str) -> str:
    shot_id = project.add_shot(actor, scene, prompt="a train pulls in")
    project.collect_events()
    return shot_id


# -- frame counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("frames", [9, 17, 121, 257])
def test_a_shot_accepts_frame_counts_of_8k_plus_1(project, actor, scene, frames):
    shot_id = project.add_shot(actor, scene, num_frames=frames)
    assert project.state.shots[shot_id].num_frames == frames


@pytest.mark.parametrize(
    ("frames", "hint"),
    [(120, "try 113 or 121"), (122, "try 121 or 129"), (8, "try 9"), (1, "try 9"), (0, "try 9")],
)
def test_a_frame_count_off_the_8k_plus_1_grid_is_rejected_with_its_neighbours(
    project, actor, scene, frames, hint
):
    error = assert_rejected(
        project, InvalidFrameCount, lambda: project.add_shot(actor, scene, num_frames=frames)
    )
    assert hint in str(error)
    assert "8k+1" in str(error)


def test_changing_a_shot_to_a_bad_frame_count_is_rejected(project, actor, shot):
    assert_rejected(
        project, InvalidFrameCount, lambda: project.change_shot(actor, shot, frames=120), "113"
    )


def test_a_frame_count_error_is_an_invalid_value():
    assert issubclass(InvalidFrameCount, InvalidValue)
    assert issubclass(InvalidSize, InvalidValue)


# -- sizes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [256, 512, 768, 2048])
def test_sizes_are_multiples_of_32_from_256_to_2048(actor, size):
    project = Project.create(actor, "Sizes", width=size, height=size)
    assert (project.state.settings.width, project.state.settings.height) == (size, size)


@pytest.mark.parametrize("size", [224, 255, 500, 2080, 0])
def test_a_project_with_an_odd_size_is_not_created(actor, size):
    with pytest.raises(InvalidSize, match="multiple of 32"):
        Project.create(actor, "Sizes", width=size)
    with pytest.raises(InvalidSize):
        Project.create(actor, "Sizes", height=size)


def test_changing_the_project_size_to_an_odd_one_is_rejected_with_a_suggestion(project, actor):
    assert_rejected(
        project, InvalidSize, lambda: project.change_settings(actor, width=500), "try 512"
    )


@pytest.mark.parametrize("key", ["width", "height"])
def test_a_shot_size_off_the_grid_is_rejected(project, actor, shot, key):
    assert_rejected(project, InvalidSize, lambda: project.change_shot(actor, shot, **{key: 700}))
    assert_rejected(project, InvalidSize, lambda: project.change_shot(actor, shot, **{key: 4096}))


# -- fps, cfg, steps, seed, choices ------------------------------------------------------------


@pytest.mark.parametrize("fps", [1, 24, 60])
def test_fps_from_1_to_60_is_accepted(project, actor, shot, fps):
    project.change_settings(actor, fps=fps)
    project.change_shot(actor, shot, fps=fps)
    assert project.state.settings.fps == project.state.shots[shot].fps == fps


@pytest.mark.parametrize("fps", [0, 61, -1])
def test_fps_outside_1_to_60_is_rejected(project, actor, shot, fps):
    assert_rejected(project, InvalidValue, lambda: project.change_settings(actor, fps=fps), "fps")
    assert_rejected(project, InvalidValue, lambda: project.change_shot(actor, shot, fps=fps), "fps")


@pytest.mark.parametrize("cfg", [1.0, 3.5, 20])
def test_cfg_scale_from_1_to_20_is_accepted(project, actor, shot, cfg):
    project.change_shot(actor, shot, cfg_scale=cfg)
    assert project.state.shots[shot].cfg_scale == cfg


@pytest.mark.parametrize("cfg", [0.5, 0, 20.5])
def test_cfg_scale_outside_1_to_20_is_rejected(project, actor, shot, cfg):
    assert_rejected(
        project, InvalidValue, lambda: project.change_shot(actor, shot, cfg_scale=cfg), "cfg"
    )


@pytest.mark.parametrize("steps", [1, 200])
def test_steps_from_1_to_200_are_accepted(project, actor, shot, steps):
    project.change_shot(actor, shot, num_inference_steps=steps)
    assert project.state.shots[shot].num_inference_steps == steps


@pytest.mark.parametrize("steps", [0, 201])
def test_steps_outside_1_to_200_are_rejected(project, actor, shot, steps):
    assert_rejected(
        project,
        InvalidValue,
        lambda: project.change_shot(actor, shot, num_inference_steps=steps),
        "num_inference_steps",
    )


@pytest.mark.parametrize("seed", [-1, 2**32])
def test_a_seed_outside_32_bits_is_rejected(project, actor, shot, seed):
    assert_rejected(project, InvalidValue, lambda: project.change_settings(actor, seed=seed))
    assert_rejected(project, InvalidValue, lambda: project.change_shot(actor, shot, seed=seed))


@pytest.mark.parametrize(
    "changes",
    [{"pipeline_override": "magic"}, {"shot_type": "aerial"}, {"num_frames": "many"}],
)
def test_a_value_of_the_wrong_kind_for_a_shot_is_an_invalid_value(project, actor, shot, changes):
    assert_rejected(project, InvalidValue, lambda: project.change_shot(actor, shot, **changes))


def test_a_non_numeric_project_setting_is_rejected_as_a_domain_error(project, actor):
    assert_rejected(project, InvalidValue, lambda: project.change_settings(actor, width="wide"))


def test_a_project_with_a_non_numeric_setting_is_not_created(actor):
    with pytest.raises(InvalidValue):
        Project.create(actor, "Film", fps="fast")


def test_a_style_that_is_not_defined_cannot_be_chosen(project, actor):
    assert_rejected(
        project, InvalidValue, lambda: project.change_settings(actor, style="noir"), "style add"
    )


def test_a_track_outside_v1_v2_a1_is_rejected(project, actor, scene, shot):
    assert_rejected(project, InvalidValue, lambda: project.add_shot(actor, scene, track="V3"))
    assert_rejected(project, InvalidValue, lambda: project.move_shot(actor, shot, track="A2"))
    assert_rejected(project, InvalidValue, lambda: project.set_track(actor, "V9", muted=True))


# -- trims and splits --------------------------------------------------------------------------


def test_trims_may_leave_a_single_frame(project, actor, shot):
    project.trim_shot(actor, shot, trim_in=60, trim_out=60)
    assert project.state.shots[shot].visible_length == 1


@pytest.mark.parametrize(
    ("trim_in", "trim_out"), [(-1, 0), (0, -1), (121, 0), (0, 121), (60, 61), (100, 100)]
)
def test_a_trim_that_is_negative_or_leaves_no_frame_is_rejected(
    project, actor, shot, trim_in, trim_out
):
    assert_rejected(project, InvalidTrim, lambda: project.trim_shot(actor, shot, trim_in, trim_out))


def test_a_shorter_frame_count_cannot_swallow_the_trims(project, actor, shot):
    project.trim_shot(actor, shot, trim_in=10, trim_out=0)
    assert_rejected(project, InvalidTrim, lambda: project.change_shot(actor, shot, frames=9))


@pytest.mark.parametrize("at", [1, 50, 100])
def test_a_split_strictly_inside_the_visible_frames_is_accepted(project, actor, shot, at):
    project.trim_shot(actor, shot, trim_in=10, trim_out=10)
    project.split_shot(actor, shot, at)
    assert len(project.state.shots) == 2


@pytest.mark.parametrize("at", [-1, 0, 101, 121])
def test_a_split_at_an_edge_or_outside_the_visible_frames_is_rejected(project, actor, shot, at):
    project.trim_shot(actor, shot, trim_in=10, trim_out=10)
    assert_rejected(project, InvalidSplit, lambda: project.split_shot(actor, shot, at), "1 and 100")


# -- names and trigger words -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_a_project_needs_a_name(actor, name):
    with pytest.raises(NameRequired):
        Project.create(actor, name)


def test_scenes_elements_styles_and_renames_need_a_name(project, actor, scene):
    assert_rejected(project, NameRequired, lambda: project.add_scene(actor, " "))
    assert_rejected(project, NameRequired, lambda: project.rename_scene(actor, scene, ""))
    assert_rejected(project, NameRequired, lambda: project.define_element(actor, "", "object"))
    assert_rejected(project, NameRequired, lambda: project.define_style(actor, "  "))
    assert_rejected(project, NameRequired, lambda: project.change_settings(actor, name=" "))


def test_names_are_stored_without_surrounding_blanks(project, actor):
    scene_id = project.add_scene(actor, "  Platform  ")
    assert project.state.scenes[scene_id].name == "Platform"


@pytest.mark.parametrize("word", ["Mara", "@", "@1Mara", "@Ma ra", "@Ma-ra", "@@Mara", "@_Mara"])
def test_a_trigger_word_is_at_then_a_letter_then_word_characters(project, actor, word):
    assert_rejected(
        project,
        TriggerWordInvalid,
        lambda: project.define_element(actor, "Mara", "character", trigger_word=word),
    )


@pytest.mark.parametrize("word", ["@Mara", "@m", "@Mara_2", "@TRAIN9"])
def test_well_formed_trigger_words_are_accepted(project, actor, word):
    element_id = project.define_element(actor, "Mara", "character", trigger_word=word)
    assert project.state.elements[element_id].trigger_word == word


def test_a_trigger_word_is_derived_from_the_name_when_not_given(project, actor):
    element_id = project.define_element(actor, "old night train", "object")
    assert project.state.elements[element_id].trigger_word == "@OldNightTrain"


@pytest.mark.parametrize("word", ["@Mara", "@mara", "@MARA"])
def test_trigger_words_are_unique_in_a_project_whatever_their_case(project, actor, word):
    project.define_element(actor, "Mara", "character", trigger_word="@Mara")
    assert_rejected(
        project,
        TriggerWordTaken,
        lambda: project.define_element(actor, "Other", "character", trigger_word=word),
        "already used",
    )


def test_a_derived_trigger_word_is_numbered_when_the_plain_one_is_taken(project, actor):
    project.define_element(actor, "Station", "location")
    second = project.define_element(actor, "station", "object")
    assert project.state.elements[second].trigger_word == "@Station2"


def test_trigger_words_may_use_letters_of_any_script(project, actor):
    mara = project.define_element(actor, "Mára", "character", trigger_word="@Mára")
    hedgehog = project.define_element(actor, "Ёжик", "object")
    assert project.state.elements[mara].trigger_word == "@Mára"
    assert project.state.elements[hedgehog].trigger_word == "@Ёжик"


def test_an_element_cannot_take_the_trigger_word_of_another(project, actor):
    project.define_element(actor, "Mara", "character")
    other = project.define_element(actor, "Jon", "character")
    assert_rejected(
        project,
        TriggerWordTaken,
        lambda: project.change_element(actor, other, trigger_word="@mara"),
    )


def test_an_element_may_recase_its_own_trigger_word(project, actor):
    element_id = project.define_element(actor, "Mara", "character")
    project.change_element(actor, element_id, trigger_word="@MARA")
    assert project.state.elements[element_id].trigger_word == "@MARA"


def test_an_element_type_is_character_location_or_object(project, actor):
    assert_rejected(project, InvalidValue, lambda: project.define_element(actor, "Car", "vehicle"))


# -- references --------------------------------------------------------------------------------


def test_unknown_ids_are_not_found(project, actor, scene, shot):
    assert_rejected(project, NotFound, lambda: project.add_shot(actor, "no-such-scene"))
    assert_rejected(project, NotFound, lambda: project.trim_shot(actor, "zzz", 1, 1))
    assert_rejected(project, NotFound, lambda: project.change_shot(actor, "zzz", prompt="x"))
    assert_rejected(project, NotFound, lambda: project.split_shot(actor, "zzz", 5))
    assert_rejected(project, NotFound, lambda: project.remove_shot(actor, "zzz"))
    assert_rejected(project, NotFound, lambda: project.move_shot(actor, shot, before="zzz"))
    assert_rejected(project, NotFound, lambda: project.rename_scene(actor, "zzz", "X"))
    assert_rejected(project, NotFound, lambda: project.remove_scene(actor, "zzz"))
    assert_rejected(project, NotFound, lambda: project.change_element(actor, "@Nobody", name="x"))
    assert_rejected(project, NotFound, lambda: project.remove_element(actor, "zzz"))
    assert_rejected(project, NotFound, lambda: project.remove_shot(actor, ""))


def test_things_are_found_by_unique_id_prefix_or_by_name(project, actor, scene, shot):
    project.trim_shot(actor, shot[:6], trim_in=1)
    project.add_shot(actor, "Platform")
    element_id = project.define_element(actor, "Mara", "character")
    project.change_element(actor, "Mara", description="a conductor")
    project.change_element(actor, "@Mara", description="the conductor")
    assert project.state.shots[shot].trim_in == 1
    assert len(project.state.scene_shots(scene)) == 2
    assert project.state.elements[element_id].description == "the conductor"


def test_a_name_shared_by_two_scenes_is_ambiguous(project, actor, scene):
    project.add_scene(actor, "Platform")
    assert_rejected(project, AmbiguousReference, lambda: project.add_shot(actor, "Platform"))


# -- tracks ------------------------------------------------------------------------------------


def test_a_locked_track_rejects_every_edit_of_its_shots(project, actor, scene):
    on_v2 = project.add_shot(actor, scene, track="V2", start_frame=10)
    on_v1 = project.add_shot(actor, scene)
    project.set_track(actor, "V2", locked=True)
    for command in (
        lambda: project.add_shot(actor, scene, track="V2"),
        lambda: project.change_shot(actor, on_v2, prompt="new"),
        lambda: project.trim_shot(actor, on_v2, 1, 1),
        lambda: project.split_shot(actor, on_v2, 5),
        lambda: project.move_shot(actor, on_v2, start_frame=20),
        lambda: project.move_shot(actor, on_v1, track="V2", start_frame=0),
        lambda: project.remove_shot(actor, on_v2),
        lambda: project.remove_scene(actor, scene),
        lambda: project.reorder_shots(actor, scene, [on_v1, on_v2]),
    ):
        assert_rejected(project, TrackLocked, command, "--unlock")
    project.trim_shot(actor, on_v1, 1, 1)
    project.set_track(actor, "V2", locked=False)
    project.trim_shot(actor, on_v2, 1, 1)
    assert project.state.shots[on_v2].trim_in == 1


def test_v1_is_magnetic_and_takes_no_start_frame(project, actor, scene, shot):
    on_v2 = project.add_shot(actor, scene, track="V2", start_frame=40)
    assert_rejected(
        project, InvalidMove, lambda: project.add_shot(actor, scene, start_frame=10), "magnetic"
    )
    assert_rejected(project, InvalidMove, lambda: project.move_shot(actor, shot, start_frame=5))
    assert_rejected(
        project, InvalidMove, lambda: project.move_shot(actor, on_v2, track="V1", start_frame=0)
    )


def test_start_frames_are_never_negative(project, actor, scene):
    on_a1 = project.add_shot(actor, scene, track="A1")
    assert_rejected(
        project, InvalidValue, lambda: project.add_shot(actor, scene, track="V2", start_frame=-1)
    )
    assert_rejected(project, InvalidMove, lambda: project.move_shot(actor, on_a1, start_frame=-5))


def test_a_shot_cannot_be_moved_before_itself(project, actor, shot):
    assert_rejected(project, InvalidMove, lambda: project.move_shot(actor, shot, before=shot))


def test_a_reorder_must_list_every_shot_of_the_scene_once(project, actor, scene, shot):
    other = project.add_shot(actor, scene)
    assert_rejected(project, InvalidMove, lambda: project.reorder_shots(actor, scene, [shot]))
    assert_rejected(
        project, InvalidMove, lambda: project.reorder_shots(actor, scene, [shot, shot, other])
    )
    assert_rejected(project, InvalidMove, lambda: project.reorder_scenes(actor, []))


# -- keys --------------------------------------------------------------------------------------


def test_unknown_keys_are_rejected_with_the_known_ones(project, actor, scene, shot):
    error = assert_rejected(
        project, UnknownKey, lambda: project.change_shot(actor, shot, colour="red")
    )
    assert "colour" in str(error)
    assert "num_frames" in str(error)
    assert "frames" in str(error)
    assert_rejected(project, UnknownKey, lambda: project.add_shot(actor, scene, colour="red"))
    assert_rejected(project, UnknownKey, lambda: project.change_shot(actor, shot, track="V2"))
    assert_rejected(project, UnknownKey, lambda: project.change_settings(actor, archived=True))
    assert_rejected(project, UnknownKey, lambda: project.set_track(actor, "V1", solo=True))
    element_id = project.define_element(actor, "Mara", "character")
    assert_rejected(
        project, UnknownKey, lambda: project.change_element(actor, element_id, version=7)
    )


def test_short_forms_name_the_same_fields(project, actor, shot):
    changed = project.change_shot(actor, shot, frames=17, cfg=5.5, steps=20, pipeline="keyframe")
    spec = project.state.shots[shot]
    assert (spec.num_frames, spec.cfg_scale, spec.num_inference_steps) == (17, 5.5, 20)
    assert spec.pipeline_override == "keyframe"
    assert set(changed) == {"num_frames", "cfg_scale", "num_inference_steps", "pipeline_override"}
    (event,) = project.collect_events()
    assert set(event.changes) == set(changed)
    assert event.previous == {
        "num_frames": 121,
        "cfg_scale": 3.0,
        "num_inference_steps": 40,
        "pipeline_override": "auto",
    }


def test_a_new_shot_accepts_short_forms(project, actor, scene):
    shot_id = project.add_shot(actor, scene, frames=33, cfg=4.0, steps=12, pipeline="ti2vid")
    spec = project.state.shots[shot_id]
    assert (spec.num_frames, spec.cfg_scale, spec.num_inference_steps) == (33, 4.0, 12)
    assert spec.pipeline_override == "ti2vid"


def test_a_new_shot_has_no_take_to_make_active(project, actor, scene):
    assert_rejected(project, InvalidValue, lambda: project.add_shot(actor, scene, active_take="t1"))


# -- what is not an edit ------------------------------------------------------------------------


def test_a_change_to_the_same_values_records_nothing(project, actor, scene, shot):
    element_id = project.define_element(actor, "Mara", "character")
    project.collect_events()
    project.change_shot(actor, shot, prompt="a train pulls in", frames=121)
    project.trim_shot(actor, shot, 0, 0)
    project.move_shot(actor, shot)
    project.change_settings(actor, width=768, fps=25)
    project.set_track(actor, "V1", muted=False)
    project.rename_scene(actor, scene, "Platform")
    project.change_element(actor, element_id, name="Mara")
    project.reorder_shots(actor, scene, [shot])
    project.archive(actor, archived=False)
    assert project.pending_events == []


def test_two_elements_of_one_type_never_share_a_name(project, actor):
    ben = project.define_element(actor, "Ben", "character")
    project.define_element(actor, "Ben", "object")  # another type: a model boat called Ben
    version = project.version
    with pytest.raises(ElementNameTaken, match="named 'Ben' already"):
        project.define_element(actor, "BEN", "character")
    other = project.define_element(actor, "Anna", "character")
    with pytest.raises(ElementNameTaken):
        project.change_element(actor, other, name="ben")
    project.change_element(actor, ben, name="Ben")  # its own name again: no conflict
    assert project.version == version + 1
