"""The worker registry's rules on a fake clock: a worker is live while it beats, lost after three
missed beats (with the time of its last one), forgotten later; a clean stop leaves at once."""

from typing import Any

import pytest

from application.engine.worker_presence import WorkerPresence
from application.engine.worker_registry import WorkerDirectory


class Clock:
    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


class InMemoryRegistry:
    """The port as a dict: storage is Redis's or the data dir's in production."""

    def __init__(self) -> None:
        self.stored: dict[str, dict[str, Any]] = {}
        self.kept: dict[str, float] = {}
        self.fail = False

    def publish(self, entry: dict[str, Any], keep_seconds: float) -> None:
        if self.fail:
            raise ConnectionError("registry unreachable")
        self.stored[entry["id"]] = dict(entry)
        self.kept[entry["id"]] = keep_seconds

    def withdraw(self, worker_id: str) -> None:
        self.stored.pop(worker_id, None)

    def entries(self) -> list[dict[str, Any]]:
        return list(self.stored.values())


def presence(
    registry: InMemoryRegistry, clock: Clock, worker_id: str = "w1", every: float = 5.0
) -> WorkerPresence:
    identity: dict[str, Any] = {"id": worker_id, "name": f"gpu-box:{worker_id}", "mode": "redis"}
    identity["queues"] = ["video", "image"]

    def describe() -> dict[str, Any]:
        return {"gpu": {"name": "cpu"}, "resident_models": []}

    return WorkerPresence(registry, identity, describe, every, forget_after=60.0, clock=clock)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def registry() -> InMemoryRegistry:
    return InMemoryRegistry()


def test_a_beating_worker_is_live_with_its_queues_and_last_heartbeat(
    registry: InMemoryRegistry, clock: Clock
) -> None:
    worker = presence(registry, clock)
    worker.beat()
    clock.now += 14.0  # within three beats of 5 s

    (listed,) = WorkerDirectory(registry, forget_after=60.0, clock=clock).workers()

    assert listed["status"] == "live"
    assert listed["queues"] == ["video", "image"]
    assert listed["heartbeat_age"] == 14.0
    assert listed["lost_since"] is None
    assert listed["last_heartbeat"].endswith("+00:00")


def test_a_silent_worker_is_lost_since_its_last_beat_then_forgotten(
    registry: InMemoryRegistry, clock: Clock
) -> None:
    worker = presence(registry, clock)
    worker.beat()
    beat_at = worker.entry()["last_heartbeat"]
    directory = WorkerDirectory(registry, forget_after=60.0, clock=clock)

    clock.now += 16.0  # three beats of 5 s missed
    (lost,) = directory.workers()
    assert lost["status"] == "lost"
    assert lost["lost_since"] == lost["last_heartbeat"]
    assert lost["heartbeat_age"] == pytest.approx(clock.now - beat_at)

    clock.now += 60.0  # lost for longer than forget_after
    assert directory.workers() == []
    assert registry.stored == {}, "a forgotten entry is removed from storage"


def test_the_lost_threshold_follows_each_workers_own_beat(
    registry: InMemoryRegistry, clock: Clock
) -> None:
    presence(registry, clock, "fast", every=1.0).beat()
    presence(registry, clock, "slow", every=10.0).beat()
    clock.now += 5.0

    listed = {w["id"]: w["status"] for w in WorkerDirectory(registry, clock=clock).workers()}

    assert listed == {"fast": "lost", "slow": "live"}


def test_a_clean_stop_leaves_the_registry_at_once(registry: InMemoryRegistry, clock: Clock) -> None:
    worker = presence(registry, clock, every=0.05)
    worker.start()
    assert "w1" in registry.stored
    worker.stop()
    assert WorkerDirectory(registry, clock=clock).workers() == []


def test_the_entry_tells_the_current_job_and_its_progress(
    registry: InMemoryRegistry, clock: Clock
) -> None:
    worker = presence(registry, clock)
    worker.beat()
    worker.job_started("job-1", "video", "shot-1", "project-1")
    assert registry.stored["w1"]["current_job"]["id"] == "job-1", "published at once"

    clock.now += 2.0
    worker.job_progress("job-1", 5, 20)
    job = registry.stored["w1"]["current_job"]
    assert (job["kind"], job["shot_id"], job["step"], job["progress"]) == (
        "video",
        "shot-1",
        5,
        25.0,
    )

    worker.job_progress("another-job", 9, 10)  # not this worker's job: ignored
    worker.job_finished("job-1")
    assert registry.stored["w1"]["current_job"] is None


def test_storage_keeps_an_entry_for_the_lost_window_and_the_forget_window(
    registry: InMemoryRegistry, clock: Clock
) -> None:
    presence(registry, clock, every=5.0).beat()
    assert registry.kept["w1"] == 15.0 + 60.0


def test_an_unreachable_registry_never_stops_the_worker(
    registry: InMemoryRegistry, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    worker = presence(registry, clock)
    registry.fail = True
    worker.beat()
    worker.job_started("job-1", "image", None, "project-1")
    worker.beat()
    assert capsys.readouterr().err.count("registry heartbeat failed") == 1, "said once"
    registry.fail = False
    worker.beat()
    assert registry.stored["w1"]["current_job"]["id"] == "job-1"


def test_workers_are_listed_oldest_first(registry: InMemoryRegistry, clock: Clock) -> None:
    presence(registry, clock, "newer").beat()
    clock.now -= 100.0
    older = presence(registry, clock, "older")
    clock.now += 100.0
    older.beat()

    listed = [w["id"] for w in WorkerDirectory(registry, clock=clock).workers()]

    assert listed == ["older", "newer"]
