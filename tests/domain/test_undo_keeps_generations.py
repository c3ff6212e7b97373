"""Nothing the engine made is lost to undo: a shot or element that undo, redo or restore removes
comes back with every take, concept still and look it had, and those that arrived meanwhile."""

import copy

import pytest


def take(n: int) -> dict:
    return {
        "id": f"take{n}",
        "job_id": f"job{n}",
        "path": f"/media/takes/take{n}.mp4",
        "sha256": f"{n:064x}",
        "num_frames": 9,
        "width": 768,
        "height": 512,
    }


def look(n: int) -> dict:
    return {
        "id": f"look{n}",
        "job_id": f"look{n}",
        "kind": "visualize",
        "path": f"/media/looks/look{n}.png",
        "sha256": f"{n:064x}",
        "prompt": "a keeper in oilskins",
    }


@pytest.fixture
def generated(log):
    """A scene and a shot with one take: the shot was created at version 3."""
    scene = log.do("add_scene", "Lamp room")
    shot = log.do("add_shot", scene, frames=9, prompt="the lamp turns")
    assert log.do("add_take", shot, take(1))
    return log, scene, shot


def takes(state, shot_id: str) -> list[str]:
    return [t.id for t in state.shots[shot_id].takes]


def test_undo_then_redo_of_a_shots_creation_keeps_its_takes(generated):
    log, _, shot = generated
    assert log.undo() == 3
    assert shot not in log.state.shots
    assert log.redo() == 3
    back = log.state.shots[shot]
    assert [t.id for t in back.takes] == ["take1"] and back.active_take == "take1"
    assert back.prompt == "the lamp turns"
    assert log.replayed() == log.state


def test_undo_redo_undo_redo_keeps_takes_added_in_between(generated):
    log, _, shot = generated
    log.undo()
    log.redo()
    assert log.do("add_take", shot, take(2))
    log.undo()
    log.redo()
    assert takes(log.state, shot) == ["take1", "take2"]
    assert log.state.shots[shot].active_take == "take2"
    assert log.replayed() == log.state


def test_a_take_that_arrives_while_its_shot_is_undone_joins_it_on_redo(generated):
    log, _, shot = generated
    log.undo()
    assert log.do("add_take", shot, take(2)) is True
    assert shot not in log.state.shots
    assert log.do("add_take", shot, take(2)) is False, "once only"
    assert log.events[-1].summary() == "take of job job2 joined shot " + shot[:8]
    log.redo()
    assert takes(log.state, shot) == ["take1", "take2"]
    assert log.state.shots[shot].active_take == "take2"
    assert log.replayed() == log.state


def test_a_take_for_a_shot_that_never_was_is_refused(log):
    assert log.do("add_take", "f" * 32, take(1)) is False
    assert log.version == 1


def test_a_deleted_shot_comes_back_with_its_chosen_take_and_the_takes_made_since(generated):
    log, _, shot = generated
    log.do("add_take", shot, take(2))
    log.do("change_shot", shot, active_take="take1")
    log.do("remove_shot", shot)
    log.do("add_take", shot, take(3))
    log.do("add_concept_art", shot, "concept1", "/media/concept/1.png")
    log.undo()
    back = log.state.shots[shot]
    assert takes(log.state, shot) == ["take1", "take2", "take3"]
    assert (back.active_take, back.take_pinned) == ("take1", True)
    assert back.concept_art == "/media/concept/1.png"
    assert log.replayed() == log.state


def test_restore_to_before_the_shot_then_forward_brings_every_take_back(log):
    scene = log.do("add_scene", "Lamp room")
    before_the_shot = copy.deepcopy(log.project)
    shot = log.do("add_shot", scene, frames=9)
    log.do("add_take", shot, take(1))
    log.do("trim_shot", shot, trim_in=1)
    trimmed = copy.deepcopy(log.project)
    log.do("add_take", shot, take(2))
    log.do("restore", before_the_shot)
    assert shot not in log.state.shots
    log.do("add_take", shot, take(3))
    log.do("restore", trimmed)
    back = log.state.shots[shot]
    assert back.trim_in == 1
    assert takes(log.state, shot) == ["take1", "take2", "take3"]
    assert back.active_take == "take3"
    log.undo()
    assert shot not in log.state.shots
    log.redo()
    assert takes(log.state, shot) == ["take1", "take2", "take3"]
    assert log.replayed() == log.state


def test_undoing_a_scenes_removal_brings_its_shots_takes_back(generated):
    log, scene, shot = generated
    log.do("remove_scene", scene)
    log.do("add_take", shot, take(2))
    log.undo()
    assert takes(log.state, shot) == ["take1", "take2"]
    log.redo()
    log.undo()
    assert takes(log.state, shot) == ["take1", "take2"]
    assert log.replayed() == log.state


def test_undo_then_redo_of_a_split_keeps_the_second_shots_takes(generated):
    log, _, shot = generated
    second = log.do("split_shot", shot, 4)
    log.undo()
    log.do("add_take", second, take(2))
    log.redo()
    assert takes(log.state, second) == ["take1", "take2"]
    assert takes(log.state, shot) == ["take1"]


def test_undo_then_redo_of_an_elements_creation_keeps_its_looks(log):
    mara = log.do("define_element", "Mara", "character", description="a keeper in oilskins")
    assert log.do("add_look", mara, look(1))
    chosen = log.state.elements[mara]
    assert chosen.image == "/media/looks/look1.png"
    log.undo()  # the first look's automatic choice
    log.undo()  # the element's creation
    assert mara not in log.state.elements
    assert log.do("add_look", mara, look(2)) is True
    log.redo()
    assert [x.id for x in log.state.elements[mara].looks] == ["look1", "look2"]
    log.redo()
    element = log.state.elements[mara]
    assert (element.look, element.image) == ("look1", "/media/looks/look1.png")
    assert [x.id for x in element.looks] == ["look1", "look2"]
    assert log.replayed() == log.state


def test_a_removed_element_comes_back_with_its_looks(log):
    mara = log.do("define_element", "Mara", "character")
    log.do("add_look", mara, look(1))
    log.do("remove_element", mara)
    log.do("add_look", mara, look(2))
    log.undo()
    assert [x.id for x in log.state.elements[mara].looks] == ["look1", "look2"]
    assert log.state.elements[mara].look == "look1"
    assert log.replayed() == log.state
