"""`milimo workers` lists the real workers: a `milimo worker` process on Redis and the embedded
background worker, each with its pid, queues and current job; killed, it shows as lost; stopped
cleanly, it is gone."""

import signal
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Run
from tests.engine.conftest import (
    LONG_SHOT,
    Workers,
    embedded_worker_pid,
    kill_embedded_worker,
    make_project,
    ok,
    wait_until,
    wait_until_running,
)

pytestmark = pytest.mark.slow

BEAT = {"MILIMO_WORKER_HEARTBEAT_SECONDS": "0.5"}  # lost after 1.5 s of silence


@pytest.fixture
def beating_workers(redis_env: dict[str, str], tmp_path: Path) -> Any:
    pool = Workers({**redis_env, **BEAT}, tmp_path / "worker-logs")
    try:
        yield pool
    finally:
        pool.stop_all()


def listed(milimo: Run, pid: int) -> dict[str, Any] | None:
    workers = ok(milimo("workers", "--json"))
    return next((w for w in workers if w["pid"] == pid), None)


def test_a_redis_worker_is_listed_live_then_lost_when_killed(
    redis_milimo: Run, beating_workers: Workers
) -> None:
    proc = beating_workers.start("--queues", "video,cpu")
    beating_workers.wait_ready(proc)

    entry = listed(redis_milimo, proc.pid)
    assert entry is not None, ok(redis_milimo("workers", "--json"))
    assert entry["status"] == "live" and entry["mode"] == "redis"
    assert set(entry["queues"]) >= {"video", "cpu"}
    assert not set(entry["queues"]) & {"image", "segment"}
    assert entry["gpu"]["name"] and entry["current_job"] is None
    text = redis_milimo("workers").out
    assert f":{proc.pid}" in text and "live" in text

    beating_workers.kill(proc)  # SIGKILL: no chance to deregister

    lost = wait_until(
        lambda: (e := listed(redis_milimo, proc.pid)) and e["status"] == "lost" and e,
        20,
        0.3,
        what="the killed worker to be shown lost",
    )
    assert lost["lost_since"] == lost["last_heartbeat"]
    assert "lost since" in redis_milimo("workers").out


def test_a_redis_worker_shows_its_job_and_leaves_when_stopped_cleanly(
    redis_milimo: Run, beating_workers: Workers
) -> None:
    proc = beating_workers.start()
    beating_workers.wait_ready(proc)
    pid, (shot_id,) = make_project(redis_milimo, [LONG_SHOT])
    (job,) = ok(redis_milimo("generate", pid, shot_id, "--json"))["jobs"]
    wait_until_running(redis_milimo, job["id"])

    def working() -> dict[str, Any] | None:
        entry = listed(redis_milimo, proc.pid)
        current = (entry or {}).get("current_job") or {}
        return entry if current.get("id") == job["id"] else None

    entry = wait_until(working, 20, 0.3, what="the worker's entry to show its job")
    assert entry["current_job"]["shot_id"] == shot_id
    assert entry["current_job"]["kind"] == "video"
    assert [m["backend"] for m in entry["resident_models"]] == ["animatic"]

    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=120)  # it finishes the job, then leaves
    assert listed(redis_milimo, proc.pid) is None


def test_the_embedded_worker_is_listed_and_shown_lost_when_killed(
    milimo: Run, data_dir: Path, reap_embedded_worker: None
) -> None:
    pid, (shot_id,) = make_project(milimo, [LONG_SHOT])
    (job,) = ok(milimo("generate", pid, shot_id, "--json", extra_env=BEAT))["jobs"]
    wait_until_running(milimo, job["id"])
    worker_pid = embedded_worker_pid(data_dir)
    assert worker_pid is not None

    entry = wait_until(lambda: listed(milimo, worker_pid), 20, 0.3, what="the embedded worker")
    assert entry["mode"] == "embedded"
    assert entry["data_dir"] == str(data_dir.resolve())
    assert set(entry["queues"]) >= {"video", "image", "segment", "cpu"}

    kill_embedded_worker(data_dir, whole_group=True)

    lost = wait_until(
        lambda: (e := listed(milimo, worker_pid)) and e["status"] == "lost" and e,
        20,
        0.3,
        what="the killed embedded worker to be shown lost",
    )
    assert lost["current_job"]["id"] == job["id"], "what it was doing when it went silent"


def test_the_embedded_worker_leaves_the_list_when_terminated(
    milimo: Run, data_dir: Path, reap_embedded_worker: None
) -> None:
    import os

    from tests.engine.conftest import process_alive

    pid, (shot_id,) = make_project(milimo, [LONG_SHOT])
    (job,) = ok(milimo("generate", pid, shot_id, "--json", extra_env=BEAT))["jobs"]
    wait_until_running(milimo, job["id"])
    worker_pid = embedded_worker_pid(data_dir)
    assert worker_pid is not None
    wait_until(lambda: listed(milimo, worker_pid), 20, 0.3, what="the embedded worker")

    os.kill(worker_pid, signal.SIGTERM)  # a shutdown: it deregisters on its way out

    wait_until(lambda: not process_alive(worker_pid), 30, 0.2, what="the worker to exit")
    assert listed(milimo, worker_pid) is None
