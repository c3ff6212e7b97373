"""A Batch: the jobs one generate command requested together (several shots, `--all`, or the
variants of a shot), recorded with them so they can be counted and cancelled as a whole.

The batch holds the fact of the request and of its cancellation; where each job stands stays in
the job's own events, so counting a batch reads its jobs.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate


class BatchEvent(Aggregate.Event):
    actor: str

    def apply(self, aggregate: Any) -> None:
        aggregate.modified_at = self.timestamp


class BatchRequested(BatchEvent, Aggregate.Created):
    project_id: str
    job_ids: list[str]
    shot_ids: list[str]
    variants: int
    priority: str
    all_shots: bool

    def apply(self, aggregate: Any) -> None:
        aggregate.project_id = self.project_id
        aggregate.job_ids = list(self.job_ids)
        aggregate.shot_ids = list(self.shot_ids)
        aggregate.variants = self.variants
        aggregate.priority = self.priority
        aggregate.all_shots = self.all_shots
        aggregate.requested_at = self.timestamp
        aggregate.cancellations = 0
        super().apply(aggregate)


class BatchCancelled(BatchEvent):
    """Someone cancelled the batch: these of its jobs were still unfinished and were told to
    stop (each job records its own cancellation too)."""

    job_ids: list[str]

    def apply(self, aggregate: Any) -> None:
        aggregate.cancellations += 1
        super().apply(aggregate)


class Batch(Aggregate):
    def __init__(self) -> None:
        # BatchRequested.apply sets every field; declared for readers and mypy.
        self.project_id: str
        self.job_ids: list[str]
        self.shot_ids: list[str]
        self.variants: int
        self.priority: str
        self.all_shots: bool
        self.requested_at: datetime
        self.modified_at: datetime
        self.cancellations: int

    @classmethod
    def request(
        cls,
        batch_id: UUID,
        actor: str,
        project_id: str,
        job_ids: list[str],
        shot_ids: list[str],
        variants: int,
        priority: str,
        all_shots: bool,
    ) -> "Batch":
        return cls._create(
            BatchRequested,
            id=batch_id,
            actor=actor,
            project_id=project_id,
            job_ids=job_ids,
            shot_ids=shot_ids,
            variants=variants,
            priority=priority,
            all_shots=all_shots,
        )

    def cancelled(self, actor: str, job_ids: list[str]) -> None:
        self.trigger_event(BatchCancelled, actor=actor, job_ids=job_ids)
