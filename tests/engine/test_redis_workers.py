"""Redis mode: MILIMO_BROKER_URL=redis://… and separate `milimo worker` processes.

Real Redis (a dedicated db, emptied for each test), real worker processes started here and
ended with each test. The store stays the truth: a lost message or a dead worker loses no job,
and a message delivered twice runs the job once.
"""

import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Run
from tests.engine.conftest import (
    FINAL,
    LONG_FRAMES,
    LONG_SHOT,
    WAITING,
    Workers,
    job,
    make_project,
    ok,
    probe_video,
    sha256,
    shots_by_id,
    wait_until,
    wait_until_running,
)

pytestmark = pytest.mark.slow

SMALL_SIZE = {"width": 320, "height": 256, "fps": 24}
SMALL_SHOTS = [
    {"prompt": "rain on the deck", "frames": 17},
    {"prompt": "a lantern swings", "frames": 25, "width": 256, "height": 288, "fps": 12},
    {"prompt": "the horn sounds", "frames": 9},
]
REDELIVERY_WAIT = 60.0  # seconds a killed worker's job may take to start again
RUN_WAIT = 180.0  # seconds the long job may then take to finish on a loaded 2-core machine


def jobs_of(milimo: Run, pid: str) -> list[dict[str, Any]]:
    return ok(milimo("jobs", pid, "--json"))  # type: ignore[no-any-return]


def wait_all_final(milimo: Run, pid: str, timeout: float = 60) -> list[dict[str, Any]]:
    def probe() -> list[dict[str, Any]] | None:
        jobs = jobs_of(milimo, pid)
        return jobs if jobs and all(j["status"] in FINAL for j in jobs) else None

    return wait_until(probe, timeout, 0.2, what="every job to finish")  # type: ignore[no-any-return]


def redispatched(log: str) -> int:
    match = re.search(r"re-dispatched (\d+) waiting job", log)
    assert match, log
    return int(match.group(1))


def assert_one_take_each(milimo: Run, pid: str, jobs: list[dict[str, Any]]) -> None:
    shots = shots_by_id(milimo, pid)
    for j in jobs:
        shot = shots[j["shot_id"]]
        assert [t["job_id"] for t in shot["takes"]] == [j["id"]], shot["takes"]
        take = shot["takes"][0]
        assert Path(take["path"]).is_file()
        assert take["sha256"] == sha256(take["path"])
        video = probe_video(take["path"])
        assert (video["width"], video["height"], video["frames"]) == (
            shot["width"],
            shot["height"],
            shot["num_frames"],
        )


def unacked(redis_url: str, job_id: str) -> set[str]:
    """The Dramatiq ack sets (one per worker and queue) holding a message for `job_id`."""
    import json

    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        holders = set()
        for key in client.scan_iter("dramatiq:__acks__.*"):
            for message_id in client.smembers(key):
                data = client.hget("dramatiq:video.msgs", message_id)
                if data and json.loads(data)["args"] == [job_id]:
                    holders.add(key.decode())
        return holders
    finally:
        client.close()


def test_two_workers_run_every_generated_job(redis_milimo: Run, workers: Workers) -> None:
    procs = [workers.start(), workers.start()]
    for proc in procs:
        workers.wait_ready(proc)
    pid, _ = make_project(redis_milimo, SMALL_SHOTS, **SMALL_SIZE)

    requested = ok(redis_milimo("generate", pid, "--all", "--json"))["jobs"]

    assert all(j["status"] in WAITING for j in requested)
    jobs = wait_all_final(redis_milimo, pid)
    assert [j["status"] for j in jobs] == ["completed"] * 3, jobs
    assert [j["id"] for j in jobs] == [j["id"] for j in requested]
    assert {j["worker"]["pid"] for j in jobs} <= {p.pid for p in procs}
    assert all(j["events"].count("JobStarted") == 1 for j in jobs)
    assert_one_take_each(redis_milimo, pid, jobs)


def test_a_job_of_a_killed_worker_runs_again_on_a_new_worker(
    redis_milimo: Run, workers: Workers, redis_url: str, request: pytest.FixtureRequest
) -> None:
    first = workers.start()
    workers.wait_ready(first)
    pid, (shot_id,) = make_project(redis_milimo, [LONG_SHOT])
    (long_job,) = ok(redis_milimo("generate", pid, shot_id, "--json"))["jobs"]
    running = wait_until_running(redis_milimo, long_job["id"])
    assert running["worker"]["pid"] == first.pid

    workers.kill(first)  # SIGKILL mid-job
    killed_at = time.monotonic()
    dead_acks = unacked(redis_url, long_job["id"])
    assert job(redis_milimo, long_job["id"])["status"] == "running"
    second = workers.start()
    at_start = redispatched(workers.wait_ready(second))

    # Which mechanism ran it again: the dead worker's unacked message requeued by Dramatiq's
    # maintenance (then it has left the dead worker's ack set when the second attempt starts),
    # or a new message from the new worker (its re-dispatch at start, or its janitor).
    seen: dict[str, Any] = {}

    def started_again() -> dict[str, Any] | None:
        doc = job(redis_milimo, long_job["id"])
        if doc["events"].count("JobStarted") >= 2 or doc["status"] in FINAL:
            seen["requeued"] = bool(dead_acks) and not dead_acks & unacked(redis_url, doc["id"])
            seen["after"] = time.monotonic() - killed_at
            return doc
        return None

    wait_until(started_again, REDELIVERY_WAIT, 0.5, what="the killed worker's job to start again")

    def finished() -> dict[str, Any] | None:
        doc = job(redis_milimo, long_job["id"])
        return doc if doc["status"] in FINAL else None

    doc = wait_until(finished, RUN_WAIT, 0.5, what="the job's second attempt to finish")

    waited = time.monotonic() - killed_at
    if at_start:
        source = "re-dispatched by the new worker at start"
    elif seen.get("requeued"):
        source = "the dead worker's unacked message, requeued by Dramatiq's maintenance"
    else:
        source = "a new message from the new worker's janitor (heartbeat expired)"
    how = (
        f"{source}; second attempt seen {seen.get('after', waited):.0f} s and job done "
        f"{waited:.0f} s after the kill"
    )
    request.node.user_properties.append(("recovery", how))
    print(f"recovery: {how}")
    assert doc["status"] == "completed"
    assert doc["events"].count("JobStarted") == 2
    assert doc["worker"]["pid"] == second.pid
    takes = shots_by_id(redis_milimo, pid)[shot_id]["takes"]
    assert [t["job_id"] for t in takes] == [long_job["id"]]
    assert takes[0]["sha256"] == sha256(takes[0]["path"])
    assert probe_video(takes[0]["path"])["frames"] == LONG_FRAMES


def test_a_job_delivered_twice_runs_once(
    redis_milimo: Run, workers: Workers, redis_url: str
) -> None:
    from infrastructure.redis_dispatch import RedisDispatcher

    for proc in (workers.start(), workers.start()):
        workers.wait_ready(proc)
    pid, (shot_id,) = make_project(redis_milimo, [LONG_SHOT])
    (long_job,) = ok(redis_milimo("generate", pid, shot_id, "--json"))["jobs"]
    wait_until_running(redis_milimo, long_job["id"])

    # A second message for the running job (as a re-dispatch or a redelivery would send).
    RedisDispatcher(redis_url).dispatch([long_job["id"]], {long_job["id"]: "video"})

    (done,) = wait_all_final(redis_milimo, pid)
    assert done["status"] == "completed"
    RedisDispatcher(redis_url).dispatch([long_job["id"]], {long_job["id"]: "video"})
    time.sleep(2)  # any run of a duplicate has recorded its JobStarted by now
    doc = job(redis_milimo, long_job["id"])
    assert doc["events"].count("JobStarted") == 1, doc["events"]
    assert doc["events"][-1] == "JobCompleted"
    assert_one_take_each(redis_milimo, pid, [doc])


def test_waiting_jobs_survive_a_redis_flush(
    redis_milimo: Run, workers: Workers, redis_url: str
) -> None:
    import redis

    pid, _ = make_project(redis_milimo, SMALL_SHOTS[:2], **SMALL_SIZE)
    requested = ok(redis_milimo("generate", pid, "--all", "--json"))["jobs"]
    assert [j["status"] for j in requested] == ["queued", "queued"]
    client = redis.Redis.from_url(redis_url)
    try:
        assert client.dbsize() > 0, "generate put no message in Redis"
        client.flushdb()  # a Redis restart without persistence: the messages are gone
    finally:
        client.close()

    worker = workers.start()

    assert redispatched(workers.wait_ready(worker)) == 2
    jobs = wait_all_final(redis_milimo, pid)
    assert [j["status"] for j in jobs] == ["completed"] * 2
    assert all(j["events"].count("JobStarted") == 1 for j in jobs)
    assert_one_take_each(redis_milimo, pid, jobs)


def test_jobs_waiting_when_redis_loses_its_data_under_a_running_worker_still_run(
    redis_milimo: Run, workers: Workers, redis_url: str
) -> None:
    import redis

    worker = workers.start()
    workers.wait_ready(worker)
    pid, (long_shot, *_) = make_project(redis_milimo, [LONG_SHOT, *SMALL_SHOTS[:2]])
    (long_job,) = ok(redis_milimo("generate", pid, long_shot, "--json"))["jobs"]
    wait_until_running(redis_milimo, long_job["id"])
    waiting = ok(redis_milimo("generate", pid, *_, "--json"))["jobs"]
    client = redis.Redis.from_url(redis_url)
    try:
        client.flushdb()  # Redis restarted without persistence while the worker runs a job
    finally:
        client.close()

    jobs = wait_all_final(redis_milimo, pid, timeout=RUN_WAIT)
    assert [j["status"] for j in jobs] == ["completed"] * 3, jobs
    assert {j["id"] for j in jobs} == {long_job["id"], *(j["id"] for j in waiting)}
    assert all(j["worker"]["pid"] == worker.pid for j in jobs)


def test_an_image_queue_worker_does_not_take_video_jobs(
    redis_milimo: Run, workers: Workers
) -> None:
    image_only = workers.start("--queues", "image")
    assert "queues image;" in workers.wait_ready(image_only)
    pid, _ = make_project(redis_milimo, SMALL_SHOTS[:1], **SMALL_SIZE)
    (requested,) = ok(redis_milimo("generate", pid, "--all", "--json"))["jobs"]

    time.sleep(3)  # ample for a 17-frame animatic, had the worker taken it

    assert job(redis_milimo, requested["id"])["status"] == "queued"
    assert image_only.poll() is None

    video = workers.start("--queues", "video")
    workers.wait_ready(video)
    (done,) = wait_all_final(redis_milimo, pid)
    assert done["status"] == "completed"
    assert done["worker"]["pid"] == video.pid


def test_no_job_waits_behind_a_busy_worker(redis_milimo: Run, workers: Workers) -> None:
    for proc in (workers.start(), workers.start()):
        workers.wait_ready(proc)
    pid, (long_shot, *small_shots) = make_project(redis_milimo, [LONG_SHOT, *SMALL_SHOTS])
    (long_job,) = ok(redis_milimo("generate", pid, long_shot, "--json"))["jobs"]
    wait_until_running(redis_milimo, long_job["id"])

    small = ok(redis_milimo("generate", pid, *small_shots, "--json"))["jobs"]

    jobs = {j["id"]: j for j in wait_all_final(redis_milimo, pid, timeout=90)}
    long_done = jobs[long_job["id"]]
    assert [jobs[j["id"]]["status"] for j in small] == ["completed"] * len(small)
    # Only jobs requested while the long one still ran can show it (on a loaded machine the
    # `generate` command itself may take seconds).
    while_busy = [
        jobs[s["id"]] for s in small if jobs[s["id"]]["requested_at"] < long_done["updated_at"]
    ]
    assert while_busy, "the small jobs were requested after the long job ended: nothing to see"
    waited = [
        f"{j['id'][:8]} started {j['started_at']} on the busy worker {j['worker']['pid']}"
        for j in while_busy
        if j["started_at"] > long_done["updated_at"]
    ]
    assert not waited, (
        f"queued jobs waited for the long job (done {long_done['updated_at']}) although "
        f"another worker was idle: {waited}"
    )
