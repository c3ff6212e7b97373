"""Every Fountain element, one small script each (https://fountain.io/syntax)."""

import pytest

from domain.script import parse_script
from tests.domain.script.conftest import shots


def only_shot(text: str, mode: str = "fountain") -> dict[str, object]:
    found = shots(parse_script(text, mode))
    assert len(found) == 1, found
    return found[0].model_dump()


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ("INT. LIGHTHOUSE - DUSK", "Lighthouse - Dusk"),
        ("EXT. PIER - NIGHT", "Pier - Night"),
        ("EST. CITY SKYLINE - DAY", "City Skyline - Day"),
        ("INT./EXT. CAR - MOVING - DAY", "Car - Moving - Day"),
        ("INT/EXT. CAR - DAY", "Car - Day"),
        ("I/E. TRAIN - NIGHT", "Train - Night"),
        ("int. mara's room - day", "Mara's Room - Day"),
        (".FLASHBACK", "Flashback"),
        (".INTERIOR OF THE BELL", "Interior Of The Bell"),
        ("INT. HOUSE - DAY #1A#", "House - Day"),
    ],
)
def test_scene_headings_start_scenes_with_a_readable_name(heading: str, name: str) -> None:
    plan = parse_script(f"{heading}\n\nShe waits.\n", "fountain")
    assert [s.name for s in plan.scenes] == [name]
    assert "#" not in plan.scenes[0].heading and not plan.scenes[0].heading.startswith(".")


def test_a_heading_needs_a_blank_line_before_it_and_ellipses_are_not_forced_headings() -> None:
    plan = parse_script("She waits.\nINT. HOUSE - DAY\n\n...and waits.\n", "fountain")
    assert [s.heading for s in plan.scenes] == [""]
    assert [s.action for s in shots(plan)] == ["She waits. INT. HOUSE - DAY", "...and waits."]


@pytest.mark.parametrize(
    ("cue", "character", "extensions"),
    [
        ("MARA", "MARA", ()),
        ("MARA (V.O.)", "MARA", ("V.O.",)),
        ("MARA (O.S.)", "MARA", ("O.S.",)),
        ("MARA (O.C.)", "MARA", ("O.C.",)),
        ("MARA (CONT'D)", "MARA", ("CONT'D",)),
        ("MARA (V.O.) (CONT'D)", "MARA", ("V.O.", "CONT'D")),
        ("HANS (on the radio)", "HANS", ("on the radio",)),
        ("@McCLANE", "McCLANE", ()),
        ("@Mara", "Mara", ()),
        ("R2D2", "R2D2", ()),
        ("ÉLODIE", "ÉLODIE", ()),
    ],
)
def test_a_cue_names_its_character_without_extensions(
    cue: str, character: str, extensions: tuple[str, ...]
) -> None:
    shot = only_shot(f"INT. ROOM - DAY\n\n{cue}\nWe sail at dawn.\n")
    assert shot["character"] == character
    assert shot["extensions"] == extensions
    assert shot["dialogue"] == "We sail at dawn."


def test_an_all_caps_line_with_nothing_after_it_is_action_not_a_cue() -> None:
    found = shots(parse_script("INT. ROOM - DAY\n\nBANG!\n\nNothing moves.\n", "fountain"))
    assert [(s.character, s.action) for s in found] == [("", "BANG!"), ("", "Nothing moves.")]


def test_parentheticals_cut_a_speech_into_shots_each_with_its_own_direction() -> None:
    text = "INT. ROOM - DAY\n\nMARA\n(quietly)\nI know.\n(beat)\nBut not yet.\n"
    found = shots(parse_script(text, "fountain"))
    assert [(s.dialogue, s.parenthetical) for s in found] == [
        ("I know.", "quietly"),
        ("But not yet.", "beat"),
    ]
    assert {s.character for s in found} == {"MARA"}


def test_a_cue_with_only_a_parenthetical_is_a_reaction_shot_of_that_character() -> None:
    shot = only_shot("INT. ROOM - DAY\n\nMARA\n(nods)\n")
    assert (shot["character"], shot["action"], shot["dialogue"]) == ("MARA", "nods", "")


def test_two_spaces_keep_a_speech_going_over_an_empty_line() -> None:
    shot = only_shot("INT. ROOM - DAY\n\nMARA\nFirst verse.\n  \nSecond verse.\n")
    assert shot["dialogue"] == "First verse. Second verse."


def test_dual_dialogue_marks_both_speeches() -> None:
    text = (
        "INT. ROOM - DAY\n\nBRICK\nScrew retirement.\n\nSTEEL ^\nScrew retirement.\n\nTOM\nWhat?\n"
    )
    found = shots(parse_script(text, "fountain"))
    assert [(s.character, s.dual, s.shot_type) for s in found] == [
        ("BRICK", True, "medium"),
        ("STEEL", True, "medium"),
        ("TOM", False, "close_up"),
    ]


@pytest.mark.parametrize(
    "transition", ["CUT TO:", "SMASH CUT TO:", "> FADE TO BLACK.", ">BURN TO PINK.", "FADE IN:"]
)
def test_transitions_make_no_shot(transition: str) -> None:
    plan = parse_script(f"INT. ROOM - DAY\n\nShe waits.\n\n{transition}\n\nHe waits.\n", "fountain")
    assert [s.action for s in shots(plan)] == ["She waits.", "He waits."]


@pytest.mark.parametrize(
    "line", [">THE END<", "> INTERMISSION <", "# ACT ONE", "## Sequence 2", "===", "======"]
)
def test_centered_text_sections_and_page_breaks_make_no_shot(line: str) -> None:
    plan = parse_script(f"INT. ROOM - DAY\n\nShe waits.\n\n{line}\n\nHe waits.\n", "fountain")
    assert [s.action for s in shots(plan)] == ["She waits.", "He waits."]


def test_a_synopsis_describes_its_scene_or_the_next_one() -> None:
    text = "= Before any scene.\n\nINT. ROOM - DAY\n\n= Inside the room.\n\nShe waits.\n"
    plan = parse_script(text, "fountain")
    assert plan.scenes[0].synopsis == "Before any scene.\nInside the room."
    assert [s.action for s in shots(plan)] == ["She waits."]


def test_forced_action_is_action_even_when_it_looks_like_something_else() -> None:
    found = shots(parse_script("INT. ROOM - DAY\n\n!SCANNING THE HORIZON\nHe waits.\n", "fountain"))
    assert [(s.character, s.action) for s in found] == [("", "SCANNING THE HORIZON He waits.")]


def test_lyrics_are_sung_by_the_character_above_them_otherwise_they_are_action() -> None:
    text = "INT. PUB - NIGHT\n\nMARA\n~Row, row, row\n~your boat\n\n~A chorus from nowhere\n"
    found = shots(parse_script(text, "fountain"))
    assert [(s.character, s.dialogue) for s in found[:2]] == [
        ("MARA", "Row, row, row your boat"),
        ("MARA", "A chorus from nowhere"),
    ]
    alone = shots(parse_script("INT. PUB - NIGHT\n\nShe sits.\n\n~A song\n", "fountain"))
    assert [(s.character, s.action) for s in alone] == [("", "She sits."), ("", "A song")]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("She is *very* tired.", "She is very tired."),
        ("She is **very** tired.", "She is very tired."),
        ("She is ***very*** tired.", "She is very tired."),
        ("She is _very_ tired.", "She is very tired."),
        ("She is _**very**_ tired.", "She is very tired."),
        ("Five \\* three, \\_not\\_ six.", "Five * three, _not_ six."),
        ("A snake_case_name stays.", "A snake_case_name stays."),
        ("A lone * star stays.", "A lone * star stays."),
    ],
)
def test_emphasis_marks_are_stripped_and_escapes_kept_literally(written: str, read: str) -> None:
    assert only_shot(f"INT. ROOM - DAY\n\n{written}\n")["action"] == read


def test_the_title_page_keeps_its_fields_and_multi_line_values() -> None:
    text = "Title:\n\t_**BRICK & STEEL**_\n\tFULL RETIRED\nAuthor: Stu\nDraft date: 1/20/2012\n\n"
    plan = parse_script(text + "INT. ROOM - DAY\n\nShe waits.\n", "fountain")
    assert plan.title == {
        "title": "BRICK & STEEL\nFULL RETIRED",
        "author": "Stu",
        "draft date": "1/20/2012",
    }


def test_text_before_the_first_heading_is_an_opening_scene_named_after_the_title() -> None:
    plan = parse_script("Title: The Keeper\n\nDarkness.\n\nINT. ROOM - DAY\n\nLight.\n", "fountain")
    assert [s.name for s in plan.scenes] == ["The Keeper", "Room - Day"]
    untitled = parse_script("Darkness.\n\nINT. ROOM - DAY\n\nLight.\n", "fountain")
    assert untitled.scenes[0].name == "Opening"


def test_a_scene_keeps_its_text_as_written_without_notes() -> None:
    plan = parse_script("INT. ROOM - DAY\n\nShe *waits*. [[fix]]\n\nCUT TO:\n", "fountain")
    assert plan.scenes[0].script_text == "INT. ROOM - DAY\n\nShe *waits*.\n\nCUT TO:"
