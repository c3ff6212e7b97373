"""Priorities and batches with real Redis and a real `milimo worker`: a rush job overtakes the
jobs waiting behind a busy worker, never the one it runs; a batch is cancelled as a whole."""

from typing import Any

import pytest

from tests.cli.conftest import Run
from tests.engine.conftest import (
    FINAL,
    LONG_SHOT,
    Workers,
    make_project,
    ok,
    wait_until,
    wait_until_running,
)

pytestmark = pytest.mark.slow

SMALL = {"prompt": "a gull lands", "frames": 9}
SIZE = {"width": 320, "height": 256, "fps": 24}


def in_process_engine(redis_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """The engine the CLI uses, in this process: three requests land within a fraction of a
    second, all while the worker is still busy."""
    from infrastructure.bootstrap import bootstrap
    from infrastructure.settings import load_settings
    from milimo import wiring

    for key, value in redis_env.items():
        if key.startswith("MILIMO_"):
            monkeypatch.setenv(key, value)
    m = bootstrap(load_settings())
    return m, wiring.engine(m)


def all_final(milimo: Run, job_ids: list[str], timeout: float) -> list[dict[str, Any]]:
    def probe() -> list[dict[str, Any]] | None:
        docs = [ok(milimo("job", "show", j, "--json")) for j in job_ids]
        return docs if all(d["status"] in FINAL for d in docs) else None

    return wait_until(probe, timeout, 0.5, what="the jobs to finish")  # type: ignore[no-any-return]


def test_a_rush_job_runs_next_after_the_running_one_ahead_of_waiting_ones(
    redis_milimo: Run,
    workers: Workers,
    redis_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    worker = workers.start("--queues", "video")  # a kind means every priority of it
    workers.wait_ready(worker)
    pid, (long_shot, *small) = make_project(redis_milimo, [LONG_SHOT, SMALL, SMALL, SMALL])
    (long_job,) = ok(redis_milimo("generate", pid, long_shot, "--json"))["jobs"]
    wait_until_running(redis_milimo, long_job["id"])

    m, engine = in_process_engine(redis_env, monkeypatch)
    try:
        low = engine.generate(pid, [small[0]], priority="low")[0]
        normal = engine.generate(pid, [small[1]], priority="normal")[0]
        rush = engine.generate(pid, [small[2]], priority="rush")[0]
        assert ok(redis_milimo("job", "show", long_job["id"], "--json"))["status"] == "running"
    finally:
        m.close()

    docs = all_final(redis_milimo, [long_job["id"], low, normal, rush], timeout=240)
    assert [d["status"] for d in docs] == ["completed"] * 4, docs
    assert [d["events"].count("JobStarted") for d in docs] == [1] * 4, "nothing was pre-empted"
    by_start = sorted(docs, key=lambda d: d["started_at"])
    assert [d["id"] for d in by_start] == [long_job["id"], rush, normal, low]
    assert [d["queue"] for d in by_start] == ["video", "video.rush", "video", "video.low"]


def test_a_batch_is_cancelled_as_a_whole_the_running_job_at_its_next_step(
    redis_milimo: Run, workers: Workers
) -> None:
    worker = workers.start()
    workers.wait_ready(worker)
    pid, _ = make_project(redis_milimo, [LONG_SHOT, SMALL, SMALL])
    out = ok(redis_milimo("generate", pid, "--all", "--json"))
    first = out["jobs"][0]["id"]
    wait_until_running(redis_milimo, first)

    cancelled = ok(redis_milimo("batch", "cancel", out["batch_id"][:10], "--json"))
    assert [j["status"] for j in cancelled["jobs"]] == ["cancelling", "cancelled", "cancelled"]

    docs = all_final(redis_milimo, [j["id"] for j in out["jobs"]], timeout=120)
    assert [d["status"] for d in docs] == ["cancelled"] * 3
    assert "JobStarted" not in docs[1]["events"] + docs[2]["events"]
    batch = ok(redis_milimo("batch", "show", out["batch_id"], "--json"))
    assert (batch["cancelled_jobs"], batch["status"]) == (3, "cancelled")
    assert worker.poll() is None, workers.log(worker)
