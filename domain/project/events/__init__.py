"""Every change to a project, as a fact in the past tense."""

from domain.project.events.assets import AssetAdded, AssetDeleted
from domain.project.events.base import ProjectEvent
from domain.project.events.elements import (
    ElementChanged,
    ElementDefined,
    ElementLookAdded,
    ElementLookChosen,
    ElementRemoved,
    StylePresetDefined,
)
from domain.project.events.history import EditRedone, EditUndone, ProjectRestored
from domain.project.events.loras import (
    ElementLoraAdded,
    ElementLoraRemoved,
    ShotLoraAdded,
    ShotLoraRemoved,
)
from domain.project.events.project import (
    ProjectArchived,
    ProjectBranched,
    ProjectCreated,
    ProjectSettingsChanged,
    TrackChanged,
)
from domain.project.events.scenes import SceneAdded, SceneRemoved, SceneRenamed, ScenesReordered
from domain.project.events.script import ScriptImported
from domain.project.events.shots import (
    ConceptArtAdded,
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
    "AssetAdded",
    "AssetDeleted",
    "ConceptArtAdded",
    "EditRedone",
    "EditUndone",
    "ElementChanged",
    "ElementDefined",
    "ElementLookAdded",
    "ElementLookChosen",
    "ElementLoraAdded",
    "ElementLoraRemoved",
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
    "ScriptImported",
    "ShotCreated",
    "ShotLoraAdded",
    "ShotLoraRemoved",
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
