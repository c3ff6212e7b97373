"""Keeps the read models up to date from the event store, from a tracked position.

Each step reads a page of notifications after the stored position, evolves the touched
projects' states with the same pure functions as the aggregate, and writes their rows and the
new position in one transaction: an event is applied exactly once, and a projection that was
down catches up where it stopped. (History needs no read model: the event store's own index by
project and version pages it directly, see Studio.history.)
"""

from typing import Any

from application.job_view import fold
from application.project_view import project_view
from application.read_models import ProjectRow, ReadModels
from application.studio import Studio
from domain.job.events import JobEvent
from domain.project.events import ProjectEvent
from domain.project.state import ProjectState

PAGE_SIZE = 2000
# Above this many events of one project in a page, loading its snapshot beats replaying them.
REPLAY_LIMIT = 150


class ProjectProjection:
    def __init__(self, studio: Studio, read_models: ReadModels, page_size: int = PAGE_SIZE):
        self.studio = studio
        self.read_models = read_models
        self.page_size = page_size

    def lag(self) -> int:
        latest = self.studio.recorder.max_notification_id() or 0
        return max(0, latest - self.read_models.position())

    def catch_up(self) -> int:
        """Apply every event not yet applied; returns how many were."""
        applied = 0
        while True:
            step = self.step()
            if step == 0:
                return applied
            applied += step

    def rebuild(self) -> int:
        self.read_models.reset()
        return self.catch_up()

    def step(self) -> int:
        """Apply one page of events in one transaction; returns how many were read."""
        with self.read_models.transaction() as tx:
            position = tx.position()
            notifications = self.studio.recorder.select_notifications(
                start=position + 1, limit=self.page_size
            )
            if not notifications:
                return 0
            to_event = self.studio.mapper.to_domain_event
            by_project: dict[str, list[ProjectEvent]] = {}
            by_job: dict[str, list[JobEvent]] = {}
            for notification in notifications:
                event = to_event(notification)
                if isinstance(event, ProjectEvent):
                    by_project.setdefault(event.originator_id.hex, []).append(event)
                elif isinstance(event, JobEvent):
                    by_job.setdefault(event.originator_id.hex, []).append(event)
            rows = tx.load(list(by_project))
            work = {pid: self._advance(rows.get(pid), events) for pid, events in by_project.items()}
            jobs = tx.load_jobs(list(by_job))
            for job_id, job_events in by_job.items():
                doc = jobs.get(job_id)
                for job_event in job_events:
                    doc = fold(doc, job_event)
                assert doc is not None
                jobs[job_id] = doc
            tx.write(
                [p.row(pid) for pid, p in work.items()],
                [jobs[job_id] for job_id in by_job],
                notifications[-1].id,
            )
            return len(notifications)

    def _advance(self, row: ProjectRow | None, events: list[ProjectEvent]) -> "_Project":
        """The project after `events`: evolved one by one, or, for a long run of events, loaded
        from the store's snapshot at the last one (the same pure functions, far fewer steps)."""
        last = events[-1]
        created = row.created_at if row else events[0].timestamp.isoformat()
        updated = last.timestamp.isoformat()
        if len(events) > REPLAY_LIMIT:
            state = self.studio.project(last.originator_id, last.originator_version).state
        else:
            current = ProjectState.model_validate(row.state) if row else None
            for event in events:
                current = event.evolve(current)  # type: ignore[arg-type]
            assert current is not None
            state = current
        return _Project(state, last.originator_version, created, updated)


class _Project:
    def __init__(self, state: ProjectState, version: int, created_at: str, updated_at: str):
        self.state = state
        self.version = version
        self.created_at = created_at
        self.updated_at = updated_at

    def row(self, project_id: str) -> ProjectRow:
        view: dict[str, Any] = project_view(project_id, self.version, self.state)
        view["created_at"], view["updated_at"] = self.created_at, self.updated_at
        return ProjectRow(
            id=project_id,
            name=self.state.settings.name,
            archived=self.state.settings.archived,
            version=self.version,
            created_at=self.created_at,
            updated_at=self.updated_at,
            state=self.state.model_dump(mode="json"),
            view=view,
        )
