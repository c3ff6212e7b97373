"""Empty, binary, enormous and pathological text: a clear domain error or a plan, never a hang.

Speed itself is bench/script_import.py's to measure; the bound here only catches catastrophic
backtracking (which takes hours on these inputs, not seconds), so a busy machine cannot fail it.
"""

import contextlib
import time

import pytest

from domain.errors import DomainError, ScriptUnreadable
from domain.script import parse_script
from domain.script.input_checks import MAX_CHARACTERS
from tests.domain.script.conftest import shots
from tests.fixtures.screenplays.generate import LINES_PER_PAGE, synthetic_screenplay


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        (" \n\t\n  ", "empty"),
        ("\ufeff\r\n", "empty"),
        ("INT. ROOM\x00\x01\x02", "NUL bytes"),
        ("\x01\x02\x03 abc", "does not look like text"),
        ("\ufffd" * 50 + "PNG", "does not look like text"),
        ("[[only a note]]\n/* and a bone */", "nothing but notes"),
        ("x" * (MAX_CHARACTERS + 1), "1,500 pages"),
    ],
)
def test_unreadable_text_is_a_domain_error_saying_why(text: str, reason: str) -> None:
    for mode in ("auto", "fountain", "screenplay", "numbered", "freeform"):
        with pytest.raises(ScriptUnreadable, match=reason):
            parse_script(text, mode)


def test_a_script_of_more_beats_than_any_film_is_refused() -> None:
    with pytest.raises(ScriptUnreadable, match="beats"):
        parse_script("1. Go.\n" * 60_000, "numbered")


BACKTRACKING_BOUND = 60.0  # seconds: linear parsing takes well under one


def seconds_to_parse(text: str, mode: str) -> float:
    start = time.perf_counter()
    with contextlib.suppress(DomainError):
        parse_script(text, mode)
    return time.perf_counter() - start


@pytest.mark.parametrize(
    "text",
    [
        "a" * 1_500_000,
        "*a " * 500_000,
        "*" * 1_500_000,
        "_a_" * 500_000,
        "[[" * 750_000,
        "/*" * 750_000,
        "(" * 1_500_000,
        "MARA: " * 250_000,
        "INT. " * 300_000,
        "A" * 1_000_000 + "\nb\n",
        "X\ny\n\n" * 100_000,
        "word " * 300_000,
        ". " * 750_000,
    ],
    ids=lambda text: repr(text[:8]),
)
@pytest.mark.slow
def test_pathological_text_never_backtracks_for_ever(text: str) -> None:
    for mode in ("auto", "fountain", "screenplay", "numbered", "freeform"):
        assert seconds_to_parse(text, mode) < BACKTRACKING_BOUND, mode


def test_a_120_page_screenplay_parses_into_its_scenes_and_shots() -> None:
    text = synthetic_screenplay(120)
    assert len(text.splitlines()) >= 120 * LINES_PER_PAGE
    plan = parse_script(text)
    assert plan.mode == "fountain"
    assert len(plan.scenes) > 100 and len(shots(plan)) > 1000
    assert "note the writer left" not in plan.model_dump_json()
