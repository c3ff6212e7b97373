"""Keys name the same beat across imports of an edited script."""

from domain.script import parse_script
from tests.domain.script.conftest import screenplay, shots

SCRIPT = """INT. ROOM - DAY

She waits.

MARA
Where is he?

She waits.

INT. ROOM - DAY

She waits.
"""


def keys(text: str) -> list[str]:
    return [s.key for s in shots(parse_script(text, "fountain"))]


def test_keys_are_the_same_for_the_same_script_and_distinct_within_it() -> None:
    first = keys(SCRIPT)
    assert first == keys(SCRIPT)
    assert len(set(first)) == len(first)
    plan = parse_script(SCRIPT, "fountain")
    assert len({s.key for s in plan.scenes}) == 2


def test_editing_one_beat_changes_only_that_beats_key() -> None:
    before = keys(SCRIPT)
    after = keys(SCRIPT.replace("Where is he?", "Where has he gone?"))
    assert [b == a for b, a in zip(before, after, strict=True)] == [True, False, True, True]


def test_case_whitespace_and_emphasis_do_not_change_a_key() -> None:
    assert keys(SCRIPT) == keys(SCRIPT.replace("Where is he?", "*Where*   is HE?"))


def test_adding_a_beat_elsewhere_changes_no_other_key() -> None:
    before = keys(SCRIPT)
    added = SCRIPT.replace("MARA\n", "A gull cries.\n\nMARA\n", 1)
    after = keys(added)
    assert len(after) == len(before) + 1
    assert set(before) <= set(after)
    new_scene = "INT. HALL - NIGHT\n\nThunder.\n\n" + SCRIPT
    assert set(before) <= set(keys(new_scene))


def test_a_scene_number_or_a_stated_duration_added_later_keeps_the_keys() -> None:
    numbered = SCRIPT.replace("INT. ROOM - DAY\n", "INT. ROOM - DAY #4#\n", 1)
    assert keys(numbered) == keys(SCRIPT)
    timed = SCRIPT.replace("Where is he?", "Where is he? (6 sec)")
    assert keys(timed) == keys(SCRIPT)


def test_keys_of_a_real_script_are_unique() -> None:
    found = shots(parse_script(screenplay("full_fountain.fountain")))
    assert len({s.key for s in found}) == len(found)
