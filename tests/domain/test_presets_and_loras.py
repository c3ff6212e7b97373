"""A shot chooses a preset; shots and elements carry LoRA stacks, edited and undone as events."""

import pytest

from domain.errors import AmbiguousReference, InvalidValue, NotFound, TrackLocked


@pytest.fixture
def shot(log):
    scene = log.do("add_scene", "Platform")
    return log.do("add_shot", scene, prompt="@Mara waits for the train")


def test_a_shot_has_no_preset_until_one_is_chosen(log, shot):
    assert log.state.shots[shot].preset is None
    assert log.do("change_shot", shot, preset="quality") == {"preset": "quality"}
    assert log.state.shots[shot].preset == "quality"
    assert log.events[-1].previous == {"preset": None}


@pytest.mark.parametrize("given", ["none", "None", "", None])
def test_none_brings_back_the_shots_own_settings(log, shot, given):
    log.do("change_shot", shot, preset="speed")
    log.do("change_shot", shot, preset=given)
    assert log.state.shots[shot].preset is None


def test_an_unknown_preset_is_refused_and_nothing_is_recorded(log, shot):
    before = log.version
    with pytest.raises(InvalidValue, match="preset must be one of quality, speed or none"):
        log.do("change_shot", shot, preset="ultra")
    assert log.version == before


def test_a_new_shot_may_start_with_a_preset(log):
    scene = log.do("add_scene", "Yard")
    shot = log.do("add_shot", scene, preset="Speed")
    assert log.state.shots[shot].preset == "speed"


def test_choosing_a_preset_is_undone_like_any_edit(log, shot):
    log.do("change_shot", shot, preset="quality")
    log.undo()
    assert log.state.shots[shot].preset is None
    log.redo()
    assert log.state.shots[shot].preset == "quality"


def test_loras_stack_up_on_a_shot_in_the_order_added(log, shot):
    log.do("add_shot_lora", shot, "/loras/dolly.safetensors", 0.8)
    log.do("add_shot_lora", shot, "/loras/film-grain.safetensors")
    stack = log.state.shots[shot].loras
    assert [(x.path, x.strength) for x in stack] == [
        ("/loras/dolly.safetensors", 0.8),
        ("/loras/film-grain.safetensors", 1.0),
    ]
    assert log.events[-2].summary().endswith("added LoRA dolly.safetensors (0.8)")
    assert log.replayed() == log.state


def test_adding_a_lora_again_changes_its_strength_in_place(log, shot):
    log.do("add_shot_lora", shot, "/loras/dolly.safetensors", 0.8)
    log.do("add_shot_lora", shot, "/loras/grain.safetensors")
    assert log.do("add_shot_lora", shot, "/loras/dolly.safetensors", 0.3) is True
    stack = log.state.shots[shot].loras
    assert [(x.name, x.strength) for x in stack] == [
        ("dolly.safetensors", 0.3),
        ("grain.safetensors", 1.0),
    ]
    assert log.events[-1].previous == {"path": "/loras/dolly.safetensors", "strength": 0.8}
    assert "(was 0.8)" in log.events[-1].summary()


def test_the_same_lora_at_the_same_strength_records_nothing(log, shot):
    log.do("add_shot_lora", shot, "/loras/dolly.safetensors", 0.8)
    before = log.version
    assert log.do("add_shot_lora", shot, "/loras/dolly.safetensors", 0.8) is False
    assert log.version == before


@pytest.mark.parametrize("strength", [2.5, -3.0])
def test_a_strength_outside_plus_minus_two_is_refused(log, shot, strength):
    before = log.version
    with pytest.raises(InvalidValue, match="LoRA strength must be between -2 and 2"):
        log.do("add_shot_lora", shot, "/loras/dolly.safetensors", strength)
    assert log.version == before


def test_a_lora_is_removed_by_its_path_or_its_file_name(log, shot):
    log.do("add_shot_lora", shot, "/loras/dolly.safetensors", 0.8)
    log.do("add_shot_lora", shot, "/loras/grain.safetensors")
    removed = log.do("remove_shot_lora", shot, "dolly.safetensors")
    assert removed.path == "/loras/dolly.safetensors"
    log.do("remove_shot_lora", shot, "/loras/grain.safetensors")
    assert log.state.shots[shot].loras == ()


def test_removing_a_lora_the_shot_does_not_have_is_not_found(log, shot):
    log.do("add_shot_lora", shot, "/loras/dolly.safetensors")
    with pytest.raises(NotFound, match=r"its LoRAs: /loras/dolly\.safetensors"):
        log.do("remove_shot_lora", shot, "/loras/crane.safetensors")


def test_a_file_name_shared_by_two_loras_is_ambiguous(log, shot):
    log.do("add_shot_lora", shot, "/a/style.safetensors")
    log.do("add_shot_lora", shot, "/b/style.safetensors")
    with pytest.raises(AmbiguousReference, match=r"several LoRAs named style\.safetensors"):
        log.do("remove_shot_lora", shot, "style.safetensors")


def test_undo_takes_a_lora_off_and_redo_puts_it_back(log, shot):
    log.do("add_shot_lora", shot, "/loras/dolly.safetensors", 0.8)
    log.do("remove_shot_lora", shot, "/loras/dolly.safetensors")
    log.undo()
    assert [x.strength for x in log.state.shots[shot].loras] == [0.8]
    log.undo()
    assert log.state.shots[shot].loras == ()
    log.redo()
    assert [x.name for x in log.state.shots[shot].loras] == ["dolly.safetensors"]


def test_a_locked_track_refuses_lora_edits(log, shot):
    log.do("set_track", "V1", locked=True)
    with pytest.raises(TrackLocked):
        log.do("add_shot_lora", shot, "/loras/dolly.safetensors")


def test_an_element_lora_raises_the_elements_version(log):
    mara = log.do("define_element", "Mara", "character")
    log.do("add_element_lora", "@Mara", "/loras/mara-identity.safetensors", 0.9)
    element = log.state.elements[mara]
    assert element.version == 2
    assert [(x.name, x.strength) for x in element.loras] == [("mara-identity.safetensors", 0.9)]
    log.do("remove_element_lora", "Mara", "mara-identity.safetensors")
    assert log.state.elements[mara].loras == ()
    assert log.state.elements[mara].version == 3


def test_undoing_an_element_lora_still_raises_its_version(log):
    mara = log.do("define_element", "Mara", "character")
    log.do("add_element_lora", mara, "/loras/mara.safetensors")
    log.undo()
    element = log.state.elements[mara]
    assert element.loras == ()
    assert element.version == 3  # a version once used for a look is never reused
    assert log.replayed() == log.state
