"""Scene edits: add, rename, remove (with its shots), reorder."""

from uuid import uuid4

from domain.errors import InvalidMove
from domain.project.core import ProjectCore
from domain.project.events import SceneAdded, SceneRemoved, SceneRenamed, ScenesReordered
from domain.project.lookup import find_scene
from domain.project.scene import Scene
from domain.project.settings import check_name


class SceneCommands(ProjectCore):
    def add_scene(
        self,
        actor: str,
        name: str,
        heading: str = "",
        script_text: str = "",
        index: int | None = None,
        scene_id: str | None = None,
    ) -> str:
        count = len(self.state.scenes)
        scene = Scene(
            id=scene_id or uuid4().hex,
            index=count if index is None else max(0, min(index, count)),
            name=check_name("scene", name),
            heading=heading.strip(),
            script_text=script_text,
        )
        self.trigger_event(SceneAdded, actor=actor, scene=scene.model_dump())
        return scene.id

    def rename_scene(self, actor: str, ref: str, name: str) -> None:
        scene = find_scene(self.state, ref)
        name = check_name("scene", name)
        if name != scene.name:
            self.trigger_event(
                SceneRenamed, actor=actor, scene_id=scene.id, name=name, previous=scene.name
            )

    def remove_scene(self, actor: str, ref: str) -> list[str]:
        scene = find_scene(self.state, ref)
        shots = self.state.scene_shots(scene.id)
        for shot in shots:
            self.check_unlocked(shot.track)
        shot_ids = [s.id for s in shots]
        self.trigger_event(
            SceneRemoved,
            actor=actor,
            scene_id=scene.id,
            scene=scene.model_dump(),
            shot_ids=shot_ids,
        )
        return shot_ids

    def reorder_scenes(self, actor: str, refs: list[str]) -> None:
        current = [s.id for s in self.state.ordered_scenes()]
        order = [find_scene(self.state, r).id for r in refs]
        if sorted(order) != sorted(current) or len(set(order)) != len(order):
            raise InvalidMove(
                f"reorder must list each of the project's {len(current)} scene(s) exactly once"
            )
        if order != current:
            moved = {sid for n, sid in enumerate(order) if current[n] != sid}
            for shot in self.state.shots.values():
                if shot.scene_id in moved:
                    self.check_unlocked(shot.track)
            self.trigger_event(ScenesReordered, actor=actor, scene_ids=order, previous=current)
