"""Undo, redo and restore on the aggregate: new events with changes, never an edit of the past."""

import copy

import pytest

from domain.errors import InvalidValue
from domain.project.shot import Take
from domain.timeline import start_frames


@pytest.fixture
def cut(log):
    """A scene with shots a (121) and b (41) on V1, then a trim of a: the log is at version 5."""
    scene = log.do("add_scene", "Platform")
    a = log.do("add_shot", scene, prompt="a train pulls in")
    b = log.do("add_shot", scene, frames=41)
    log.do("trim_shot", a, trim_in=10, trim_out=20)
    assert log.version == 5
    return log, scene, a, b


def test_undo_reverses_a_trim(cut):
    log, _, a, b = cut
    assert log.undo() == 5
    assert (log.state.shots[a].trim_in, log.state.shots[a].trim_out) == (0, 0)
    assert start_frames(log.state)[b] == 121
    assert log.state == log.states[4]
    (event,) = log.events[5:]
    assert type(event).__name__ == "EditUndone"
    assert event.undone_version == 5
    assert event.summary() == "undid v5 ShotTrimmed"
    assert event.actor == log.events[0].actor


def test_redo_reapplies_what_was_undone(cut):
    log, _, a, _ = cut
    trimmed = log.state
    log.undo()
    assert log.redo() == 5
    assert log.state == trimmed
    assert (log.state.shots[a].trim_in, log.state.shots[a].trim_out) == (10, 20)
    assert log.events[-1].summary() == "redid v5 ShotTrimmed"


def test_undo_redo_undo_is_the_same_undo(cut):
    log, _, a, _ = cut
    log.undo()
    log.redo()
    assert log.undo() == 5
    assert log.state.shots[a].trim_in == 0
    assert log.redo() == 5
    assert log.state.shots[a].trim_in == 10


def test_undo_and_redo_are_themselves_never_undone(cut):
    log, *_ = cut
    log.undo()
    log.undo()
    assert len(log.project.undo_stack) == 2
    assert log.project.undo_stack.items() == [2, 3]
    assert log.project.redo_stack.items() == [5, 4]


def test_a_new_edit_clears_the_redo_stack(cut):
    log, scene, *_ = cut
    log.undo()
    log.undo()
    assert len(log.project.redo_stack) == 2
    log.do("rename_scene", scene, "Station")
    assert len(log.project.redo_stack) == 0
    assert log.redo() is None
    assert log.project.undo_stack.top() == log.version


def test_undo_goes_back_as_far_as_the_created_project(cut):
    log, *_ = cut
    created = log.states[1]
    undone = [log.undo() for _ in range(4)]
    assert undone == [5, 4, 3, 2]
    assert log.state == created
    assert log.state.shots == {} and log.state.scenes == {}
    assert not log.project.undo_stack
    assert len(log.project.redo_stack) == 4


def test_redo_goes_forward_again_to_the_last_edit(cut):
    log, *_ = cut
    last = log.state
    for _ in range(4):
        log.undo()
    assert [log.redo() for _ in range(4)] == [2, 3, 4, 5]
    assert log.state == last
    assert log.redo() is None


def test_nothing_to_undo_or_redo_returns_none_and_records_nothing(log):
    assert log.undo() is None
    assert log.redo() is None
    assert log.project.pending_events == []
    assert log.version == 1
    assert len(log.events) == 1


def test_the_creation_itself_cannot_be_undone(log):
    log.do("add_scene", "Platform")
    log.undo()
    assert log.undo() is None
    assert log.state.settings.name == "Night Train"


def test_undoing_a_shot_removal_brings_it_back_with_all_its_fields(cut):
    log, scene, a, b = cut
    log.do("change_shot", a, prompt="rain on the window", cfg=7.5, shot_type="close_up")
    removed = log.state.shots[a]
    log.do("remove_shot", a)
    assert log.state.shots[b].index == 0
    log.undo()
    assert log.state.shots[a] == removed
    assert [s.id for s in log.state.scene_shots(scene)] == [a, b]
    assert start_frames(log.state) == {a: 0, b: 91}


def test_undoing_a_split_leaves_one_shot_with_its_trims(cut):
    log, _, a, b = cut
    whole = log.state.shots[a]
    second = log.do("split_shot", a, 40)
    log.undo()
    assert second not in log.state.shots
    assert log.state.shots[a] == whole
    assert log.state.shots[b].index == 1


def test_undoing_a_scene_removal_brings_back_the_scene_and_its_shots(cut):
    log, scene, a, b = cut
    other = log.do("add_scene", "Carriage")
    c = log.do("add_shot", other, frames=9)
    before = log.state
    log.do("remove_scene", scene)
    assert set(log.state.shots) == {c}
    log.undo()
    assert log.state == before
    assert start_frames(log.state) == {a: 0, b: 91, c: 132}


def test_undoing_a_move_across_scenes_puts_the_shot_back(cut):
    log, _, a, _ = cut
    other = log.do("add_scene", "Carriage")
    c = log.do("add_shot", other, frames=9)
    before = log.state
    log.do("move_shot", a, before=c)
    assert log.state.shots[a].scene_id == other
    log.undo()
    assert log.state == before


def test_undoing_a_settings_change_and_a_track_change(log):
    log.do("change_settings", width=1024, seed=3)
    log.do("set_track", "V2", locked=True)
    log.undo()
    assert not log.state.tracks["V2"].locked
    log.undo()
    assert (log.state.settings.width, log.state.settings.seed) == (768, 42)
    assert log.events[-1].summary() == "undid v2 ProjectSettingsChanged"


def test_undoing_an_element_change_raises_its_version_again(log):
    mara = log.do("define_element", "Mara", "character", description="a conductor")
    log.do("change_element", mara, description="a tired conductor")
    assert log.state.elements[mara].version == 2
    log.undo()
    assert log.state.elements[mara].description == "a conductor"
    assert log.state.elements[mara].version == 3
    log.redo()
    assert log.state.elements[mara].description == "a tired conductor"
    assert log.state.elements[mara].version == 4


def test_undo_never_removes_a_take(cut):
    log, _, a, _ = cut
    take = Take(
        id="t1",
        job_id="j1",
        path="/m/t1.mp4",
        sha256="0" * 64,
        num_frames=121,
        width=768,
        height=512,
    )
    # The engine's events are not in this aggregate yet: give the shot a take as they would.
    with_take = log.state.shots[a].replace(takes=(take,))
    log.project.state = log.state.replace(shots={**log.state.shots, a: with_take})
    log.states[-1] = log.project.state
    log.undo()
    assert log.state.shots[a].trim_in == 0
    assert log.state.shots[a].takes == (take,)


def test_the_stacks_count_what_can_be_undone_and_redone(cut):
    log, *_ = cut
    assert (len(log.project.undo_stack), len(log.project.redo_stack)) == (4, 0)
    log.undo()
    assert (len(log.project.undo_stack), len(log.project.redo_stack)) == (3, 1)
    log.undo()
    log.redo()
    assert (len(log.project.undo_stack), len(log.project.redo_stack)) == (3, 1)


def test_a_long_edit_session_keeps_the_undo_stack_small(log):
    scene = log.do("add_scene", "Platform")
    shot = log.do("add_shot", scene)
    for n in range(1, 60):
        log.do("trim_shot", shot, trim_in=n)
    assert len(log.project.undo_stack) == 61
    assert log.project.undo_stack.runs == ((2, 62),)
    for _ in range(61):
        log.undo()
    assert log.state == log.states[1]
    assert log.project.redo_stack.runs == ((62, 2),)


# -- restore -----------------------------------------------------------------------------------


def test_restore_brings_back_an_earlier_version_with_new_events(cut):
    log, _, a, b = cut
    earlier = copy.deepcopy(log.project)
    log.do("remove_shot", b)
    log.do("change_shot", a, prompt="changed")
    log.do("add_scene", "Carriage")
    version = log.version
    changes = log.do("restore", earlier)
    assert log.state == earlier.state
    assert log.version == version + 1
    assert log.events[-1].summary() == f"restored to v5 ({len(changes)} change(s))"
    assert log.replayed(version) == log.states[version]


def test_a_restore_can_be_undone(cut):
    log, _, _, b = cut
    earlier = copy.deepcopy(log.project)
    log.do("remove_shot", b)
    before_restore = log.state
    log.do("restore", earlier)
    log.undo()
    assert log.state == before_restore


def test_restoring_the_current_version_records_nothing(cut):
    log, *_ = cut
    assert log.do("restore", copy.deepcopy(log.project)) == []
    assert log.version == 5


def test_restoring_to_the_created_project_empties_it(log):
    created = copy.deepcopy(log.project)
    scene = log.do("add_scene", "Platform")
    log.do("add_shot", scene)
    log.do("change_settings", name="Renamed", fps=30)
    log.do("restore", created)
    assert log.state == created.state
    assert (log.state.settings.name, log.state.shots, log.state.scenes) == ("Night Train", {}, {})


def test_a_restore_to_a_version_that_does_not_exist_is_rejected(cut):
    log, *_ = cut
    later = copy.deepcopy(log.project)
    log.undo()
    later.version = log.version + 5
    with pytest.raises(InvalidValue, match="between 1 and"):
        log.do("restore", later)
    assert log.project.pending_events == []


def test_undoing_a_change_of_conditioning_brings_back_the_old_items(cut):
    log, _, a, _ = cut
    log.do("change_shot", a, conditioning=[{"asset": "/media/img1.png", "frame_index": 0}])
    first = log.state.shots[a].conditioning
    log.do(
        "change_shot",
        a,
        conditioning=[{"asset": "/media/img2.png", "frame_index": 8, "strength": 0.5}],
    )
    log.undo()
    assert log.state.shots[a].conditioning == first
    log.undo()
    assert log.state.shots[a].conditioning == ()
    log.redo()
    assert log.state.shots[a].conditioning == first


def test_an_element_version_never_goes_back_through_undo_and_redo_of_its_definition(log):
    mara = log.do("define_element", "Mara", "character", description="look A")
    log.do("change_element", mara, description="look B")  # a take made now records v2
    seen = [log.state.elements[mara].version]
    log.undo()
    seen.append(log.state.elements[mara].version)
    log.undo()
    log.redo()
    log.do("change_element", mara, description="look C")
    assert log.state.elements[mara].version > max(seen)
