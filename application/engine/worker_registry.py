"""The worker registry: an entry per running worker (StoryCanvas keeps one for its ComfyUI
servers), and how long silence is tolerated.

A worker publishes its whole entry on every heartbeat. A reader sees it `live` while it beats,
`lost` once it missed LOST_BEATS beats in a row (SIGKILL, a power cut, a network split), with the
time of its last beat, and forgets it `forget_after` seconds later. A worker that stops cleanly
withdraws its entry at once.
"""

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

LOST_BEATS = 3
DEFAULT_BEAT_SECONDS = 5.0


class WorkerRegistry(Protocol):
    def publish(self, entry: dict[str, Any], keep_seconds: float) -> None:
        """Register or heartbeat: the entry replaces the last one; `keep_seconds` is how long
        storage may keep it without another beat."""
        ...

    def withdraw(self, worker_id: str) -> None: ...

    def entries(self) -> list[dict[str, Any]]: ...


def lost_after(entry: dict[str, Any]) -> float:
    """Seconds of silence after which the worker counts as lost (its own beat, times three)."""
    return LOST_BEATS * float(entry.get("heartbeat_every") or DEFAULT_BEAT_SECONDS)


def standing(entry: dict[str, Any], now: float, forget_after: float) -> str:
    """ "live", "lost" or "forgotten"."""
    silent = now - float(entry["last_heartbeat"])
    if silent <= lost_after(entry):
        return "live"
    return "lost" if silent <= lost_after(entry) + forget_after else "forgotten"


def iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds")


def worker_view(entry: dict[str, Any], status: str, now: float) -> dict[str, Any]:
    """An entry as `milimo workers --json` prints it: times in ISO 8601 (UTC)."""
    last = float(entry["last_heartbeat"])
    return {
        **entry,
        "status": status,
        "started_at": iso(float(entry["started_at"])),
        "last_heartbeat": iso(last),
        "heartbeat_age": round(max(0.0, now - last), 1),
        "lost_since": iso(last) if status == "lost" else None,
    }


class WorkerDirectory:
    """What `milimo workers` and the editor's Workers screen list: live and lost workers,
    oldest first; forgotten entries are removed as they are met."""

    def __init__(
        self,
        registry: WorkerRegistry,
        forget_after: float = 600.0,
        clock: Callable[[], float] = time.time,
    ):
        self.registry = registry
        self.forget_after = forget_after
        self.clock = clock

    def workers(self) -> list[dict[str, Any]]:
        now = self.clock()
        views = []
        for entry in self.registry.entries():
            status = standing(entry, now, self.forget_after)
            if status == "forgotten":
                self.registry.withdraw(entry["id"])
                continue
            views.append(worker_view(entry, status, now))
        return sorted(views, key=lambda v: (v["started_at"], v["id"]))
