from typing import Any

from domain.project.events.base import ProjectEvent, short
from domain.project.scene import Scene
from domain.project.state import ProjectState


def reindex_scenes(scenes: dict[str, Scene], order: list[str]) -> dict[str, Scene]:
    out = dict(scenes)
    for index, scene_id in enumerate(order):
        if out[scene_id].index != index:
            out[scene_id] = out[scene_id].replace(index=index)
    return out


class SceneAdded(ProjectEvent):
    scene: dict[str, Any]

    def evolve(self, state: ProjectState) -> ProjectState:
        scene = Scene.model_validate(self.scene)
        order = [s.id for s in state.ordered_scenes()]
        order.insert(min(scene.index, len(order)), scene.id)
        return state.replace(scenes=reindex_scenes({**state.scenes, scene.id: scene}, order))

    def summary(self) -> str:
        return f"added scene {short(self.scene['id'])} {self.scene['name']!r}"


class SceneRenamed(ProjectEvent):
    scene_id: str
    name: str
    previous: str

    def evolve(self, state: ProjectState) -> ProjectState:
        scene = state.scenes[self.scene_id].replace(name=self.name)
        return state.replace(scenes={**state.scenes, self.scene_id: scene})

    def summary(self) -> str:
        return f"renamed scene {short(self.scene_id)} {self.previous!r}→{self.name!r}"


class SceneRemoved(ProjectEvent):
    """A scene and every shot in it; undo brings them all back."""

    scene_id: str
    scene: dict[str, Any]
    shot_ids: list[str]

    def evolve(self, state: ProjectState) -> ProjectState:
        scenes = {k: v for k, v in state.scenes.items() if k != self.scene_id}
        order = [s.id for s in sorted(scenes.values(), key=lambda s: s.index)]
        gone = set(self.shot_ids)
        shots = {k: v for k, v in state.shots.items() if k not in gone}
        return state.replace(scenes=reindex_scenes(scenes, order), shots=shots)

    def summary(self) -> str:
        return (
            f"removed scene {short(self.scene_id)} {self.scene['name']!r} "
            f"with {len(self.shot_ids)} shot(s)"
        )


class ScenesReordered(ProjectEvent):
    scene_ids: list[str]
    previous: list[str]

    def evolve(self, state: ProjectState) -> ProjectState:
        return state.replace(scenes=reindex_scenes(state.scenes, self.scene_ids))

    def summary(self) -> str:
        return "reordered scenes: " + " ".join(short(s) for s in self.scene_ids)
