"""Every fact of a job's life, in the past tense."""

from typing import Any, ClassVar

from eventsourcing.domain import Aggregate


class JobEvent(Aggregate.Event):
    actor: str

    status: ClassVar[str | None] = None

    def apply(self, aggregate: Any) -> None:
        if self.status is not None:
            aggregate.status = self.status
        aggregate.modified_at = self.timestamp

    def summary(self) -> str:
        return type(self).__name__


class GenerationRequested(JobEvent, Aggregate.Created):
    """The fully resolved request: everything a worker needs, and an audit needs, to run it."""

    project_id: str
    shot_id: str | None
    kind: str
    request: dict[str, Any]
    retry_of: str | None
    # Defaults keep events recorded before batches, variants and priorities readable.
    batch_id: str | None = None
    group: str | None = None
    variant: int | None = None
    priority: str = "normal"
    status: ClassVar[str | None] = "pending"

    def apply(self, aggregate: Any) -> None:
        aggregate.project_id = self.project_id
        aggregate.shot_id = self.shot_id
        aggregate.kind = self.kind
        aggregate.request = self.request
        aggregate.retry_of = self.retry_of
        aggregate.batch_id = self.batch_id
        aggregate.group = self.group
        aggregate.variant = self.variant
        aggregate.priority = self.priority
        aggregate.retried_by = None
        aggregate.attempts = 0
        aggregate.progress = 0.0
        aggregate.cancel_requested = False
        aggregate.output = None
        aggregate.error = None
        aggregate.requested_at = self.timestamp
        aggregate.started_at = None
        aggregate.last_progress_at = None
        aggregate.segments_done = []
        aggregate.continued_from = None
        super().apply(aggregate)

    def summary(self) -> str:
        r = self.request
        return (
            f"requested {self.kind} {r.get('width')}x{r.get('height')} "
            f"{r.get('num_frames', 1)}f on {r.get('backend')}"
        )


class JobQueued(JobEvent):
    queue: str
    status: ClassVar[str | None] = "queued"

    def summary(self) -> str:
        return f"queued on {self.queue}"


class JobStarted(JobEvent):
    """One attempt began: where, on what, with which model, and whether it had to load it."""

    attempt: int
    worker: dict[str, Any]
    backend: str
    model: dict[str, Any]
    model_resident: bool
    load_seconds: float
    reason: str | None
    status: ClassVar[str | None] = "running"

    def apply(self, aggregate: Any) -> None:
        aggregate.attempts = self.attempt
        aggregate.started_at = self.timestamp
        aggregate.progress = 0.0
        super().apply(aggregate)

    def summary(self) -> str:
        w = self.worker
        again = f" ({self.reason})" if self.reason else ""
        return f"attempt {self.attempt} started on {w.get('host')}:{w.get('pid')}{again}"


class FrameProgress(JobEvent):
    step: int
    total: int
    frames_done: int | None
    elapsed: float
    eta: float | None

    def apply(self, aggregate: Any) -> None:
        aggregate.progress = round(100.0 * self.step / max(1, self.total), 1)
        aggregate.last_progress_at = self.timestamp
        super().apply(aggregate)

    def summary(self) -> str:
        return f"step {self.step}/{self.total}"


class SegmentCompleted(JobEvent):
    """One segment of a long shot is on disk: a re-run resumes after it while its file holds."""

    index: int
    path: str
    sha256: str
    frames: int

    def apply(self, aggregate: Any) -> None:
        done = [s for s in getattr(aggregate, "segments_done", []) if s["index"] != self.index]
        record = {"index": self.index, "path": self.path, "sha256": self.sha256}
        aggregate.segments_done = [*done, {**record, "frames": self.frames}]
        super().apply(aggregate)

    def summary(self) -> str:
        return f"segment {self.index} done: {self.frames} frames"


class ConditioningResolved(JobEvent):
    """What a shot that continues another, generated in the same batch, was conditioned on:
    the item (None when it ran unconditioned) and why."""

    source: dict[str, Any]
    item: dict[str, Any] | None
    note: str

    def apply(self, aggregate: Any) -> None:
        aggregate.continued_from = {"source": self.source, "item": self.item, "note": self.note}
        super().apply(aggregate)

    def summary(self) -> str:
        return f"conditioning resolved: {self.note}"


class JobCompleted(JobEvent):
    output: dict[str, Any]
    timings: dict[str, float]
    status: ClassVar[str | None] = "completed"

    def apply(self, aggregate: Any) -> None:
        aggregate.output = self.output
        aggregate.progress = 100.0
        super().apply(aggregate)

    def summary(self) -> str:
        return f"completed: {self.output.get('path')}"


class JobFailed(JobEvent):
    error_type: str
    message: str
    retryable: bool
    status: ClassVar[str | None] = "failed"

    def apply(self, aggregate: Any) -> None:
        aggregate.error = {
            "type": self.error_type,
            "message": self.message,
            "retryable": self.retryable,
        }
        super().apply(aggregate)

    def summary(self) -> str:
        return f"failed: {self.error_type}: {self.message}"


class JobCancelRequested(JobEvent):
    def apply(self, aggregate: Any) -> None:
        aggregate.cancel_requested = True
        super().apply(aggregate)

    def summary(self) -> str:
        return "cancel requested"


class JobCancelled(JobEvent):
    at_step: int | None
    status: ClassVar[str | None] = "cancelled"

    def summary(self) -> str:
        where = f" at step {self.at_step}" if self.at_step is not None else " before it started"
        return "cancelled" + where


class JobRetried(JobEvent):
    """This job ran again as a new job, linked back to it."""

    new_job_id: str

    def apply(self, aggregate: Any) -> None:
        aggregate.retried_by = self.new_job_id
        super().apply(aggregate)

    def summary(self) -> str:
        return f"retried as {self.new_job_id[:8]}"


class ModelSwapped(JobEvent):
    """To load this job's model, the worker unloaded others that would not fit beside it."""

    loaded: dict[str, Any]  # backend, model, bytes
    unloaded: list[dict[str, Any]]  # each: backend, model, bytes (least recently used first)
    reason: str  # "memory: need X, free Y (budget Z)"
    need_bytes: int
    free_bytes: int | None
    load_seconds: float

    def summary(self) -> str:
        gone = ", ".join(u["backend"] for u in self.unloaded)
        return (
            f"unloaded {gone} for {self.loaded.get('backend')} ({self.reason}); "
            f"loaded in {self.load_seconds:.1f} s"
        )
