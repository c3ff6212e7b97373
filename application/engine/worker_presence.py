"""A running worker's entry in the registry: published when it starts, renewed on every beat
(on a thread of its own) and whenever a job starts or ends, withdrawn when it stops cleanly.

The job runner tells it what the worker does (WorkerActivity); `describe` adds what only the
worker's wiring knows: the GPU and its memory, the resident models, the last model swap.
"""

import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from application.engine.worker_registry import WorkerRegistry, lost_after

PROGRESS_EVERY = 1.0  # seconds between entries published for progress alone


class WorkerActivity(Protocol):
    """What the job runner says about its work, for the worker's registry entry."""

    def job_started(self, job_id: str, kind: str, shot_id: str | None, project_id: str) -> None: ...

    def job_progress(self, job_id: str, step: int, total: int) -> None: ...

    def job_finished(self, job_id: str) -> None: ...


class WorkerPresence:
    def __init__(
        self,
        registry: WorkerRegistry,
        identity: dict[str, Any],
        describe: Callable[[], dict[str, Any]],
        every: float,
        forget_after: float,
        clock: Callable[[], float] = time.time,
    ):
        self.registry = registry
        self.identity = identity
        self.id: str = identity["id"]
        self.describe = describe
        self.every = every
        self.forget_after = forget_after
        self.clock = clock
        self.started_at = clock()
        self.current_job: dict[str, Any] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_published = 0.0
        self._complained = False

    def entry(self) -> dict[str, Any]:
        with self._lock:
            job = dict(self.current_job) if self.current_job else None
        return {
            **self.identity,
            **self.describe(),
            "current_job": job,
            "started_at": self.started_at,
            "last_heartbeat": self.clock(),
            "heartbeat_every": self.every,
        }

    def beat(self) -> None:
        """Publish the entry now. A registry that cannot be reached never stops the worker:
        it is said once on stderr, and the next beat tries again."""
        try:
            entry = self.entry()
            self.registry.publish(entry, keep_seconds=lost_after(entry) + self.forget_after)
            self._last_published = self.clock()
            self._complained = False
        except Exception as error:  # any storage failure: the jobs matter more
            if not self._complained:
                self._complained = True
                print(f"milimo worker: registry heartbeat failed: {error}", file=sys.stderr)

    def start(self) -> None:
        self.beat()
        self._thread = threading.Thread(target=self._beating, daemon=True, name="worker-beat")
        self._thread.start()

    def _beating(self) -> None:
        while not self._stop.wait(self.every):
            self.beat()

    def stop(self) -> None:
        """A clean stop: the entry goes at once (a killed worker's is shown lost instead)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            self.registry.withdraw(self.id)
        except Exception as error:
            print(f"milimo worker: could not leave the registry: {error}", file=sys.stderr)

    # -- WorkerActivity -------------------------------------------------------------------------

    def job_started(self, job_id: str, kind: str, shot_id: str | None, project_id: str) -> None:
        with self._lock:
            self.current_job = {
                "id": job_id,
                "kind": kind,
                "shot_id": shot_id,
                "project_id": project_id,
                "progress": 0.0,
                "step": None,
                "total": None,
            }
        self.beat()

    def job_progress(self, job_id: str, step: int, total: int) -> None:
        with self._lock:
            if self.current_job is None or self.current_job["id"] != job_id:
                return
            progress = round(100.0 * step / max(1, total), 1)
            self.current_job.update(step=step, total=total, progress=progress)
        if self.clock() - self._last_published >= PROGRESS_EVERY:
            self.beat()

    def job_finished(self, job_id: str) -> None:
        with self._lock:
            if self.current_job is None or self.current_job["id"] != job_id:
                return
            self.current_job = None
        self.beat()
