"""Shot edits: add, change the spec, trim, move, split, remove, reorder."""

from typing import Any
from uuid import uuid4

from domain.errors import InvalidMove, InvalidSplit, InvalidTrim, InvalidValue, UnknownKey
from domain.project.core import ProjectCore
from domain.project.events import (
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
from domain.project.lookup import find, find_scene
from domain.project.scene import Scene
from domain.project.shot import (
    PRESETS,
    SHORT_FORMS,
    SPEC_FIELDS,
    Shot,
    check_shot,
    check_trims,
)
from domain.project.track import MAGNETIC, TRACKS
from domain.project.value import validated
from domain.timeline import track_length, visible_length

MAGNETIC_HINT = (
    "V1 is magnetic: its shots follow each other in scene order, so they have no start frame "
    "of their own; use --before SHOT to reorder, or put the shot on V2 or A1 to place it freely"
)


def spec_keys(changes: dict[str, Any]) -> dict[str, Any]:
    named = {SHORT_FORMS.get(k, k): v for k, v in changes.items()}
    unknown = set(named) - set(SPEC_FIELDS)
    if unknown:
        raise UnknownKey(
            f"unknown shot field {', '.join(sorted(unknown))}; fields are "
            f"{', '.join(SPEC_FIELDS)} (short forms: {', '.join(SHORT_FORMS)})"
        )
    if "preset" in named:
        named["preset"] = preset_choice(named["preset"])
    return named


def preset_choice(value: Any) -> str | None:
    """A preset as `shot set` and the editor give it: `none` (or nothing) is the shot's own."""
    if value is None or str(value).strip().casefold() in ("", "none", "null"):
        return None
    name = str(value).strip().casefold()
    if name not in PRESETS:
        raise InvalidValue(
            f"preset must be one of {', '.join(PRESETS)} or none (the shot's own steps, cfg "
            f"and upscale): got {value!r}"
        )
    return name


class ShotCommands(ProjectCore):
    def scene(self, ref: str) -> Scene:
        return find_scene(self.state, ref)

    def add_shot(
        self,
        actor: str,
        scene: str,
        track: str = MAGNETIC,
        start_frame: int | None = None,
        index: int | None = None,
        shot_id: str | None = None,
        trim_out: int = 0,
        **spec: Any,
    ) -> str:
        target = self.scene(scene)
        spec = spec_keys(spec)
        if "active_take" in spec:
            raise InvalidValue("a new shot has no takes to make active")
        if isinstance(spec.get("conditioning"), list | tuple):
            spec["conditioning"] = [self._conditioning_file(c) for c in spec["conditioning"]]
        if track not in TRACKS:
            raise InvalidValue(f"track must be one of {', '.join(TRACKS)}: got {track!r}")
        if track == MAGNETIC and start_frame is not None:
            raise InvalidMove(MAGNETIC_HINT)
        self.check_unlocked(track)
        siblings = self.state.scene_shots(target.id)
        settings = self.state.settings
        defaults = {"width": settings.width, "height": settings.height, "fps": settings.fps}
        shot = validated(
            Shot,
            {
                "seed": settings.seed,
                **defaults,
                **spec,
                "id": shot_id or uuid4().hex,
                "scene_id": target.id,
                "index": len(siblings) if index is None else max(0, min(index, len(siblings))),
                "track": track,
                "start_frame": (
                    track_length(self.state, track) if start_frame is None else start_frame
                ),
                "trim_out": trim_out,
            },
        )
        if track == MAGNETIC:
            shot = shot.replace(start_frame=0)
        check_shot(shot)
        self.trigger_event(ShotCreated, actor=actor, shot=shot.model_dump(mode="json"))
        return shot.id

    def change_shot(self, actor: str, ref: str, **changes: Any) -> dict[str, Any]:
        shot = self.shot(ref)
        self.check_unlocked(shot.track)
        changes = spec_keys(changes)
        if "active_take" in changes:
            changes["take_pinned"] = changes["active_take"] is not None
        if isinstance(changes.get("conditioning"), list | tuple):
            changes["conditioning"] = [self._conditioning_file(c) for c in changes["conditioning"]]
        updated = validated(Shot, {**shot.model_dump(), **changes})
        check_shot(updated)
        new = {k: _jsonable(getattr(updated, k)) for k in changes}
        old = {k: _jsonable(getattr(shot, k)) for k in changes}
        new = {k: v for k, v in new.items() if v != old[k]}
        if new:
            previous = {k: old[k] for k in new}
            self.trigger_event(
                ShotSpecChanged, actor=actor, shot_id=shot.id, changes=new, previous=previous
            )
        return new

    def _conditioning_file(self, item: Any) -> Any:
        """A conditioning item names a file by its absolute path, or an asset of the project by
        id, id prefix or name: stored as that asset's path, the one form generation and the
        asset-deletion guard read (an unknown asset is not found)."""
        if not isinstance(item, dict) or not isinstance(item.get("asset"), str):
            return item
        ref = item["asset"]
        if not ref or ref.startswith("/"):
            return item
        found = find("asset", ref, self.state.assets.values(), lambda a: [a.id, a.name])
        return {**item, "asset": found.path}

    def trim_shot(
        self, actor: str, ref: str, trim_in: int | None = None, trim_out: int | None = None
    ) -> None:
        shot = self.shot(ref)
        self.check_unlocked(shot.track)
        new_in = shot.trim_in if trim_in is None else trim_in
        new_out = shot.trim_out if trim_out is None else trim_out
        check_trims(new_in, new_out, shot.num_frames)
        # A clip placed freely (V2, A1) keeps its frames where they are on the timeline: a trim
        # in moves its start with the in point. On V1 the shots after it close up instead.
        start = None
        if shot.track != MAGNETIC and new_in != shot.trim_in:
            start = shot.start_frame + new_in - shot.trim_in
            if start < 0:
                lowest = shot.trim_in - shot.start_frame
                raise InvalidTrim(
                    f"shot starts at frame {shot.start_frame} of {shot.track}: a trim in of "
                    f"{new_in} would start it before frame 0 (the least is {lowest})"
                )
        if (new_in, new_out) != (shot.trim_in, shot.trim_out):
            self.trigger_event(
                ShotTrimmed,
                actor=actor,
                shot_id=shot.id,
                trim_in=new_in,
                trim_out=new_out,
                previous_trim_in=shot.trim_in,
                previous_trim_out=shot.trim_out,
                start_frame=start,
                previous_start_frame=None if start is None else shot.start_frame,
            )

    def move_shot(
        self,
        actor: str,
        ref: str,
        track: str | None = None,
        start_frame: int | None = None,
        before: str | None = None,
    ) -> None:
        shot = self.shot(ref)
        self.check_unlocked(shot.track)
        new_track = track or shot.track
        if new_track not in TRACKS:
            raise InvalidValue(f"track must be one of {', '.join(TRACKS)}: got {new_track!r}")
        self.check_unlocked(new_track)
        if new_track == MAGNETIC and start_frame is not None:
            raise InvalidMove(MAGNETIC_HINT)
        if start_frame is not None and start_frame < 0:
            raise InvalidMove(f"start frame cannot be negative: got {start_frame}")
        scene_id, index = shot.scene_id, shot.index
        if before is not None:
            anchor = self.shot(before)
            if anchor.id == shot.id:
                raise InvalidMove("a shot cannot be moved before itself")
            scene_id = anchor.scene_id
            index = anchor.index
            if anchor.scene_id == shot.scene_id and shot.index < anchor.index:
                index -= 1
        if start_frame is None and new_track != MAGNETIC:
            from domain.timeline import start_frame as current_start

            start_frame = current_start(self.state, shot.id)
        start = 0 if new_track == MAGNETIC else int(start_frame or 0)
        if (new_track, start, scene_id, index) == (
            shot.track,
            shot.start_frame,
            shot.scene_id,
            shot.index,
        ):
            return
        previous = {
            "track": shot.track,
            "start_frame": shot.start_frame,
            "scene_id": shot.scene_id,
            "index": shot.index,
        }
        self.trigger_event(
            ShotMoved,
            actor=actor,
            shot_id=shot.id,
            track=new_track,
            start_frame=start,
            scene_id=scene_id,
            index=index,
            previous=previous,
        )

    def split_shot(self, actor: str, ref: str, at: int, new_shot_id: str | None = None) -> str:
        shot = self.shot(ref)
        self.check_unlocked(shot.track)
        length = visible_length(shot)
        if length < 2:
            raise InvalidSplit("a shot with one visible frame cannot be split: un-trim it first")
        if not 0 < at < length:
            raise InvalidSplit(
                f"split point must be strictly inside the shot's visible frames 0..{length - 1} "
                f"(a frame between 1 and {length - 1}): got {at}"
            )
        new_id = new_shot_id or uuid4().hex
        self.trigger_event(ShotSplit, actor=actor, shot_id=shot.id, at=at, new_shot_id=new_id)
        return new_id

    def remove_shot(self, actor: str, ref: str) -> None:
        shot = self.shot(ref)
        self.check_unlocked(shot.track)
        self.trigger_event(
            ShotRemoved, actor=actor, shot_id=shot.id, shot=shot.model_dump(mode="json")
        )

    def reorder_shots(self, actor: str, scene: str, refs: list[str]) -> None:
        target = self.scene(scene)
        current = [s.id for s in self.state.scene_shots(target.id)]
        order = [self.shot(r).id for r in refs]
        if sorted(order) != sorted(current) or len(set(order)) != len(order):
            raise InvalidMove(
                f"reorder must list each of the scene's {len(current)} shot(s) exactly once"
            )
        for shot_id in order:
            self.check_unlocked(self.state.shots[shot_id].track)
        if order != current:
            self.trigger_event(
                ShotsReordered, actor=actor, scene_id=target.id, shot_ids=order, previous=current
            )


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return [v.model_dump(mode="json") if hasattr(v, "model_dump") else v for v in value]
    return value


class TakeCommands(ProjectCore):
    def add_take(self, actor: str, shot_id: str, take: dict[str, Any]) -> bool:
        """Attach a finished generation to its shot, once: False if already there or the shot
        never was (the take stays recorded in its job either way). A shot that an edit removed
        keeps the take for when undo, redo or restore brings it back."""
        shot = self.state.shots.get(shot_id) or self.removed.shots.get(shot_id)
        if shot is None or any(t.job_id == take["job_id"] for t in shot.takes):
            return False
        self.trigger_event(TakeAdded, actor=actor, shot_id=shot_id, take=take)
        return True

    def add_concept_art(self, actor: str, shot_id: str, job_id: str, path: str) -> bool:
        """Give a shot the still of a finished concept job (kept, like a take, while the shot
        is removed): False if the shot never was or already has that still."""
        shot = self.state.shots.get(shot_id) or self.removed.shots.get(shot_id)
        if shot is None or shot.concept_art == path:
            return False
        self.trigger_event(ConceptArtAdded, actor=actor, shot_id=shot_id, job_id=job_id, path=path)
        return True
