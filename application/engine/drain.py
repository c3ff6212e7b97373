"""The embedded worker's loop: hand the waiting jobs to the worker's actor one at a time, the
most urgent first (a job its dead worker left running, then rush, normal, low; oldest first
within each), until nothing has waited for a while. The store is the queue, so a rush job
requested while another runs is the next one taken, and a running job is never pre-empted."""

import time
from collections.abc import Callable
from typing import Any

from application.projection import ProjectProjection
from application.read_models import ReadModels
from domain.job.priority import rank

WAITING = ("pending", "queued", "running")
LEFT_RUNNING = "re-run: its worker stopped before it finished"

# Runs a batch of (job id, queue, reason) to their final statuses.
RunBatch = Callable[[list[tuple[str, str, str | None]]], None]


def drain(
    read_models: ReadModels,
    projection: ProjectProjection,
    run_batch: RunBatch,
    idle_seconds: float = 60.0,
    poll_seconds: float = 0.2,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Runs jobs until none has waited for `idle_seconds`; returns how many it handed over.

    Only the worker that holds the data dir's lock calls this, so a job still "running" here
    was left by a worker that died: it runs again and records a new JobStarted.
    """
    ran = 0
    idle_since = clock()
    while True:
        projection.catch_up()
        waiting = read_models.jobs(statuses=WAITING)
        if not waiting:
            if clock() - idle_since >= idle_seconds:
                return ran
            sleep(poll_seconds)
            continue
        job = min(waiting, key=urgency)
        reason = LEFT_RUNNING if job["status"] == "running" else None
        run_batch([(job["id"], job.get("queue") or "cpu", reason)])
        ran += 1
        idle_since = clock()


def urgency(job: dict[str, Any]) -> tuple[int, int, str, str]:
    """Sort key of a waiting job: left running first, then by priority, then request time."""
    left_running = 0 if job["status"] == "running" else 1
    return (left_running, rank(job.get("priority")), job["requested_at"], job["id"])
