"""A job as `jobs` and `audit` show it, folded from its events (a pure function per event)."""

from typing import Any

from domain.job.events import (
    ConditioningResolved,
    FrameProgress,
    GenerationRequested,
    JobCancelled,
    JobCancelRequested,
    JobCompleted,
    JobEvent,
    JobFailed,
    JobQueued,
    JobRetried,
    JobStarted,
    ModelSwapped,
    SegmentCompleted,
)


def fold(doc: dict[str, Any] | None, event: JobEvent) -> dict[str, Any]:
    at = event.timestamp.isoformat()
    if isinstance(event, GenerationRequested):
        doc = {
            "id": event.originator_id.hex,
            "project_id": event.project_id,
            "shot_id": event.shot_id,
            "kind": event.kind,
            "status": "pending",
            "progress": 0.0,
            "attempts": 0,
            "actor": event.actor,
            "requested_at": at,
            "request": event.request,
            "retry_of": event.retry_of,
            "retried_by": None,
            "batch_id": event.batch_id,
            "group": event.group,
            "variant": event.variant,
            "priority": event.priority,
            "queue": None,
            "worker": None,
            "backend": event.request.get("backend"),
            "model": {"id": event.request.get("model")},
            "step": None,
            "total": None,
            "eta": None,
            "cancel_requested": False,
            "output": None,
            "error": None,
            "timings": None,
            "events": [],
        }
    assert doc is not None
    doc = dict(doc)
    doc["events"] = [*doc["events"], type(event).__name__]
    doc["updated_at"] = at
    doc["version"] = event.originator_version
    if isinstance(event, JobQueued):
        doc.update(status="queued", queue=event.queue)
    elif isinstance(event, JobStarted):
        doc.update(
            status="running",
            attempts=event.attempt,
            worker=event.worker,
            backend=event.backend,
            model={
                **event.model,
                "resident": event.model_resident,
                "load_seconds": event.load_seconds,
            },
            progress=0.0,
            started_at=at,
        )
    elif isinstance(event, FrameProgress):
        doc.update(
            progress=round(100.0 * event.step / max(1, event.total), 1),
            step=event.step,
            total=event.total,
            eta=event.eta,
        )
    elif isinstance(event, JobCompleted):
        doc.update(status="completed", progress=100.0, output=event.output, timings=event.timings)
    elif isinstance(event, JobFailed):
        doc.update(
            status="failed",
            error={
                "type": event.error_type,
                "message": event.message,
                "retryable": event.retryable,
            },
        )
    elif isinstance(event, JobCancelRequested):
        doc.update(cancel_requested=True)
    elif isinstance(event, JobCancelled):
        doc.update(status="cancelled")
    elif isinstance(event, JobRetried):
        doc.update(retried_by=event.new_job_id)
    elif isinstance(event, SegmentCompleted):
        done = [s for s in doc.get("segments_done") or [] if s["index"] != event.index]
        segment = {"index": event.index, "path": event.path, "sha256": event.sha256}
        doc["segments_done"] = [*done, {**segment, "frames": event.frames}]
    elif isinstance(event, ConditioningResolved):
        doc["continued_from"] = {"source": event.source, "item": event.item, "note": event.note}
    elif isinstance(event, ModelSwapped):
        swap: dict[str, Any] = {"at": at, "loaded": event.loaded, "unloaded": event.unloaded}
        swap.update(reason=event.reason, load_seconds=event.load_seconds)
        doc["model_swaps"] = [*(doc.get("model_swaps") or []), swap]
    return doc


def audit_entry(doc: dict[str, Any]) -> dict[str, Any]:
    output = doc.get("output") or {}
    return {
        "job_id": doc["id"],
        "shot_id": doc["shot_id"],
        "project_id": doc["project_id"],
        "kind": doc["kind"],
        "status": doc["status"],
        "actor": doc["actor"],
        "requested_at": doc["requested_at"],
        "request": doc["request"],
        "worker": doc["worker"],
        "model": doc["model"],
        "events": doc["events"],
        "output": {"path": output.get("path"), "sha256": output.get("sha256")} if output else None,
        "timings": doc["timings"],
        "error": doc["error"],
        "retry_of": doc["retry_of"],
        "retried_by": doc["retried_by"],
        # Docs folded before batches existed lack these until `projections rebuild`.
        "batch_id": doc.get("batch_id"),
        "group": doc.get("group"),
        "variant": doc.get("variant"),
        "priority": doc.get("priority", "normal"),
        # A long shot's segments, and what a continuing shot was resolved to start from.
        "segments_done": doc.get("segments_done") or [],
        "continued_from": doc.get("continued_from"),
        # Models the worker unloaded to load this job's (memory), each with why and the load time.
        "model_swaps": doc.get("model_swaps") or [],
    }
