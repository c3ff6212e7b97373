"""A Job: one run of one model for one request. Its own aggregate (docs/adr/0002): workers write
progress often, and must never contend with the editor's project edits."""

from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate

from domain.errors import DomainError
from domain.job.events import (
    ConditioningResolved,
    FrameProgress,
    GenerationRequested,
    JobCancelled,
    JobCancelRequested,
    JobCompleted,
    JobFailed,
    JobQueued,
    JobRetried,
    JobStarted,
    ModelSwapped,
    SegmentCompleted,
)
from domain.job.priority import DEFAULT_PRIORITY, check_priority
from domain.job.status import FINAL, JOB_KINDS


class JobFinished(DomainError):
    """A step that only an unfinished job can take."""


class JobNotRetryable(DomainError):
    pass


class Job(Aggregate):
    # Class defaults, so jobs snapshotted before batches, variants and priorities read too.
    batch_id: str | None = None
    group: str | None = None
    variant: int | None = None
    priority: str = DEFAULT_PRIORITY

    def __init__(self) -> None:
        # GenerationRequested.apply sets every field; declared for readers and mypy.
        self.project_id: str
        self.shot_id: str | None
        self.kind: str
        self.request: dict[str, Any]
        self.retry_of: str | None
        self.retried_by: str | None
        self.status: str
        self.attempts: int
        self.progress: float
        self.cancel_requested: bool
        self.output: dict[str, Any] | None
        self.error: dict[str, Any] | None
        self.requested_at: datetime
        self.started_at: datetime | None
        self.last_progress_at: datetime | None
        self.modified_at: datetime
        self.segments_done: list[dict[str, Any]]
        self.continued_from: dict[str, Any] | None

    @classmethod
    def request_generation(
        cls,
        actor: str,
        project_id: str,
        shot_id: str | None,
        kind: str,
        request: dict[str, Any],
        retry_of: str | None = None,
        batch_id: str | None = None,
        group: str | None = None,
        variant: int | None = None,
        priority: str = DEFAULT_PRIORITY,
    ) -> "Job":
        if kind not in JOB_KINDS:
            raise DomainError(f"job kind must be one of {', '.join(JOB_KINDS)}: got {kind!r}")
        check_priority(priority)
        return cls._create(
            GenerationRequested,
            actor=actor,
            project_id=project_id,
            shot_id=shot_id,
            kind=kind,
            request=request,
            retry_of=retry_of,
            batch_id=batch_id,
            group=group,
            variant=variant,
            priority=priority,
        )

    @property
    def finished(self) -> bool:
        return self.status in FINAL

    def _check_open(self, what: str) -> None:
        if self.finished:
            raise JobFinished(f"job {self.id.hex[:8]} is already {self.status}: cannot {what}")

    def queue(self, actor: str, queue: str) -> bool:
        if self.status != "pending":
            return False
        self.trigger_event(JobQueued, actor=actor, queue=queue)
        return True

    def start(
        self,
        actor: str,
        worker: dict[str, Any],
        backend: str,
        model: dict[str, Any],
        model_resident: bool,
        load_seconds: float,
        reason: str | None = None,
    ) -> None:
        self._check_open("start")
        self.trigger_event(
            JobStarted,
            actor=actor,
            attempt=self.attempts + 1,
            worker=worker,
            backend=backend,
            model=model,
            model_resident=model_resident,
            load_seconds=round(load_seconds, 4),
            reason=reason,
        )

    def record_progress(
        self,
        actor: str,
        step: int,
        total: int,
        frames_done: int | None,
        elapsed: float,
        eta: float | None,
    ) -> None:
        self._check_open("record progress")
        self.trigger_event(
            FrameProgress,
            actor=actor,
            step=step,
            total=total,
            frames_done=frames_done,
            elapsed=round(elapsed, 4),
            eta=None if eta is None else round(eta, 3),
        )

    def complete_segment(self, actor: str, index: int, path: str, sha256: str, frames: int) -> None:
        self._check_open("record a segment")
        self.trigger_event(
            SegmentCompleted, actor=actor, index=index, path=path, sha256=sha256, frames=frames
        )

    def segment_done(self, index: int) -> dict[str, Any] | None:
        return next((s for s in self.segments_done if s["index"] == index), None)

    def resolve_conditioning(
        self, actor: str, source: dict[str, Any], item: dict[str, Any] | None, note: str
    ) -> None:
        self._check_open("resolve its conditioning")
        self.trigger_event(ConditioningResolved, actor=actor, source=source, item=item, note=note)

    def complete(self, actor: str, output: dict[str, Any], timings: dict[str, float]) -> None:
        self._check_open("complete")
        self.trigger_event(JobCompleted, actor=actor, output=output, timings=timings)

    def fail(self, actor: str, error_type: str, message: str, retryable: bool) -> None:
        self._check_open("fail")
        self.trigger_event(
            JobFailed, actor=actor, error_type=error_type, message=message, retryable=retryable
        )

    def cancel(self, actor: str) -> str:
        """Cancel now if it never started, else ask the worker to stop at its next step."""
        if self.finished:
            return self.status
        if self.status in ("pending", "queued"):
            self.trigger_event(JobCancelled, actor=actor, at_step=None)
            return "cancelled"
        if not self.cancel_requested:
            self.trigger_event(JobCancelRequested, actor=actor)
        return "cancelling"

    def cancelled(self, actor: str, at_step: int | None) -> None:
        self._check_open("cancel")
        self.trigger_event(JobCancelled, actor=actor, at_step=at_step)

    def retried_as(self, actor: str, new_job_id: str) -> None:
        if self.status not in ("failed", "cancelled"):
            raise JobNotRetryable(
                f"job {self.id.hex[:8]} is {self.status}: only a failed or cancelled job "
                "can be retried"
            )
        if self.retried_by is not None:
            raise JobNotRetryable(
                f"job {self.id.hex[:8]} was already retried as {self.retried_by[:8]}"
            )
        self.trigger_event(JobRetried, actor=actor, new_job_id=new_job_id)

    def record_model_swap(self, actor: str, swap: dict[str, Any]) -> None:
        """The worker unloaded models to load this job's (see models/loader.py)."""
        self._check_open("record a model swap")
        self.trigger_event(
            ModelSwapped,
            actor=actor,
            loaded=swap["loaded"],
            unloaded=swap["unloaded"],
            reason=swap["reason"],
            need_bytes=int(swap["need_bytes"]),
            free_bytes=swap.get("free_bytes"),
            load_seconds=round(float(swap["load_seconds"]), 4),
        )
