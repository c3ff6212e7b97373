"""Reading a model's storyboard reply: every cut-off prefix of a good reply is either repaired
into the shots it holds or refused with a reason — never a crash, never an invented shot."""

import json
from typing import Any

import pytest

from application.storyboard_json import StoryboardUnusable, read_storyboard, storyboard_done

BOARD: dict[str, Any] = {
    "scenes": [
        {
            "name": "Pier",
            "heading": "EXT. PIER - DUSK",
            "shots": [
                {"action": 'Mara walks "slowly" to the pier\'s end.', "shot_type": "wide"},
                {"dialogue": "Goodbye, Tom.", "character": "MARA", "shot_type": "close_up"},
            ],
        },
        {"name": "Lamp", "shots": [{"action": "She lights the lamp.", "shot_type": None}]},
    ]
}
FULL = [
    (scene["name"], shot.get("action", ""), shot.get("dialogue", ""))
    for scene in BOARD["scenes"]
    for shot in scene["shots"]
]


def flat(reply: str) -> list[tuple[str, str, str]]:
    board, _ = read_storyboard(reply)
    return [(s.name, shot.action, shot.dialogue) for s in board.scenes for shot in s.shots]


@pytest.mark.parametrize("indent", [None, 2])
def test_every_cut_off_prefix_is_repaired_into_leading_shots_or_refused(
    indent: int | None,
) -> None:
    text = json.dumps(BOARD, indent=indent)
    repaired = 0
    for cut in range(len(text)):
        try:
            shots = flat(text[:cut])
        except StoryboardUnusable as error:
            assert str(error)
            continue
        repaired += 1
        assert 1 <= len(shots) <= len(FULL)
        # Every shot but the last is whole; the last one may be cut inside its text.
        assert shots[:-1] == FULL[: len(shots) - 1]
        name, action, dialogue = shots[-1]
        whole = FULL[len(shots) - 1]
        assert name == whole[0] and whole[1].startswith(action) and whole[2].startswith(dialogue)
    assert repaired > len(text) // 2
    assert flat(text) == FULL


def test_escapes_and_raw_newlines_in_strings_survive() -> None:
    reply = '{"scenes": [{"name": "Pier", "shots": [{"action": "A \\"big\\" wave\nbreaks"}]}]}'
    assert flat(reply) == [("Pier", 'A "big" wave\nbreaks', "")]


def test_thinking_and_a_wrapper_object_or_bare_scenes_are_accepted() -> None:
    scenes = json.dumps(BOARD["scenes"])
    assert flat("<think>plan it</think>" + scenes) == FULL
    assert flat(json.dumps({"storyboard": BOARD})) == FULL


def test_byte_soup_is_refused_with_the_start_of_the_reply() -> None:
    with pytest.raises(StoryboardUnusable, match=r"held no JSON .*ĠĊ"):
        read_storyboard("ĠĊ%&$ ^^^ ~~~")


def test_a_reply_being_written_is_done_when_its_json_closes_or_breaks() -> None:
    text = json.dumps(BOARD)
    assert not any(storyboard_done(text[:cut]) for cut in range(len(text)))
    assert storyboard_done(text) and storyboard_done(text + "\nThat is all.")
    assert storyboard_done('{"scenes": [u\x07G7')  # byte soup where JSON was due
    assert not storyboard_done("Sure, here it is:")
