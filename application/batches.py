"""Batches as `batch show`, `batches` and the editor's Jobs screen count them: from the jobs
that carry the batch's id (the seed's generation_batches: total, completed and failed jobs)."""

from typing import Any

from application.queries import Queries
from domain.errors import AmbiguousReference, NotFound

WAITING = ("pending", "queued")


class BatchNotFound(NotFound):
    pass


def summarize(batch_id: str, jobs: list[dict[str, Any]]) -> dict[str, Any]:
    """One batch from its jobs (oldest first): who asked, when, and where its jobs stand."""
    statuses = [j["status"] for j in jobs]
    counts = {
        "total_jobs": len(jobs),
        "completed_jobs": statuses.count("completed"),
        "failed_jobs": statuses.count("failed"),
        "cancelled_jobs": statuses.count("cancelled"),
        "running_jobs": statuses.count("running"),
        "waiting_jobs": sum(statuses.count(s) for s in WAITING),
    }
    first = jobs[0]
    return {
        "id": batch_id,
        "project_id": first["project_id"],
        "status": batch_status(counts),
        **counts,
        "priority": first.get("priority", "normal"),
        "variants": 1 + max((j.get("variant") or 0) for j in jobs),
        "actor": first["actor"],
        "created_at": first["requested_at"],
        "updated_at": max(j.get("updated_at") or j["requested_at"] for j in jobs),
        "jobs": [j["id"] for j in jobs],
    }


def batch_status(counts: dict[str, int]) -> str:
    unfinished = counts["running_jobs"] + counts["waiting_jobs"]
    if unfinished:
        return (
            "queued"
            if unfinished == counts["total_jobs"] and not counts["running_jobs"]
            else ("processing")
        )
    if counts["failed_jobs"]:
        return "failed"
    if counts["cancelled_jobs"]:
        return "cancelled"
    return "completed"


def batches(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every batch among these jobs, oldest first."""
    by_batch: dict[str, list[dict[str, Any]]] = {}
    for job in jobs:
        if job.get("batch_id"):
            by_batch.setdefault(job["batch_id"], []).append(job)
    return [summarize(batch_id, members) for batch_id, members in by_batch.items()]


class BatchQueries:
    def __init__(self, queries: Queries):
        self.queries = queries

    def of_project(self, project_id: str | None) -> list[dict[str, Any]]:
        return batches(self.queries.jobs(project_id))

    def batch(self, ref: str) -> dict[str, Any]:
        """A batch from its id or a unique id prefix."""
        key = ref.strip().lower().replace("-", "")
        found = [b for b in self.of_project(None) if key and b["id"].startswith(key)]
        if len(found) > 1:
            raise AmbiguousReference(f"batch {ref!r} is ambiguous: it matches {len(found)}")
        if not found:
            raise BatchNotFound(f"no batch {ref!r} (see `milimo batches PROJECT`)")
        return found[0]
