"""The worker registry's storage for real: a hash per worker with a time-to-live in Redis, a JSON
file per worker in the data dir that other processes read."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from application.engine.worker_presence import WorkerPresence
from application.engine.worker_registry import WorkerDirectory, WorkerRegistry
from infrastructure.worker_registry import (
    WORKERS_KEY,
    FileWorkerRegistry,
    RedisWorkerRegistry,
    worker_key,
)

REDIS_URL = "redis://127.0.0.1:6379/7"
UNDER_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture
def redis_registry() -> Iterator[RedisWorkerRegistry]:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        if UNDER_CI:
            pytest.fail(f"CI=true but Redis is not reachable at {REDIS_URL}: {error}")
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({error})")
    registry = RedisWorkerRegistry(REDIS_URL)
    yield registry
    registry.client.close()


def presence(registry: WorkerRegistry, every: float) -> WorkerPresence:
    identity = {"id": uuid.uuid4().hex, "name": "box:1", "mode": "redis", "queues": ["video"]}
    gpu = {"gpu": {"name": "cpu"}, "resident_models": [{"backend": "ltx2", "bytes": 5}]}
    return WorkerPresence(registry, identity, lambda: dict(gpu), every, forget_after=1.0)


def listed(registry: WorkerRegistry, worker_id: str) -> dict[str, Any] | None:
    workers = WorkerDirectory(registry, forget_after=1.0).workers()
    return next((w for w in workers if w["id"] == worker_id), None)


def test_a_worker_registers_in_redis_and_its_entry_reads_back_whole(
    redis_registry: RedisWorkerRegistry,
) -> None:
    worker = presence(redis_registry, every=5.0)
    worker.start()
    try:
        entry = listed(redis_registry, worker.id)
        assert entry is not None and entry["status"] == "live"
        assert entry["queues"] == ["video"]
        assert entry["resident_models"] == [{"backend": "ltx2", "bytes": 5}]
        assert entry["current_job"] is None
        ttl = redis_registry.client.ttl(worker_key(worker.id))
        assert 0 < ttl <= 16, "kept for three beats and the forget window"
    finally:
        worker.stop()
    assert listed(redis_registry, worker.id) is None
    assert not redis_registry.client.sismember(WORKERS_KEY, worker.id)


def test_a_worker_that_stops_beating_is_lost_then_redis_forgets_it(
    redis_registry: RedisWorkerRegistry,
) -> None:
    worker = presence(redis_registry, every=0.3)
    worker.beat()  # one beat, then silence (as after a SIGKILL)
    assert listed(redis_registry, worker.id)["status"] == "live"  # type: ignore[index]

    time.sleep(1.2)  # more than three beats of 0.3 s
    lost = listed(redis_registry, worker.id)
    assert lost is not None and lost["status"] == "lost"
    assert lost["lost_since"] == lost["last_heartbeat"]

    deadline = time.monotonic() + 10
    while redis_registry.client.exists(worker_key(worker.id)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not redis_registry.client.exists(worker_key(worker.id)), "its hash expired"
    assert listed(redis_registry, worker.id) is None
    assert not redis_registry.client.sismember(WORKERS_KEY, worker.id), "the set is pruned"


def test_heartbeats_keep_a_worker_live(redis_registry: RedisWorkerRegistry) -> None:
    worker = presence(redis_registry, every=0.2)
    worker.start()
    try:
        time.sleep(1.5)
        entry = listed(redis_registry, worker.id)
        assert entry is not None and entry["status"] == "live"
        assert entry["heartbeat_age"] < 1.0
    finally:
        worker.stop()


def test_another_process_on_the_box_reads_the_embedded_registry(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "workers"
    script = (
        "import sys, time\n"
        "from application.engine.worker_presence import WorkerPresence\n"
        "from infrastructure.worker_registry import FileWorkerRegistry\n"
        "from pathlib import Path\n"
        "identity = {'id': 'embedded-1', 'name': 'box:2', 'mode': 'embedded', 'queues': ['cpu']}\n"
        "p = WorkerPresence(FileWorkerRegistry(Path(sys.argv[1])), identity, dict, 0.2, 60.0)\n"
        "p.start()\n"
        "print('ready', flush=True)\n"
        "sys.stdin.readline()\n"
        "p.stop()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        registry = FileWorkerRegistry(folder)
        entry = listed(registry, "embedded-1")
        assert entry is not None and entry["status"] == "live" and entry["queues"] == ["cpu"]
        assert proc.stdin is not None
        proc.stdin.write("stop\n")
        proc.stdin.flush()
        assert proc.wait(timeout=20) == 0
        assert listed(registry, "embedded-1") is None, "a clean stop removes its file"
        assert list(folder.iterdir()) == [], "no temporary files left"
    finally:
        if proc.poll() is None:
            proc.kill()
