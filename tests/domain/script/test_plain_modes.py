"""Milimo Video's plain modes (screenplay, numbered, freeform) and the `auto` choice among them."""

import pytest

from domain.errors import InvalidValue
from domain.script import parse_script
from tests.domain.script.conftest import screenplay, shots


def test_a_plain_screenplay_reads_headings_indented_cues_and_inline_dialogue() -> None:
    plan = parse_script(screenplay("plain_screenplay.txt"))
    assert plan.mode == "screenplay"
    assert plan.title == {"title": "THE HARBOUR"}
    assert [s.name for s in plan.scenes] == ["Harbour Office - Morning", "Pier - Continuous"]
    assert [(s.character, s.extensions, s.dialogue or s.action) for s in shots(plan)] == [
        ("", (), "Rain streaks the window. OLD TOM sorts the mail at his desk."),
        ("OLD TOM", (), "Nothing but bills."),
        ("MARA", (), "Any letters for the lighthouse?"),
        ("", (), "Mara walks along the pier with the letter in her hand."),
        ("MARA", (), "It's from the board."),
        ("OLD TOM", ("O.S.",), "Bad news?"),
    ]
    assert shots(plan)[1].parenthetical == "muttering"


@pytest.mark.parametrize(
    ("name", "actions"),
    [
        (
            "numbered_dot.txt",
            [
                "Wide shot of the harbour at dawn, boats rocking.",
                "Mara walks down the pier, coat flapping.",
                "Close-up on her eyes as she reads the letter.",
                "",
            ],
        ),
        (
            "numbered_paren.txt",
            [
                "The lighthouse against a storm sky.",
                "Lightning over the sea. The beam cuts through the rain.",
                "Insert: the logbook, last entry dated 1986.",
            ],
        ),
        (
            "numbered_shot.txt",
            [
                "Boats rock in the grey water.",
                "Old Tom smokes on a bench.",
                "Mara lights the lamp.",
                "The beam sweeps across the sea.",
            ],
        ),
    ],
)
def test_a_numbered_list_is_one_shot_per_item_in_every_spelling(
    name: str, actions: list[str]
) -> None:
    plan = parse_script(screenplay(name))
    assert plan.mode == "numbered"
    assert [s.action for s in shots(plan)] == actions


def test_numbered_items_can_speak_state_durations_and_sit_under_scene_lines() -> None:
    plan = parse_script(screenplay("numbered_shot.txt"))
    assert [s.name for s in plan.scenes] == ["The Harbour", "The Lamp Room"]
    assert shots(plan)[-1].duration_seconds == 20.0
    spoken = shots(parse_script(screenplay("numbered_dot.txt")))[-1]
    assert (spoken.character, spoken.dialogue) == ("MARA", "They're closing the light.")
    assert shots(parse_script(screenplay("numbered_paren.txt")))[-1].duration_seconds == 6.0


def test_text_outside_numbered_items_is_left_out_with_a_warning() -> None:
    plan = parse_script(screenplay("numbered_paren.txt"))
    assert plan.warnings == ("lines 1 belong to no numbered item and were left out",)


def test_freeform_text_is_one_shot_per_paragraph() -> None:
    plan = parse_script(screenplay("freeform.txt"))
    assert plan.mode == "freeform"
    assert len(plan.scenes) == 1
    assert len(shots(plan)) == 3
    assert shots(plan)[1].action.startswith("A woman in an oilskin coat")


def test_freeform_paragraphs_are_never_cut_and_headings_still_start_scenes() -> None:
    long = " ".join(["She runs."] * 40)
    plan = parse_script(f"{long}\n\nEXT. CLIFF - DAY\n\nShe stops.\n", "freeform")
    assert [len(s.shots) for s in plan.scenes] == [1, 1]
    assert plan.scenes[1].name == "Cliff - Day"


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("Title: X\n\nShe waits.\n", "fountain"),
        ("INT. ROOM - DAY\n\nShe waits. [[note]]\n", "fountain"),
        (".FLASHBACK\n\nShe waits.\n", "fountain"),
        ("INT. ROOM - DAY\n\nBRICK\nHi.\n\nSTEEL ^\nHi.\n", "fountain"),
        ("# Act One\n\nShe waits.\n", "fountain"),
        ("INT. ROOM - DAY\n\nMARA\nHello.\n", "screenplay"),
        ("MARA: Hello.\nTOM: Hi.\n", "screenplay"),
        ("1. One.\n2. Two.\n", "numbered"),
        ("Shot 1: One.\nShot 2: Two.\n", "numbered"),
        ("#1 One.\n#2 Two.\n", "numbered"),
        ("INT. ROOM - DAY\n1) One.\n2) Two.\n", "numbered"),
        ("Just a paragraph.\n\nAnd another.\n", "freeform"),
        ("In 1999 nothing happened.\n", "freeform"),
    ],
)
def test_auto_detects_the_mode(text: str, mode: str) -> None:
    assert parse_script(text).mode == mode


def test_a_mode_the_parser_does_not_read_is_refused() -> None:
    with pytest.raises(InvalidValue, match="ai"):
        parse_script("She waits.", "ai")
