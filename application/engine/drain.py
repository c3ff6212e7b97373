"""The embedded worker's loop: hand every waiting job to the worker's actor, oldest first,
until nothing has waited for a while."""

import time
from collections.abc import Callable

from application.projection import ProjectProjection
from application.read_models import ReadModels

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
        run_batch(
            [
                (
                    job["id"],
                    job.get("queue") or "cpu",
                    LEFT_RUNNING if job["status"] == "running" else None,
                )
                for job in waiting
            ]
        )
        ran += len(waiting)
        idle_since = clock()
