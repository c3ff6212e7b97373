"""Keeps the read models up to date from the event store, from a tracked position.

Each step reads a page of notifications after the stored position, evolves the touched
projects' states with the same pure functions as the aggregate, and writes their rows, the
history lines and the new position in one transaction: an event is applied exactly once, and
a projection that was down catches up where it stopped.
"""

from typing import Any

from application.project_view import project_view
from application.read_models import HistoryRow, ProjectRow, ReadModels
from application.studio import Studio
from domain.project.events import ProjectCreated, ProjectEvent
from domain.project.state import ProjectState

PAGE_SIZE = 2000


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
            step = self._step()
            if step == 0:
                return applied
            applied += step

    def rebuild(self) -> int:
        self.read_models.reset()
        return self.catch_up()

    def _step(self) -> int:
        with self.read_models.transaction() as tx:
            position = tx.position()
            notifications = self.studio.recorder.select_notifications(
                start=position + 1, limit=self.page_size
            )
            if not notifications:
                return 0
            mapper = self.studio.mapper
            events: list[ProjectEvent] = []
            for notification in notifications:
                event = mapper.to_domain_event(notification)
                if isinstance(event, ProjectEvent):
                    events.append(event)
            touched = list(dict.fromkeys(e.originator_id.hex for e in events))
            rows = tx.load([pid for pid in touched])
            work: dict[str, _Project] = {pid: _Project.from_row(row) for pid, row in rows.items()}
            history = []
            for event in events:
                pid = event.originator_id.hex
                at = event.timestamp.isoformat()
                if isinstance(event, ProjectCreated):
                    work[pid] = _Project(None, 0, at, at)
                project = work[pid]
                project.state = event.evolve(project.state)  # type: ignore[arg-type]
                project.version = event.originator_version
                project.updated_at = at
                history.append(
                    HistoryRow(
                        pid,
                        event.originator_version,
                        type(event).__name__,
                        at,
                        event.actor,
                        event.summary(),
                    )
                )
            tx.write([p.row(pid) for pid, p in work.items()], history, notifications[-1].id)
            return len(notifications)


class _Project:
    def __init__(self, state: ProjectState | None, version: int, created_at: str, updated_at: str):
        self.state = state
        self.version = version
        self.created_at = created_at
        self.updated_at = updated_at

    @classmethod
    def from_row(cls, row: ProjectRow) -> "_Project":
        state = ProjectState.model_validate(row.state)
        return cls(state, row.version, row.created_at, row.updated_at)

    def row(self, project_id: str) -> ProjectRow:
        assert self.state is not None
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
