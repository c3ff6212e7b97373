"""The whole state of a project at one version: a value rebuilt from its events."""

from domain.project.asset import Asset
from domain.project.element import Element
from domain.project.scene import Scene
from domain.project.settings import ProjectSettings
from domain.project.shot import Shot
from domain.project.style import StylePreset
from domain.project.track import TRACKS, Track
from domain.project.value import Value


class Origin(Value):
    """Where a branch came from."""

    project_id: str
    version: int


class ProjectState(Value):
    settings: ProjectSettings
    tracks: dict[str, Track] = {name: Track() for name in TRACKS}
    scenes: dict[str, Scene] = {}
    shots: dict[str, Shot] = {}
    elements: dict[str, Element] = {}
    styles: dict[str, StylePreset] = {}
    # Media the project holds (imports, masks, stills); outside undo, like takes.
    assets: dict[str, Asset] = {}
    origin: Origin | None = None
    # The highest element version ever given in this project: versions only rise, even through
    # undo and redo, so a number once used for one look is never reused for another.
    element_clock: int = 0

    def next_element_version(self, current: int) -> int:
        return max(current, self.element_clock) + 1

    def scene_shots(self, scene_id: str) -> list[Shot]:
        return sorted(
            (s for s in self.shots.values() if s.scene_id == scene_id), key=lambda s: s.index
        )

    def ordered_scenes(self) -> list[Scene]:
        return sorted(self.scenes.values(), key=lambda s: s.index)
