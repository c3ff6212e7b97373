from typing import Any, ClassVar

from eventsourcing.domain import Aggregate

from domain.project.events.base import ProjectEvent, fields_summary
from domain.project.removed import Removed
from domain.project.settings import ProjectSettings
from domain.project.state import Origin, ProjectState
from domain.project.track import Track
from domain.project.version_stack import VersionStack


class ProjectCreated(ProjectEvent, Aggregate.Created):
    settings: dict[str, Any]
    undoable: ClassVar[bool] = False

    def evolve(self, state: ProjectState | None) -> ProjectState:  # type: ignore[override]
        return ProjectState(settings=ProjectSettings.model_validate(self.settings))

    def apply(self, aggregate: Any) -> None:
        aggregate.undo_stack = VersionStack()
        aggregate.redo_stack = VersionStack()
        aggregate.removed = Removed()
        aggregate.state = self.evolve(None)

    def summary(self) -> str:
        s = self.settings
        return f"created project {s['name']!r} {s['width']}x{s['height']} @{s['fps']}fps"


class ProjectBranched(ProjectCreated):
    """A new project equal to another at one of its versions; it remembers its origin."""

    state: dict[str, Any]
    origin_project_id: str
    origin_version: int

    def evolve(self, state: ProjectState | None) -> ProjectState:  # type: ignore[override]
        origin = Origin(project_id=self.origin_project_id, version=self.origin_version)
        branched = ProjectState.model_validate(self.state)
        return branched.replace(
            settings=ProjectSettings.model_validate(self.settings), origin=origin
        )

    def summary(self) -> str:
        return (
            f"branched {self.settings['name']!r} from {self.origin_project_id[:8]} "
            f"at v{self.origin_version}"
        )


class ProjectSettingsChanged(ProjectEvent):
    changes: dict[str, Any]
    previous: dict[str, Any]

    def evolve(self, state: ProjectState) -> ProjectState:
        return state.replace(settings=state.settings.replace(**self.changes))

    def summary(self) -> str:
        return "settings: " + fields_summary(self.changes, self.previous)


class ProjectArchived(ProjectEvent):
    archived: bool

    def evolve(self, state: ProjectState) -> ProjectState:
        return state.replace(settings=state.settings.replace(archived=self.archived))

    def summary(self) -> str:
        return "archived the project" if self.archived else "unarchived the project"


class TrackChanged(ProjectEvent):
    track: str
    changes: dict[str, bool]
    previous: dict[str, bool]

    def evolve(self, state: ProjectState) -> ProjectState:
        tracks = dict(state.tracks)
        tracks[self.track] = tracks.get(self.track, Track()).replace(**self.changes)
        return state.replace(tracks=tracks)

    def summary(self) -> str:
        return f"track {self.track}: " + fields_summary(self.changes, self.previous)
