"""`milimo workers`: one JSON list with --json, humane lines without, lost workers marked."""

import time
from pathlib import Path
from typing import Any

from infrastructure.worker_registry import FileWorkerRegistry
from tests.cli.conftest import Run

FIELDS = {
    "id",
    "name",
    "host",
    "pid",
    "mode",
    "queues",
    "gpu",
    "resident_models",
    "current_job",
    "started_at",
    "last_heartbeat",
    "heartbeat_age",
    "status",
    "lost_since",
}


def entry(worker_id: str, silent_for: float, **fields: Any) -> dict[str, Any]:
    """What an embedded worker publishes (milimo/presence.py), `silent_for` seconds ago."""
    now = time.time()
    return {
        "id": worker_id,
        "name": f"box:{fields.get('pid', 4242)}",
        "host": "box",
        "pid": 4242,
        "mode": "embedded",
        "queues": ["video", "image", "segment", "cpu"],
        "gpu": {"name": "cpu", "total_bytes": 16e9, "used_bytes": 4e9, "free_bytes": 12e9},
        "device": "cpu",
        "resident_models": [{"backend": "ltx2", "model": "/m/ltx2", "bytes": 38_000_000_000}],
        "memory": {"budget_bytes": None, "resident_bytes": 38_000_000_000},
        "swaps": 1,
        "last_swap": {
            "loaded": {"backend": "ltx2", "model": "/m/ltx2", "bytes": 38_000_000_000},
            "unloaded": [{"backend": "flux2", "model": "/m/flux2", "bytes": 18_000_000_000}],
            "reason": "memory: need 45.60 GB, free 30.00 GB (device memory)",
            "load_seconds": 41.2,
        },
        "loads": 2,
        "current_job": {"id": "f" * 32, "kind": "video", "shot_id": "a" * 32, "progress": 40.0},
        "started_at": now - 600,
        "last_heartbeat": now - silent_for,
        "heartbeat_every": 5.0,
        **fields,
    }


def test_no_workers_is_an_empty_list(milimo: Run) -> None:
    result = milimo("workers", "--json")
    assert result.code == 0, result.err
    assert result.json() == []
    text = milimo("workers")
    assert text.code == 0 and "no workers" in text.out


def test_workers_lists_live_and_lost_workers_oldest_first(milimo: Run, tmp_path: Path) -> None:
    other = tmp_path / "other-data"
    registry = FileWorkerRegistry(other / "workers")
    registry.publish(entry("live1", silent_for=1.0), keep_seconds=60)
    registry.publish(entry("lost1", silent_for=30.0, pid=99, started_at=1.0), keep_seconds=60)

    result = milimo("workers", "--data-dir", str(other), "--json")

    assert result.code == 0, result.err
    workers = result.json()
    assert [w["id"] for w in workers] == ["lost1", "live1"]
    assert all(set(w) >= FIELDS for w in workers)
    lost, live = workers
    assert (live["status"], live["lost_since"]) == ("live", None)
    assert lost["status"] == "lost" and lost["lost_since"] == lost["last_heartbeat"]
    assert live["last_swap"]["unloaded"][0]["backend"] == "flux2"

    text = milimo("workers", "--data-dir", str(other)).out
    assert "lost since" in text and "live" in text
    assert "models ltx2 (38.0 GB)" in text
    assert "last swap: unloaded flux2 for ltx2 (memory: need 45.60 GB, free 30.00 GB" in text
    assert "job ffffffff video shot aaaaaaaa 40%" in text


def test_a_long_lost_worker_is_forgotten(milimo: Run, tmp_path: Path) -> None:
    other = tmp_path / "other-data"
    registry = FileWorkerRegistry(other / "workers")
    registry.publish(entry("gone", silent_for=120.0), keep_seconds=60)

    result = milimo(
        "workers", "--data-dir", str(other), "--json",
        extra_env={"MILIMO_WORKER_FORGET_SECONDS": "60"},
    )  # fmt: skip

    assert result.code == 0 and result.json() == []
    assert registry.entries() == []


def test_an_unreachable_broker_is_an_error_without_a_traceback(milimo: Run) -> None:
    result = milimo("workers", extra_env={"MILIMO_BROKER_URL": "redis://127.0.0.1:1/0"})
    assert result.code == 1
    assert "milimo: error:" in result.err and "Traceback" not in result.err
