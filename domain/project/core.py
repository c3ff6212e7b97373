"""What the command mixins of the Project aggregate rely on (declared for the type checker)."""

from typing import TYPE_CHECKING, Any

from domain.project.removed import Removed
from domain.project.shot import Shot
from domain.project.state import ProjectState


class ProjectCore:
    state: ProjectState
    removed: Removed

    if TYPE_CHECKING:

        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

        def check_unlocked(self, track: str) -> None: ...

        def shot(self, ref: str) -> Shot: ...
