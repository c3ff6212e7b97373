"""The ledger: what the generations cost in machine time, summed from the jobs' own events.

Nothing is counted apart from the events, so the ledger of any past day can be drawn again.
Per job, per attempt (a JobStarted opens one):
- run seconds: from the model being loaded to the attempt's end — JobCompleted.timings
  `total` − `load` for a completed attempt; the last FrameProgress `elapsed` for one that was
  cancelled, failed, interrupted (another JobStarted followed) or is still running;
- GPU-seconds are the run seconds of attempts whose worker device was not the CPU; CPU-seconds
  those on the CPU, plus the measuring of each take's quality (timings `measure`, always on the
  CPU, after the run);
- load seconds: JobStarted.load_seconds (0 when the model was resident);
- cancelled work: the run seconds of every attempt that did not complete;
- retries: attempts after a job's first, plus each JobRetried (a new job for the same request);
- wall seconds: from GenerationRequested to the final event, for finished jobs.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any
from uuid import UUID

from application.queries import Queries
from domain.job.events import (
    FrameProgress,
    GenerationRequested,
    JobCancelled,
    JobCompleted,
    JobEvent,
    JobFailed,
    JobRetried,
    JobStarted,
)

GROUPINGS = ("project", "shot", "backend", "day")
FIGURES = (
    "gpu_seconds",
    "cpu_seconds",
    "load_seconds",
    "wall_seconds",
    "cancelled_work_seconds",
)
COUNTS = ("jobs", "completed", "failed", "cancelled", "unfinished", "retries")


@dataclass
class JobCost:
    """One job's share of the ledger."""

    job_id: str
    project_id: str
    shot_id: str | None
    backend: str
    day: str  # the UTC day it was requested, YYYY-MM-DD
    status: str = "pending"
    figures: dict[str, float] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0.0))
    retries: int = 0


class _Attempt:
    def __init__(self, started: JobStarted):
        self.on_gpu = str(started.worker.get("device") or "cpu") != "cpu"
        self.elapsed = 0.0


def job_cost(events: Iterable[JobEvent]) -> JobCost:
    """A job's cost from its events, oldest first (GenerationRequested first)."""
    stream = iter(events)
    requested = next(stream)
    assert isinstance(requested, GenerationRequested)
    cost = JobCost(
        job_id=requested.originator_id.hex,
        project_id=requested.project_id,
        shot_id=requested.shot_id,
        backend=str(requested.request.get("backend") or "-"),
        day=requested.timestamp.astimezone(UTC).date().isoformat(),
    )
    attempt: _Attempt | None = None

    def close(run: float, completed: bool) -> None:
        nonlocal attempt
        if attempt is None:
            return
        run = max(0.0, run)
        cost.figures["gpu_seconds" if attempt.on_gpu else "cpu_seconds"] += run
        if not completed:
            cost.figures["cancelled_work_seconds"] += run
        attempt = None

    for event in stream:
        if isinstance(event, JobStarted):
            close(attempt.elapsed if attempt else 0.0, completed=False)
            if event.attempt > 1:
                cost.retries += 1
            attempt = _Attempt(event)
            cost.backend = event.backend
            cost.figures["load_seconds"] += event.load_seconds
        elif isinstance(event, FrameProgress) and attempt is not None:
            attempt.elapsed = event.elapsed
        elif isinstance(event, JobCompleted):
            timings = event.timings
            close(timings.get("total", 0.0) - timings.get("load", 0.0), completed=True)
            cost.figures["cpu_seconds"] += timings.get("measure", 0.0)
        elif isinstance(event, JobFailed | JobCancelled):
            close(attempt.elapsed if attempt else 0.0, completed=False)
        elif isinstance(event, JobRetried):
            cost.retries += 1
        if isinstance(event, JobCompleted | JobFailed | JobCancelled):
            cost.status = type(event).status or cost.status
            cost.figures["wall_seconds"] = (event.timestamp - requested.timestamp).total_seconds()
    if attempt is not None:  # still running: what it has done so far
        cost.status = "running"
        cost.figures["gpu_seconds" if attempt.on_gpu else "cpu_seconds"] += attempt.elapsed
    return cost


def empty_row(keys: dict[str, Any]) -> dict[str, Any]:
    return {**keys, **dict.fromkeys(COUNTS, 0), **dict.fromkeys(FIGURES, 0.0)}


def add(row: dict[str, Any], cost: JobCost) -> None:
    row["jobs"] += 1
    final = cost.status if cost.status in ("completed", "failed", "cancelled") else "unfinished"
    row[final] += 1
    row["retries"] += cost.retries
    for name, value in cost.figures.items():
        row[name] = round(row[name] + value, 4)


def group_costs(
    costs: list[JobCost], by: str, group: Callable[[JobCost], tuple[str, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Rows in order of first appearance (costs come oldest first), then the totals row.
    `group` gives a cost's group key and the row's naming fields (its `group` label first)."""
    rows: dict[str, dict[str, Any]] = {}
    total = empty_row({"group": "total", "by": by})
    for cost in costs:
        key, names = group(cost)
        row = rows.get(key) or rows.setdefault(key, empty_row({**names, "by": by}))
        add(row, cost)
        add(total, cost)
    return [*rows.values(), total]


def shot_labels(view: dict[str, Any]) -> dict[str, str]:
    """Shot id → "2.3": scene 2's third shot, as the editor names it."""
    scenes = {s["id"]: n for n, s in enumerate(view["scenes"], 1)}
    return {s["id"]: f"{scenes.get(s['scene_id'], 0)}.{s['index'] + 1}" for s in view["shots"]}


class Ledger:
    """The ledger of one project or of every one, read from the job events in the store."""

    def __init__(self, queries: Queries):
        self.queries = queries

    def costs(self, project_id: str | None = None) -> list[JobCost]:
        """Every job's cost, oldest request first; the jobs are listed by the read model, their
        events read from the store."""
        events = self.queries.studio.events
        return [
            job_cost(e for e in events.get(UUID(job["id"])) if isinstance(e, JobEvent))
            for job in self.queries.jobs(project_id)
        ]

    def rows(self, project_id: str | None = None, by: str = "project") -> list[dict[str, Any]]:
        if by not in GROUPINGS:
            raise ValueError(f"the ledger groups by {', '.join(GROUPINGS)}: got {by!r}")
        costs = self.costs(project_id)
        projects = {p["id"]: p["name"] for p in self.queries.projects(include_archived=True)}
        labels: dict[str, dict[str, str]] = {}

        def shot_label(cost: JobCost) -> str:
            if cost.shot_id is None:
                return "no shot"
            if cost.project_id not in labels:
                labels[cost.project_id] = shot_labels(self.queries.project(cost.project_id))
            return labels[cost.project_id].get(cost.shot_id) or f"{cost.shot_id[:8]} (deleted)"

        def group(cost: JobCost) -> tuple[str, dict[str, Any]]:
            name = projects.get(cost.project_id) or cost.project_id[:8]
            project = {"project_id": cost.project_id, "project": name}
            if by == "project":
                return cost.project_id, {"group": name, **project}
            if by == "backend":
                return cost.backend, {"group": cost.backend}
            if by == "day":
                return cost.day, {"group": cost.day}
            label = shot_label(cost)
            if project_id is None:  # shots of several projects: name the project too
                label = f"{name} {label}"
            key = f"{cost.project_id}/{cost.shot_id}"
            return key, {"group": label, **project, "shot_id": cost.shot_id}

        return group_costs(costs, by, group)
