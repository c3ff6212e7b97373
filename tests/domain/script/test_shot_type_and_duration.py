"""The framing and screen time a beat suggests."""

import pytest

from domain.script import parse_script
from domain.script.beat_split import split_beats
from domain.script.duration import reading_duration, stated_duration
from domain.script.shot_type import infer_shot_type
from tests.domain.script.conftest import shots


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("INSERT - the letter, torn at one corner.", "insert"),
        ("Her hands tremble on the rail.", "insert"),
        ("We read the last line on the screen.", "insert"),
        ("CLOSE ON the lamp's filament.", "close_up"),
        ("Close-up: the compass needle.", "close_up"),
        ("Tears well in her eyes.", "close_up"),
        ("We follow Mara down the corridor.", "tracking"),
        ("TRACKING SHOT along the harbour wall.", "tracking"),
        ("She walks along the pier.", "tracking"),
        ("Tom moves through the crowd.", "tracking"),
        ("ESTABLISHING - the town at night.", "establishing"),
        ("WIDE on the bay.", "wide"),
        ("The skyline glows orange.", "wide"),
        ("An aerial view of the island.", "wide"),
        ("A drone shot over a foggy harbour.", "wide"),
        ("Mara sits at the table.", "medium"),
        ("The lighthouse's cutting room is quiet.", "medium"),
    ],
)
def test_action_is_framed_by_the_words_it_uses(text: str, expected: str) -> None:
    assert infer_shot_type(text) == expected


def test_what_the_writer_names_wins_over_what_the_action_shows() -> None:
    assert infer_shot_type("CLOSE ON her hands.") == "close_up"
    assert infer_shot_type("She walks along the pier, the letter in her hand.") == "tracking"


def test_the_first_beat_of_an_exterior_scene_establishes_it() -> None:
    assert infer_shot_type("Rain.", first_in_scene=True, exterior=True) == "establishing"
    assert infer_shot_type("Rain.", first_in_scene=True, exterior=False) == "medium"
    assert infer_shot_type("Rain.", first_in_scene=False, exterior=True) == "medium"
    plan = parse_script("EXT. PIER - DAY\n\nRain.\n\nMore rain.\n", "fountain")
    assert [s.shot_type for s in shots(plan)] == ["establishing", "medium"]


def test_dialogue_is_a_close_up_unless_off_screen_or_dual() -> None:
    assert infer_shot_type("Close on me.", dialogue=True) == "close_up"
    assert infer_shot_type("Hello.", dialogue=True, extensions=("V.O.",)) == "medium"
    assert infer_shot_type("Hello.", dialogue=True, extensions=("O.S.",)) == "medium"
    assert infer_shot_type("Hello.", dialogue=True, extensions=("CONT'D",)) == "close_up"
    assert infer_shot_type("Hello.", dialogue=True, dual=True) == "medium"


@pytest.mark.parametrize(
    ("text", "seconds", "rest"),
    [
        ("The sun rises. (10 SECONDS)", 10.0, "The sun rises."),
        ("(8 sec) The sun rises.", 8.0, "The sun rises."),
        ("ANNA (30s) stirs a pot.", None, "ANNA (30s) stirs a pot."),
        ("JOHN (40s), unshaven, enters.", None, "JOHN (40s), unshaven, enters."),
        ("The sun rises (12.5 sec).", 12.5, "The sun rises."),
        ("The sun rises. (LONG TAKE 20 SECONDS)", 20.0, "The sun rises."),
        ("LONG TAKE as the sun rises.", 12.0, "LONG TAKE as the sun rises."),
        ("The sun rises (99999 seconds).", 300.0, "The sun rises."),
        ("She counts to 10 seconds.", None, "She counts to 10 seconds."),
    ],
)
def test_a_stated_duration_is_read_and_taken_out_of_the_text(
    text: str, seconds: float | None, rest: str
) -> None:
    assert stated_duration(text) == (seconds, rest)


def test_reading_time_is_clamped_to_two_to_eight_seconds() -> None:
    assert reading_duration("Go.", dialogue=True) == 2.0
    assert reading_duration(" ".join(["word"] * 10), dialogue=True) == 5.0
    assert reading_duration(" ".join(["word"] * 12), dialogue=False) == 4.0
    assert reading_duration(" ".join(["word"] * 100), dialogue=False) == 8.0


def test_a_long_action_paragraph_is_cut_at_sentences_into_beats_of_at_most_30_words() -> None:
    sentence = "Mara climbs the spiral stairs with one hand on the rail."  # 11 words
    beats = split_beats(" ".join([sentence] * 7), 30)
    assert beats == [" ".join([sentence] * 2)] * 3 + [sentence]
    assert split_beats("Dr. Quinn waits. Mr. Lee too.", 3) == ["Dr. Quinn waits.", "Mr. Lee too."]


def test_a_sentence_longer_than_a_beat_is_cut_at_clauses_then_at_the_limit() -> None:
    beats = split_beats(" ".join(["word"] * 20) + "; " + " ".join(["more"] * 20) + ".", 30)
    assert [len(b.split()) for b in beats] == [20, 20]
    assert [len(b.split()) for b in split_beats(" ".join(["x"] * 70), 30)] == [30, 30, 10]


def test_a_long_speech_is_several_shots_and_a_stated_duration_keeps_a_paragraph_whole() -> None:
    speech = " ".join(["I remember the storm of eighty six."] * 6)  # 42 words
    found = shots(parse_script(f"INT. ROOM - DAY\n\nMARA\n(tired)\n{speech}\n", "fountain"))
    assert len(found) == 2
    assert [s.parenthetical for s in found] == ["tired", ""]
    long = " ".join(["The beam sweeps the sea."] * 12) + " (40 SECONDS)"
    whole = shots(parse_script(f"EXT. SEA - NIGHT\n\n{long}\n", "fountain"))
    assert len(whole) == 1 and whole[0].duration_seconds == 40.0
    assert "SECONDS" not in whole[0].action
