"""`generate --variants/--priority`, `batches`, `batch show|cancel`: exit codes, JSON shapes, and
nothing recorded on refusal. The test holds the data dir's worker lock, so no background worker
starts and the jobs stay queued for the commands to steer."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infrastructure.embedded_worker import WorkerLock
from tests.cli.conftest import Result, Run


def ok(result: Result) -> Any:
    assert result.code == 0, f"exit {result.code}\nstdout: {result.out}\nstderr: {result.err}"
    return result.json()


@pytest.fixture
def no_worker(tmp_path: Path) -> Iterator[None]:
    lock = WorkerLock(tmp_path / "data")
    assert lock.acquire()
    yield
    lock.release()
    lock.path.write_text("")  # it names this process: the `milimo` fixture would kill it


@pytest.fixture
def project(milimo: Run, no_worker: None) -> tuple[str, list[str]]:
    pid = ok(milimo("project", "create", "Harbour", "--json"))["id"]
    scene = ok(milimo("scene", "add", pid, "Quay", "--json"))["id"]
    shots = [
        ok(milimo("shot", "add", pid, "--scene", scene, "--prompt", p, "--json"))["id"]
        for p in ("gulls wheel", "a rope tightens")
    ]
    ok(milimo("shot", "set", pid, shots[0], "seed=7", "--json"))
    return pid, shots


def test_variants_are_one_group_of_consecutive_seeds_in_one_batch(
    milimo: Run, project: tuple[str, list[str]]
) -> None:
    pid, (shot, _) = project
    out = ok(milimo("generate", pid, shot, "--variants", "3", "--priority", "rush", "--json"))
    jobs = out["jobs"]
    assert [(j["variant"], j["seed"], j["priority"]) for j in jobs] == [
        (0, 7, "rush"),
        (1, 8, "rush"),
        (2, 9, "rush"),
    ]
    assert len({j["group"] for j in jobs}) == 1 and out["batch_id"]

    listed = ok(milimo("jobs", pid, "--json"))
    assert [(j["group"], j["variant"], j["batch_id"]) for j in listed] == [
        (jobs[0]["group"], i, out["batch_id"]) for i in range(3)
    ]
    assert {j["queue"] for j in listed} == {"video.rush"}
    audit = ok(milimo("audit", pid, "--json"))
    assert [(a["variant"], a["request"]["seed"], a["priority"]) for a in audit] == [
        (0, 7, "rush"),
        (1, 8, "rush"),
        (2, 9, "rush"),
    ]
    (batch,) = ok(milimo("batches", pid, "--json"))
    assert batch["id"] == out["batch_id"]
    assert {k: batch[k] for k in ("total_jobs", "waiting_jobs", "variants", "status")} == {
        "total_jobs": 3,
        "waiting_jobs": 3,
        "variants": 3,
        "status": "queued",
    }


def test_a_multi_shot_generate_is_a_batch_a_single_job_is_not(
    milimo: Run, project: tuple[str, list[str]]
) -> None:
    pid, shots = project
    single = ok(milimo("generate", pid, shots[0], "--json"))
    assert single["batch_id"] is None and single["jobs"][0]["priority"] == "normal"
    every = ok(milimo("generate", pid, "--all", "--priority", "low", "--json"))
    shown = ok(milimo("batch", "show", every["batch_id"][:8], "--json"))
    assert shown["jobs"] == [j["id"] for j in every["jobs"]]
    assert (shown["total_jobs"], shown["priority"], shown["variants"]) == (2, "low", 1)
    text = milimo("batch", "show", every["batch_id"])
    assert text.code == 0 and "2 jobs: 0 completed, 0 failed" in text.out


REFUSALS = [
    (["--variants", "0"], 3, "variants must be between 1 and 8"),
    (["--variants", "9"], 3, "variants must be between 1 and 8"),
    (["--variants", "two"], 2, "invalid int value"),
    (["--priority", "urgent"], 2, "invalid choice"),
]


def test_a_refused_generate_records_nothing(milimo: Run, project: tuple[str, list[str]]) -> None:
    pid, shots = project
    before = ok(milimo("history", pid, "--json"))
    for args, code, message in REFUSALS:
        result = milimo("generate", pid, shots[0], *args)
        assert (result.code, result.out) == (code, ""), (args, result.err)
        assert message in result.err and "Traceback" not in result.err
    assert ok(milimo("jobs", pid, "--json")) == []
    assert ok(milimo("history", pid, "--json")) == before


def test_a_batch_is_cancelled_as_a_whole_and_again_is_a_no_op(
    milimo: Run, project: tuple[str, list[str]]
) -> None:
    pid, _ = project
    out = ok(milimo("generate", pid, "--all", "--variants", "2", "--json"))
    cancelled = ok(milimo("batch", "cancel", out["batch_id"], "--json"))
    assert cancelled["changed"] is True
    assert [j["status"] for j in cancelled["jobs"]] == ["cancelled"] * 4
    batch = ok(milimo("batch", "show", out["batch_id"], "--json"))
    assert (batch["cancelled_jobs"], batch["waiting_jobs"], batch["status"]) == (4, 0, "cancelled")

    again = milimo("batch", "cancel", out["batch_id"])
    assert again.code == 0 and "nothing to cancel" in again.out
    assert ok(milimo("batch", "cancel", out["batch_id"], "--json"))["changed"] is False


def test_an_unknown_batch_is_not_found(milimo: Run, project: tuple[str, list[str]]) -> None:
    for verb in ("show", "cancel"):
        result = milimo("batch", verb, "feedbeef")
        assert result.code == 4 and "no batch 'feedbeef'" in result.err
        assert "Traceback" not in result.err


def test_a_worker_for_an_unknown_queue_is_a_usage_error(milimo: Run) -> None:
    result = milimo("worker", "--queues", "video,sound")
    assert result.code == 2 and "unknown queue sound" in result.err
