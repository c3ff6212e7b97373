"""The embedded worker's loop: run every job that is waiting, oldest first, until idle."""

import time
from collections.abc import Callable

from application.engine.runner import JobRunner
from application.projection import ProjectProjection
from application.read_models import ReadModels

WAITING = ("pending", "queued", "running")


def drain(
    read_models: ReadModels,
    projection: ProjectProjection,
    runner: JobRunner,
    idle_seconds: float = 60.0,
    poll_seconds: float = 0.2,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Runs jobs until none has waited for `idle_seconds`; returns how many it ran.

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
        for job in waiting:
            reason = (
                "re-run: its worker stopped before it finished"
                if job["status"] == "running"
                else None
            )
            runner.run(job["id"], reason=reason)
            ran += 1
        idle_since = clock()
