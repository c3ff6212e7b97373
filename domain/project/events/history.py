"""Undo, redo and restore: new events carrying the changes they make, never an edit of the past."""

from typing import Any, ClassVar

from domain.project.changes import Change, apply
from domain.project.events.base import ProjectEvent
from domain.project.state import ProjectState


class EditUndone(ProjectEvent):
    undone_version: int
    undone_type: str
    changes: list[Change]
    undoable: ClassVar[bool] = False
    mixed: ClassVar[bool] = True

    def evolve(self, state: ProjectState) -> ProjectState:
        return apply(state, self.changes)

    def apply(self, aggregate: Any) -> None:
        self.advance(aggregate)
        _, aggregate.undo_stack = aggregate.undo_stack.pop()
        aggregate.redo_stack = aggregate.redo_stack.push(self.undone_version)

    def summary(self) -> str:
        return f"undid v{self.undone_version} {self.undone_type}"


class EditRedone(ProjectEvent):
    redone_version: int
    redone_type: str
    changes: list[Change]
    undoable: ClassVar[bool] = False
    mixed: ClassVar[bool] = True

    def evolve(self, state: ProjectState) -> ProjectState:
        return apply(state, self.changes)

    def apply(self, aggregate: Any) -> None:
        self.advance(aggregate)
        _, aggregate.redo_stack = aggregate.redo_stack.pop()
        aggregate.undo_stack = aggregate.undo_stack.push(self.redone_version)

    def summary(self) -> str:
        return f"redid v{self.redone_version} {self.redone_type}"


class ProjectRestored(ProjectEvent):
    """The state brought back to an earlier version; itself an edit, so it can be undone."""

    to_version: int
    changes: list[Change]
    mixed: ClassVar[bool] = True

    def evolve(self, state: ProjectState) -> ProjectState:
        return apply(state, self.changes)

    def summary(self) -> str:
        return f"restored to v{self.to_version} ({len(self.changes)} change(s))"
