"""`milimo script import` as a user meets it: the real console script on real files."""

from pathlib import Path

import pytest

from tests.cli.conftest import Run

NIGHT_TRAIN = """\
Title: The Night Train

EXT. PLATFORM - NIGHT

Steam rolls over the empty platform.

MARA (V.O.)
I almost missed it.

INT. CARRIAGE - NIGHT

Mara walks the aisle, looking for a seat.

MARA
Is this seat free?
"""


def project(milimo: Run) -> str:
    return str(milimo("project", "create", "Night Train", "--json").json()["id"])


def version(milimo: Run, pid: str) -> int:
    return int(milimo("project", "show", pid, "--json").json()["version"])


def write(tmp_path: Path, text: str, name: str = "night-train.fountain") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_dry_run_prints_the_plan_and_records_nothing(milimo: Run, tmp_path: Path) -> None:
    pid = project(milimo)
    script = write(tmp_path, NIGHT_TRAIN)
    result = milimo("script", "import", pid, str(script), "--dry-run", "--json")
    assert result.code == 0, result.err
    plan = result.json()
    assert plan["mode"] == "fountain"
    assert [(s["name"], s["heading"]) for s in plan["scenes"]][1][1] == "INT. CARRIAGE - NIGHT"
    shots = [shot for scene in plan["scenes"] for shot in scene["shots"]]
    assert all({"action", "dialogue", "character", "shot_type"} <= set(s) for s in shots)
    assert any(s["character"] == "MARA" and s["dialogue"] == "I almost missed it." for s in shots)
    assert all(s["status"] == "added" for s in shots)
    assert all({"name", "type"} <= set(e) for e in plan["elements_proposed"])
    assert plan["changes"]["counts"]["shots_added"] == len(shots)
    assert version(milimo, pid) == 1, "a dry run records nothing"

    text = milimo("script", "import", pid, str(script), "--dry-run")
    assert text.code == 0 and "would import (fountain)" in text.out


def test_import_reimport_prune_and_one_undo(milimo: Run, tmp_path: Path) -> None:
    pid = project(milimo)
    script = write(tmp_path, NIGHT_TRAIN)
    first = milimo("script", "import", pid, str(script), "--json")
    assert first.code == 0, first.err
    answer = first.json()
    assert answer["id"] == pid and answer["version"] == 2
    assert answer["scenes_added"] == 2 and answer["shots_added"] >= 4
    assert answer["shots_gone"] == [] and answer["shots_removed"] == 0
    shots = milimo("shots", pid, "--json").json()
    assert all(s["beat"] and s["prompt"] == "" for s in shots)
    history = milimo("history", pid, "--json").json()
    assert history[-1]["type"] == "ScriptImported"
    assert "night-train.fountain" in history[-1]["summary"]

    # The user edits a shot; the script loses a line and gains one.
    edited = next(s for s in shots if s["dialogue"] == "Is this seat free?")
    assert milimo("shot", "set", pid, edited["id"], "shot_type=wide").code == 0
    revised = NIGHT_TRAIN.replace("MARA (V.O.)\nI almost missed it.\n\n", "").replace(
        "Is this seat free?", "Is this seat free?\n\nA conductor whistles."
    )
    write(tmp_path, revised)
    second = milimo("script", "import", pid, str(script), "--json").json()
    assert [g["dialogue"] for g in second["shots_gone"]] == ["I almost missed it."]
    assert second["shots_removed"] == 0 and second["shots_added"] == 1
    after = {s["id"]: s for s in milimo("shots", pid, "--json").json()}
    assert after[edited["id"]]["shot_type"] == "wide", "the user's edit stays"
    assert len(after) == len(shots) + 1, "a gone beat is never removed silently"

    text = milimo("script", "import", pid, str(script), "--dry-run", "--prune")
    assert "1 shot(s) would be removed (--prune)" in text.out
    pruned = milimo("script", "import", pid, str(script), "--prune", "--json").json()
    assert pruned["shots_removed"] == 1
    assert len(milimo("shots", pid, "--json").json()) == len(shots)

    assert milimo("undo", pid).code == 0
    assert len(milimo("shots", pid, "--json").json()) == len(shots) + 1
    assert milimo("undo", pid).code == 0
    assert len(milimo("shots", pid, "--json").json()) == len(shots)
    restored = {s["id"]: s for s in milimo("shots", pid, "--json").json()}
    assert restored[edited["id"]]["shot_type"] == "wide"

    before = milimo("project", "show", pid, "--json").json()
    assert milimo("projections", "rebuild").code == 0
    assert milimo("project", "show", pid, "--json").json() == before


def test_a_utf16_script_reads_like_utf8(milimo: Run, tmp_path: Path) -> None:
    pid = project(milimo)
    path = tmp_path / "utf16.fountain"
    path.write_text(NIGHT_TRAIN, encoding="utf-16")
    result = milimo("script", "import", pid, str(path), "--dry-run", "--json")
    assert result.code == 0, result.err
    assert len(result.json()["scenes"]) == 2


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (None, 4, "not found"),
        ("directory", 3, "is a directory"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, 3, "not UTF-8"),
        (b"caf\xe9 au lait\n" * 20, 3, "not UTF-8 or UTF-16"),
        (b"", 3, "empty"),
        (b"\x00\x01\x02\x03binary\x00" * 50, 3, "binary"),
    ],
)
def test_files_that_are_not_a_script_are_refused_clearly(
    milimo: Run, tmp_path: Path, content: bytes | str | None, code: int, message: str
) -> None:
    pid = project(milimo)
    path = tmp_path / "input.fountain"
    if content == "directory":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    result = milimo("script", "import", pid, str(path))
    assert result.code == code, (result.out, result.err)
    assert message in result.err
    assert "Traceback" not in result.err
    assert version(milimo, pid) == 1


def test_bad_modes_rounds_without_ai_and_unknown_projects_are_refused(
    milimo: Run, tmp_path: Path
) -> None:
    pid = project(milimo)
    script = write(tmp_path, NIGHT_TRAIN)
    rounds = milimo("script", "import", pid, str(script), "--rounds", "2")
    assert rounds.code == 2 and "--mode ai" in rounds.err
    assert milimo("script", "import", pid, str(script), "--mode", "poetry").code == 2
    assert milimo("script", "import", "no-such-project", str(script)).code == 4
    assert version(milimo, pid) == 1


def test_the_cli_modes_are_the_plans_modes() -> None:
    from domain.script.plan import SCRIPT_MODES
    from milimo.cli.commands.script import MODES

    assert MODES == SCRIPT_MODES
