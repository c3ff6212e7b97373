"""A project with its whole history at hand, so undo can be driven without an event store."""

from typing import Any

import pytest

from domain.project.aggregate import Project
from domain.project.changes import Change, diff
from domain.project.events import ProjectEvent
from domain.project.state import ProjectState

ACTOR = "ana@studio-1"


class ProjectLog:
    """A Project and every event it recorded; `states[v]` is the state at version v."""

    def __init__(self, name: str = "Night Train", **settings: Any) -> None:
        self.project = Project.create(ACTOR, name, **settings)
        self.events: list[ProjectEvent] = []
        self.states: list[ProjectState | None] = [None]
        self._collect()

    @property
    def state(self) -> ProjectState:
        return self.project.state

    @property
    def version(self) -> int:
        return int(self.project.version)

    def do(self, command: str, *args: Any, **kwargs: Any) -> Any:
        """Run one command of the aggregate as ACTOR and keep what it recorded."""
        result = getattr(self.project, command)(ACTOR, *args, **kwargs)
        self._collect()
        return result

    def edit_at(self, version: int) -> tuple[str, list[Change]]:
        """What the application's store answers: the edit at `version` and its changes."""
        event = self.events[version - 1]
        before = self.states[version - 1]
        assert before is not None
        return type(event).__name__, diff(before, event.evolve(before))

    def undo(self) -> int | None:
        return self.do("undo", self.edit_at)  # type: ignore[no-any-return]

    def redo(self) -> int | None:
        return self.do("redo", self.edit_at)  # type: ignore[no-any-return]

    def replayed(self, version: int | None = None) -> ProjectState:
        """The state rebuilt from the events alone, at `version` (default: the latest)."""
        state: ProjectState | None = None
        for event in self.events[: version or len(self.events)]:
            state = event.evolve(state)  # type: ignore[arg-type]
        assert state is not None
        return state

    def _collect(self) -> None:
        for event in self.project.collect_events():
            assert isinstance(event, ProjectEvent)
            assert event.originator_version == len(self.events) + 1
            self.events.append(event)
            self.states.append(event.evolve(self.states[-1]))  # type: ignore[arg-type]


@pytest.fixture
def log() -> ProjectLog:
    return ProjectLog()


@pytest.fixture(scope="session")
def new_log() -> type[ProjectLog]:
    """The class itself, for hypothesis tests that need a fresh log per example."""
    return ProjectLog


@pytest.fixture
def project() -> Project:
    """A new project whose creation is already collected: pending events start empty."""
    project = Project.create(ACTOR, "Night Train")
    project.collect_events()
    return project


@pytest.fixture
def actor() -> str:
    return ACTOR
