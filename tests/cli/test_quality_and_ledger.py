"""Measured takes through the real `milimo` (embedded worker): `shot show`, `shots
--min-consistency`, and `milimo ledger` with its groupings, JSON shape and exit codes."""

from typing import Any

import pytest

from tests.cli.conftest import Result, Run

ROW_KEYS = {
    "group",
    "by",
    "jobs",
    "completed",
    "failed",
    "cancelled",
    "unfinished",
    "retries",
    "gpu_seconds",
    "cpu_seconds",
    "load_seconds",
    "wall_seconds",
    "cancelled_work_seconds",
}


def ok(result: Result) -> Any:
    assert result.code == 0, f"exit {result.code}\nstdout: {result.out}\nstderr: {result.err}"
    return result.json()


@pytest.fixture
def film(milimo: Run) -> dict[str, Any]:
    """Two generated shots: a wide shot (a pan) and a close-up (a push-in)."""
    created = milimo("project", "create", "Pier", "--width", "384", "--height", "256", "--json")
    pid = ok(created)["id"]
    scene = ok(milimo("scene", "add", pid, "Pier", "--json"))["id"]
    shots = [
        ok(
            milimo(
                "shot", "add", pid, "--scene", scene, "--prompt", f"the pier {kind}",
                "--shot-type", kind, "--frames", "25", "--json",
            )
        )["id"]
        for kind in ("wide", "close_up")
    ]  # fmt: skip
    jobs = ok(milimo("generate", pid, "--all", "--wait", "--json"))["jobs"]
    assert [j["status"] for j in jobs] == ["completed", "completed"]
    return {"pid": pid, "shots": shots}


def consistency(milimo: Run, pid: str, shot: str) -> float:
    view = ok(milimo("shot", "show", pid, shot, "--json"))
    (take,) = view["takes"]
    return float(take["quality"]["temporal_consistency"])


def test_measured_takes_are_shown_filtered_and_costed(milimo: Run, film: dict[str, Any]) -> None:
    """One story, to generate once: the takes' quality, then the ledger of their jobs."""
    pid, (wide, close) = film["pid"], film["shots"]
    view = ok(milimo("shot", "show", pid, wide, "--json"))
    quality = view["takes"][0]["quality"]
    assert {"temporal_consistency", "motion", "sharpness", "exposure", "flags"} <= set(quality)
    text = milimo("shot", "show", pid, wide).out
    assert f"take: {view['takes'][0]['id'][:8]} * cons " in text and " · motion " in text

    scores = {wide: consistency(milimo, pid, wide), close: consistency(milimo, pid, close)}
    assert scores[wide] != scores[close]
    low, high = sorted(scores.values())
    listed = ok(milimo("shots", pid, "--min-consistency", str((low + high) / 2), "--json"))
    assert [s["id"] for s in listed] == [k for k, v in scores.items() if v == high]
    assert len(ok(milimo("shots", pid, "--min-consistency", "0", "--json"))) == 2
    assert ok(milimo("shots", pid, "--min-consistency", "1", "--json")) == [] or high == 1.0
    ledger_of_the_film(milimo, film)


@pytest.mark.parametrize("value", ["1.5", "-0.1", "nan", "high"])
def test_min_consistency_outside_0_to_1_is_a_usage_error(milimo: Run, value: str) -> None:
    pid = ok(milimo("project", "create", "Empty", "--json"))["id"]
    result = milimo("shots", pid, "--min-consistency", value, "--json")
    assert result.code == 2 and result.out == "" and "Traceback" not in result.err


def ledger_of_the_film(milimo: Run, film: dict[str, Any]) -> None:
    pid = film["pid"]
    rows = ok(milimo("ledger", pid, "--json"))
    assert [r["group"] for r in rows] == ["Pier", "total"]
    project, total = rows
    assert set(project) >= ROW_KEYS and project["project_id"] == pid
    assert (total["jobs"], total["completed"], total["retries"]) == (2, 2, 0)
    # The animatic runs on the CPU: CPU-seconds, no GPU-seconds.
    assert total["gpu_seconds"] == 0.0 and total["cpu_seconds"] > 0
    assert total["wall_seconds"] >= total["cpu_seconds"]

    by_shot = ok(milimo("ledger", pid, "--by", "shot", "--json"))
    assert [(r["group"], r["jobs"]) for r in by_shot] == [("1.1", 1), ("1.2", 1), ("total", 2)]
    assert [r["shot_id"] for r in by_shot[:2]] == film["shots"]
    by_backend = ok(milimo("ledger", pid, "--by", "backend", "--json"))
    assert [(r["group"], r["jobs"]) for r in by_backend] == [("animatic", 2), ("total", 2)]
    (day, _) = ok(milimo("ledger", pid, "--by", "day", "--json"))
    assert len(day["group"]) == 10 and day["group"][4] == "-"

    other = ok(milimo("project", "create", "Other", "--json"))["id"]
    everyone = ok(milimo("ledger", "--json"))
    assert [r["group"] for r in everyone] == ["Pier", "total"], "a project without jobs has none"
    assert other not in {r.get("project_id") for r in everyone}
    text = milimo("ledger", pid, "--by", "shot").out
    assert text.splitlines()[0].split()[:3] == ["shot", "jobs", "done"]
    assert text.splitlines()[-1].startswith("total")


def test_ledger_exit_codes(milimo: Run) -> None:
    missing = milimo("ledger", "nope", "--json")
    assert missing.code == 4 and missing.out == "" and "no project" in missing.err
    bad = milimo("ledger", "--by", "week")
    assert bad.code == 2 and "Traceback" not in bad.err
    empty = ok(milimo("ledger", "--json"))
    assert empty == [{**empty[0], "group": "total", "jobs": 0}]
    assert "no jobs yet" in milimo("ledger").out
