"""Every change to a project, as a fact in the past tense."""

from domain.project.events.base import ProjectEvent
from domain.project.events.elements import (
    ElementChanged,
    ElementDefined,
    ElementRemoved,
    StylePresetDefined,
)
from domain.project.events.history import EditRedone, EditUndone, ProjectRestored
from domain.project.events.project import (
    ProjectArchived,
    ProjectBranched,
    ProjectCreated,
    ProjectSettingsChanged,
    TrackChanged,
)
from domain.project.events.scenes import SceneAdded, SceneRemoved, SceneRenamed, ScenesReordered
from domain.project.events.shots import (
    ShotCreated,
    ShotMoved,
    ShotRemoved,
    ShotSpecChanged,
    ShotSplit,
    ShotsReordered,
    ShotTrimmed,
    TakeAdded,
)

__all__ = [
    "EditRedone",
    "EditUndone",
    "ElementChanged",
    "ElementDefined",
    "ElementRemoved",
    "ProjectArchived",
    "ProjectBranched",
    "ProjectCreated",
    "ProjectEvent",
    "ProjectRestored",
    "ProjectSettingsChanged",
    "SceneAdded",
    "SceneRemoved",
    "SceneRenamed",
    "ScenesReordered",
    "ShotCreated",
    "ShotMoved",
    "ShotRemoved",
    "ShotSpecChanged",
    "ShotSplit",
    "ShotTrimmed",
    "ShotsReordered",
    "StylePresetDefined",
    "TakeAdded",
    "TrackChanged",
]
