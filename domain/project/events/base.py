"""What every project event shares: who made it, how it changes the state, one line for history.

An event's `evolve` is a pure function of the state; the aggregate and the read-model
projection both use it, so they can never disagree.
"""

from typing import Any, ClassVar

from eventsourcing.domain import Aggregate

from domain.project.removed import Removed
from domain.project.state import ProjectState


class ProjectEvent(Aggregate.Event):
    actor: str

    # An edit the user can undo; undo/redo events and the engine's events are not.
    undoable: ClassVar[bool] = True
    # Its evolve applies a list of changes, which may remove and add entities at once.
    mixed: ClassVar[bool] = False

    def evolve(self, state: ProjectState) -> ProjectState:
        raise NotImplementedError

    def summary(self) -> str:
        return type(self).__name__

    def keep(self, removed: Removed, state: ProjectState) -> Removed:
        """What this event gives an entity that is gone (see domain/project/removed.py)."""
        return removed

    def advance(self, aggregate: Any) -> None:
        """The aggregate's state evolved, and what the event removed kept for its return."""
        before = aggregate.state
        aggregate.state = self.evolve(before)
        kept = aggregate.removed.track(before, aggregate.state, self.mixed)
        aggregate.removed = self.keep(kept, aggregate.state)

    def apply(self, aggregate: Any) -> None:
        self.advance(aggregate)
        if self.undoable:
            aggregate.undo_stack = aggregate.undo_stack.push(self.originator_version)
            if aggregate.redo_stack:
                aggregate.redo_stack = type(aggregate.redo_stack)()


def short(entity_id: str) -> str:
    return entity_id[:8]


def fields_summary(changes: dict[str, Any], previous: dict[str, Any]) -> str:
    parts = []
    for key, value in changes.items():
        old = previous.get(key)
        parts.append(f"{key} {_brief(old)}→{_brief(value)}")
    return ", ".join(parts)


def _brief(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 24 else text[:21] + "..."
