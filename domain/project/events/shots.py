from typing import Any, ClassVar

from domain.project.events.base import ProjectEvent, fields_summary, short
from domain.project.removed import Removed
from domain.project.shot import Shot, Take
from domain.project.state import ProjectState


def place_in_scene(
    shots: dict[str, Shot], scene_id: str, shot: Shot, index: int
) -> dict[str, Shot]:
    """Shots with `shot` at `index` of its scene and the scene's indices made 0..n-1 again."""
    out = {k: v for k, v in shots.items() if k != shot.id}
    order = sorted((s for s in out.values() if s.scene_id == scene_id), key=lambda s: s.index)
    order.insert(max(0, min(index, len(order))), shot)
    out[shot.id] = shot
    return reindex(out, [s.id for s in order])


def reindex(shots: dict[str, Shot], order: list[str]) -> dict[str, Shot]:
    for index, shot_id in enumerate(order):
        if shots[shot_id].index != index:
            shots[shot_id] = shots[shot_id].replace(index=index)
    return shots


def compact_scene(shots: dict[str, Shot], scene_id: str) -> dict[str, Shot]:
    order = sorted((s for s in shots.values() if s.scene_id == scene_id), key=lambda s: s.index)
    return reindex(shots, [s.id for s in order])


class ShotCreated(ProjectEvent):
    shot: dict[str, Any]

    def evolve(self, state: ProjectState) -> ProjectState:
        shot = Shot.model_validate(self.shot)
        return state.replace(shots=place_in_scene(state.shots, shot.scene_id, shot, shot.index))

    def summary(self) -> str:
        s = self.shot
        return (
            f"created shot {short(s['id'])} on {s['track']} in scene {short(s['scene_id'])} "
            f"({s['num_frames']} frames)"
        )


class ShotSpecChanged(ProjectEvent):
    shot_id: str
    changes: dict[str, Any]
    previous: dict[str, Any]

    def evolve(self, state: ProjectState) -> ProjectState:
        shot = Shot.model_validate({**state.shots[self.shot_id].model_dump(), **self.changes})
        return state.replace(shots={**state.shots, self.shot_id: shot})

    def summary(self) -> str:
        return f"shot {short(self.shot_id)}: " + fields_summary(self.changes, self.previous)


class ShotTrimmed(ProjectEvent):
    shot_id: str
    trim_in: int
    trim_out: int
    previous_trim_in: int
    previous_trim_out: int
    # V2/A1: where the clip starts now that its in point moved (None on V1, and in events
    # recorded before a trim in kept a free clip's frames in place).
    start_frame: int | None = None
    previous_start_frame: int | None = None

    def evolve(self, state: ProjectState) -> ProjectState:
        shot = state.shots[self.shot_id].replace(trim_in=self.trim_in, trim_out=self.trim_out)
        if self.start_frame is not None:
            shot = shot.replace(start_frame=self.start_frame)
        return state.replace(shots={**state.shots, self.shot_id: shot})

    def summary(self) -> str:
        moved = (
            f", start {self.previous_start_frame}→{self.start_frame}"
            if self.start_frame is not None
            else ""
        )
        return (
            f"trimmed shot {short(self.shot_id)}: in {self.previous_trim_in}→{self.trim_in}, "
            f"out {self.previous_trim_out}→{self.trim_out}{moved}"
        )


class ShotMoved(ProjectEvent):
    shot_id: str
    track: str
    start_frame: int
    scene_id: str
    index: int
    previous: dict[str, Any]

    def evolve(self, state: ProjectState) -> ProjectState:
        old = state.shots[self.shot_id]
        moved = old.replace(track=self.track, start_frame=self.start_frame, scene_id=self.scene_id)
        shots = place_in_scene(state.shots, self.scene_id, moved, self.index)
        if old.scene_id != self.scene_id:
            shots = compact_scene(shots, old.scene_id)
        return state.replace(shots=shots)

    def summary(self) -> str:
        p = self.previous
        where = f"{self.track}"
        if self.track != "V1":
            where += f" @{self.start_frame}"
        return (
            f"moved shot {short(self.shot_id)} from {p.get('track')} to {where}, "
            f"scene {short(self.scene_id)} #{self.index}"
        )


class ShotSplit(ProjectEvent):
    """Two shots over the same media: both keep num_frames, the cut is in their trims."""

    shot_id: str
    at: int
    new_shot_id: str

    def evolve(self, state: ProjectState) -> ProjectState:
        shot = state.shots[self.shot_id]
        cut = shot.trim_in + self.at
        first = shot.replace(trim_out=shot.num_frames - cut)
        second = shot.replace(
            id=self.new_shot_id,
            trim_in=cut,
            start_frame=0 if shot.track == "V1" else shot.start_frame + self.at,
            index=shot.index + 1,
        )
        shots = {**state.shots, self.shot_id: first}
        return state.replace(shots=place_in_scene(shots, shot.scene_id, second, second.index))

    def summary(self) -> str:
        return (
            f"split shot {short(self.shot_id)} at frame {self.at} → new shot "
            f"{short(self.new_shot_id)}"
        )


class ShotRemoved(ProjectEvent):
    shot_id: str
    shot: dict[str, Any]

    def evolve(self, state: ProjectState) -> ProjectState:
        scene_id = state.shots[self.shot_id].scene_id
        shots = {k: v for k, v in state.shots.items() if k != self.shot_id}
        return state.replace(shots=compact_scene(shots, scene_id))

    def summary(self) -> str:
        return f"removed shot {short(self.shot_id)} from {self.shot['track']}"


class ShotsReordered(ProjectEvent):
    scene_id: str
    shot_ids: list[str]
    previous: list[str]

    def evolve(self, state: ProjectState) -> ProjectState:
        return state.replace(shots=reindex(dict(state.shots), self.shot_ids))

    def summary(self) -> str:
        order = " ".join(short(s) for s in self.shot_ids)
        return f"reordered shots of scene {short(self.scene_id)}: {order}"


class TakeAdded(ProjectEvent):
    """A finished generation joined its shot. Not an edit: undo never removes a take; one whose
    shot is undone waits with it (see domain/project/removed.py)."""

    shot_id: str
    take: dict[str, Any]
    undoable: ClassVar[bool] = False

    def evolve(self, state: ProjectState) -> ProjectState:
        shot = state.shots.get(self.shot_id)
        if shot is None:
            return state
        return state.replace(shots={**state.shots, self.shot_id: self.joined(shot)})

    def keep(self, removed: Removed, state: ProjectState) -> Removed:
        shot = removed.shots.get(self.shot_id)
        if shot is None or self.shot_id in state.shots:
            return removed
        return removed.replace(shots={**removed.shots, self.shot_id: self.joined(shot)})

    def joined(self, shot: Shot) -> Shot:
        """The shot with the take, active unless the user chose one."""
        take = Take.model_validate(self.take)
        active = shot.active_take if shot.take_pinned else take.id
        return shot.replace(takes=(*shot.takes, take), active_take=active)

    def summary(self) -> str:
        job = self.take["job_id"][:8]
        return f"take of job {job} joined shot {short(self.shot_id)}"


class ConceptArtAdded(ProjectEvent):
    """A concept still for the storyboard joined its shot; like a take, undo never removes it."""

    shot_id: str
    job_id: str
    path: str
    undoable: ClassVar[bool] = False

    def evolve(self, state: ProjectState) -> ProjectState:
        shot = state.shots.get(self.shot_id)
        if shot is None:
            return state
        shot = shot.replace(concept_art=self.path)
        return state.replace(shots={**state.shots, self.shot_id: shot})

    def keep(self, removed: Removed, state: ProjectState) -> Removed:
        shot = removed.shots.get(self.shot_id)
        if shot is None or self.shot_id in state.shots:
            return removed
        shot = shot.replace(concept_art=self.path)
        return removed.replace(shots={**removed.shots, self.shot_id: shot})

    def summary(self) -> str:
        return f"concept art of job {self.job_id[:8]} joined shot {short(self.shot_id)}"
