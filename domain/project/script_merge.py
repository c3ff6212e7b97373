"""Merging a screenplay's plan into a project: the state after an import, and what it did.

A re-import merges, never replaces (Milimo Video's merge deletes the shots missing from the
payload; this one does not): scenes are found by the script's key or heading, or as the
earlier scene whose heading the writer changed (script_pairing: it takes the new heading, and
the name read from it unless the user renamed the scene); shots by their beat's key, or as an
edited line's earlier beat (script_pairing); a field the user edited keeps the user's value;
new beats go in at their place in the scene; beats gone from the script are listed and removed
only with `prune`; shots made by hand are never changed. Pure: the preview of --dry-run and the
import run the same code.
"""

import math
from collections.abc import Callable
from uuid import uuid4

from domain.errors import DomainError, InvalidValue, TrackLocked
from domain.project.element import Element, check_trigger_word, trigger_from_name
from domain.project.events.shots import reindex
from domain.project.rules import MIN_FRAMES
from domain.project.scene import Scene
from domain.project.script_beat import BEAT_FIELDS, ScriptBeat
from domain.project.script_pairing import pair_edited_beats, pair_renamed_scenes
from domain.project.script_result import BeatOutcome, ImportResult
from domain.project.settings import check_name
from domain.project.shot import Shot, check_shot
from domain.project.state import ProjectState
from domain.project.value import validated
from domain.script.headings import scene_name
from domain.script.plan import PlannedScene, PlannedShot, ScriptPlan


class EmptyScript(DomainError):
    """The script gave no scene with a beat: nothing to import."""


def frames_for(seconds: float, fps: int) -> int:
    """Frames for `seconds` at `fps`, rounded up to the next 8k+1 (at least 9)."""
    if not math.isfinite(seconds) or seconds <= 0:
        raise InvalidValue(f"a beat's duration must be a positive number of seconds: {seconds}")
    # Rounded first so that 0.2 s × 30 fps is 6 frames, not 6.000000000000001 → 7.
    frames = math.ceil(round(seconds * fps, 6))
    return max(MIN_FRAMES, math.ceil((frames - 1) / 8) * 8 + 1)


def merge_script(
    state: ProjectState,
    plan: ScriptPlan,
    prune: bool = False,
    new_id: Callable[[], str] = lambda: uuid4().hex,
) -> tuple[ProjectState, ImportResult]:
    """The state after importing `plan`, and what the import did; raises when it is rejected."""
    return _Merge(state, plan, prune, new_id).run()


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _named_by_import(scene: Scene) -> bool:
    """Whether the scene has the name its imported heading gives (the user did not rename it).

    The name an import gives a scene is the one the script's parser reads from its heading (or,
    for a scene with no name of its own, the heading itself).
    """
    heading = scene.heading.strip()
    return bool(heading) and scene.name in (scene_name(heading), heading)


def _check_plan(plan: ScriptPlan) -> None:
    if not any(scene.shots for scene in plan.scenes):
        raise EmptyScript(
            "the script has no scene with a beat to import (is it empty, or all notes?)"
        )
    for kind, keys in (
        ("scene", [s.key for s in plan.scenes]),
        ("beat", [b.key for s in plan.scenes for b in s.shots]),
    ):
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice or not all(keys):
            raise InvalidValue(f"the plan's {kind} keys must be unique and not empty: {twice}")


class _Merge:
    def __init__(
        self, state: ProjectState, plan: ScriptPlan, prune: bool, new_id: Callable[[], str]
    ) -> None:
        self.state, self.plan, self.prune, self.new_id = state, plan, prune, new_id
        self.scenes = dict(state.scenes)
        self.shots = dict(state.shots)
        self.by_key: dict[str, list[Shot]] = {}
        for shot in sorted(state.shots.values(), key=self._position):
            if shot.beat is not None:
                self.by_key.setdefault(shot.beat.key, []).append(shot)
        self.planned_keys = {b.key for s in plan.scenes for b in s.shots}
        # Keys of gone beats whose shots took an edited line's beat.
        self.paired: set[str] = set()
        self.added: list[BeatOutcome] = []
        self.updated: list[BeatOutcome] = []
        self.kept: list[BeatOutcome] = []

    def _position(self, shot: Shot) -> tuple[int, int]:
        scene = self.state.scenes.get(shot.scene_id)
        return (scene.index if scene else -1, shot.index)

    def run(self) -> tuple[ProjectState, ImportResult]:
        _check_plan(self.plan)
        scene_ids, scenes_added, scenes_updated = self._merge_scenes()
        for planned in self.plan.scenes:
            self._merge_shots(planned, scene_ids[planned.key])
        gone = self._gone_shots()
        scenes_gone, scenes_removed = self._gone_scenes(set(scene_ids.values()))
        elements, elements_added, elements_existing = self._elements()
        new_state = self.state.replace(
            scenes=self.scenes,
            shots=self.shots,
            elements=elements,
            element_clock=max([self.state.element_clock, *(e.version for e in elements.values())]),
        )
        self._check_tracks(new_state)
        return new_state, ImportResult(
            mode=self.plan.mode,
            scenes_added=tuple(scenes_added),
            scenes_updated=tuple(scenes_updated),
            scenes_gone=tuple(scenes_gone),
            scenes_removed=tuple(scenes_removed),
            added=tuple(self.added),
            updated=tuple(self.updated),
            kept=tuple(self.kept),
            gone=tuple(gone),
            pruned=self.prune,
            elements_added=tuple(elements_added),
            elements_existing=tuple(elements_existing),
        )

    # -- scenes ----------------------------------------------------------------------------------

    def _match_scenes(self) -> dict[str, str]:
        """Plan scene key → existing scene id: by the key of an earlier import, else heading."""
        existing = self.state.ordered_scenes()
        by_key = {s.script_key: s.id for s in existing if s.script_key}
        plan_keys = {p.key for p in self.plan.scenes}
        matched = {p.key: by_key[p.key] for p in self.plan.scenes if p.key in by_key}
        for planned in self.plan.scenes:
            heading = _fold(planned.heading)
            if planned.key in matched or not heading:
                continue
            for scene in existing:
                free = scene.id not in matched.values() and scene.script_key not in plan_keys
                if free and _fold(scene.heading or scene.name) == heading:
                    matched[planned.key] = scene.id
                    break
        return matched

    def _pair_renamed_scenes(self, matched: dict[str, str]) -> dict[str, str]:
        """Plan scene key → the earlier import's scene it is, its heading changed."""
        existing = self.state.ordered_scenes()
        position = {s.id: n for n, s in enumerate(existing)}
        plan_index = {p.key: n for n, p in enumerate(self.plan.scenes)}
        taken = set(matched.values())
        new = {n: p for n, p in enumerate(self.plan.scenes) if p.key not in matched}
        beats: dict[str, list[ScriptBeat]] = {}
        for shot in sorted(self.state.shots.values(), key=self._position):
            if shot.beat is not None:
                beats.setdefault(shot.scene_id, []).append(shot.beat)
        gone = {
            s.id: (s.heading, beats.get(s.id, []), position[s.id])
            for s in existing
            if s.script_key and s.id not in taken
        }
        if not new or not gone:
            return {}
        anchors = [(plan_index[key], position[scene_id]) for key, scene_id in matched.items()]
        pairs = pair_renamed_scenes(new, gone, anchors)
        return {self.plan.scenes[n].key: scene_id for n, scene_id in pairs.items()}

    def _merge_scenes(self) -> tuple[dict[str, str], list[str], list[str]]:
        matched = self._match_scenes()
        renamed = self._pair_renamed_scenes(matched)
        matched |= renamed
        order = [s.id for s in self.state.ordered_scenes()]
        ids: dict[str, str] = {}
        added: list[str] = []
        updated: list[str] = []
        for n, planned in enumerate(self.plan.scenes):
            if planned.key in matched:
                scene = self.scenes[matched[planned.key]]
                new = scene.replace(
                    script_key=planned.key,
                    heading=planned.heading.strip() or scene.heading,
                    synopsis=planned.synopsis,
                    script_text=planned.script_text,
                )
                if planned.key in renamed and planned.name.strip() and _named_by_import(scene):
                    new = new.replace(name=check_name("scene", planned.name))
                if new != scene:
                    self.scenes[scene.id] = new
                    updated.append(new.name)
                ids[planned.key] = scene.id
                continue
            scene = Scene(
                id=self.new_id(),
                index=0,
                name=check_name("scene", planned.name or planned.heading or f"Scene {n + 1}"),
                heading=planned.heading.strip(),
                script_text=planned.script_text,
                synopsis=planned.synopsis,
                script_key=planned.key,
            )
            self.scenes[scene.id] = scene
            order.insert(self._scene_slot(n, ids, matched, order), scene.id)
            ids[planned.key] = scene.id
            added.append(scene.name)
        self._reindex_scenes(order)
        return ids, added, updated

    def _scene_slot(
        self, n: int, placed: dict[str, str], matched: dict[str, str], order: list[str]
    ) -> int:
        """Right after the script's previous scene; else before its next matched scene."""
        if n > 0:
            return order.index(placed[self.plan.scenes[n - 1].key]) + 1
        for later in self.plan.scenes[n + 1 :]:
            if later.key in matched:
                return order.index(matched[later.key])
        return len(order)

    def _reindex_scenes(self, order: list[str]) -> None:
        for index, scene_id in enumerate(order):
            if self.scenes[scene_id].index != index:
                self.scenes[scene_id] = self.scenes[scene_id].replace(index=index)

    def _gone_scenes(self, kept: set[str]) -> tuple[list[str], list[str]]:
        gone = [s for s in self.state.ordered_scenes() if s.script_key and s.id not in kept]
        removed = []
        if self.prune:
            for scene in gone:
                if not any(s.scene_id == scene.id for s in self.shots.values()):
                    del self.scenes[scene.id]
                    removed.append(scene.name)
            order = sorted(self.scenes.values(), key=lambda s: s.index)
            self._reindex_scenes([s.id for s in order])
        return [s.name for s in gone], removed

    # -- shots -----------------------------------------------------------------------------------

    def _merge_shots(self, planned: PlannedScene, scene_id: str) -> None:
        order = [
            s.id
            for s in sorted(self.shots.values(), key=lambda s: s.index)
            if s.scene_id == scene_id
        ]
        self._pair_edited(planned, scene_id, order)
        previous: str | None = None
        scene_name = self.scenes[scene_id].name
        for n, beat in enumerate(planned.shots):
            holders = self.by_key.get(beat.key, [])
            for shot in holders:
                self._update(shot, beat, scene_name)
            here = [h.id for h in holders if h.scene_id == scene_id]
            if here:
                previous = max(here, key=order.index)
            if holders:  # a shot the user moved to another scene stays there
                continue
            shot = self._new_shot(beat, scene_id)
            slot = order.index(previous) + 1 if previous else self._next_slot(planned, n, order)
            order.insert(slot, shot.id)
            previous = shot.id
            self.added.append(_outcome(shot, scene_name))
        self.shots = reindex(self.shots, order)

    def _pair_edited(self, planned: PlannedScene, scene_id: str, order: list[str]) -> None:
        """Give the shots of an edited line's earlier beat the line's new key."""
        new, anchors = {}, []
        for n, beat in enumerate(planned.shots):
            holders = self.by_key.get(beat.key, [])
            anchors += [(n, order.index(h.id)) for h in holders if h.scene_id == scene_id]
            if not holders:
                new[n] = beat
        gone: dict[str, tuple[ScriptBeat, list[int]]] = {}
        for position, shot_id in enumerate(order):
            old = self.shots[shot_id].beat
            if old and old.key not in self.planned_keys and old.key not in self.paired:
                gone.setdefault(old.key, (old, []))[1].append(position)
        if not new or not gone:
            return
        for n, key in pair_edited_beats(new, gone, anchors).items():
            self.by_key[planned.shots[n].key] = self.by_key.pop(key)
            self.paired.add(key)

    def _next_slot(self, planned: PlannedScene, n: int, order: list[str]) -> int:
        """Before the first later beat that has a shot in this scene; else at the scene's end."""
        for later in planned.shots[n + 1 :]:
            here = [order.index(h.id) for h in self.by_key.get(later.key, []) if h.id in order]
            if here:
                return min(here)
        return len(order)

    def _imported(self, beat: PlannedShot) -> ScriptBeat:
        return ScriptBeat(
            key=beat.key,
            action=beat.action,
            dialogue=beat.dialogue,
            character=beat.character,
            shot_type=beat.shot_type,
            num_frames=frames_for(beat.duration_seconds, self.state.settings.fps),
        )

    def _new_shot(self, beat: PlannedShot, scene_id: str) -> Shot:
        settings = self.state.settings
        imported = self._imported(beat)
        shot = validated(
            Shot,
            {
                "id": self.new_id(),
                "scene_id": scene_id,
                "index": 0,
                "seed": settings.seed,
                "width": settings.width,
                "height": settings.height,
                "fps": settings.fps,
                **{name: getattr(imported, name) for name in BEAT_FIELDS},
                "beat": imported,
            },
        )
        check_shot(shot)
        self.shots[shot.id] = shot
        return shot

    def _update(self, shot: Shot, beat: PlannedShot, scene_name: str) -> None:
        """The script's new values, except in fields the user edited since the last import."""
        # As this merge left it: reindexed when its scene (not the beat's) was merged earlier.
        shot = self.shots[shot.id]
        assert shot.beat is not None
        imported = self._imported(beat)
        changes, kept_edits = {}, []
        for name in BEAT_FIELDS:
            current, before, after = (
                getattr(shot, name),
                getattr(shot.beat, name),
                getattr(imported, name),
            )
            if current == after:
                continue
            if current == before:
                changes[name] = after
            elif before != after:
                kept_edits.append(name)
        updated = shot.replace(**changes, beat=imported)
        if "num_frames" in changes:
            try:
                check_shot(updated)
            except DomainError:
                # The user's trims or conditioning need the current length: keep it.
                del changes["num_frames"]
                kept_edits.append("num_frames")
                updated = shot.replace(**changes, beat=imported)
        self.shots[shot.id] = updated
        edited_line = shot.beat.key != beat.key
        outcome = _outcome(
            updated,
            scene_name,
            tuple(changes),
            tuple(kept_edits),
            shot.beat.key if edited_line else "",
        )
        (self.updated if changes or edited_line else self.kept).append(outcome)

    def _gone_shots(self) -> list[BeatOutcome]:
        kept = self.planned_keys | self.paired
        gone = [
            shot
            for shot in sorted(self.state.shots.values(), key=self._position)
            if shot.beat is not None and shot.beat.key not in kept
        ]
        outcomes = [_outcome(s, self.scenes[s.scene_id].name) for s in gone]
        if self.prune and gone:
            touched = {s.scene_id for s in gone}
            for shot in gone:
                del self.shots[shot.id]
            for scene_id in touched:
                order = sorted(
                    (s for s in self.shots.values() if s.scene_id == scene_id),
                    key=lambda s: s.index,
                )
                self.shots = reindex(self.shots, [s.id for s in order])
        return outcomes

    # -- elements and locks ----------------------------------------------------------------------

    def _elements(self) -> tuple[dict[str, Element], list[str], list[str]]:
        elements = dict(self.state.elements)
        names = {e.name.casefold() for e in elements.values()}
        taken = {e.trigger_word.casefold() for e in elements.values()}
        order = max((e.order for e in elements.values()), default=0)
        added, existing = [], []
        for proposed in self.plan.elements_proposed:
            name = check_name("element", proposed.name)
            if name.casefold() in names:
                existing.append(name)
                continue
            word = proposed.trigger_word
            try:
                check_trigger_word(word)
            except DomainError:
                word = ""
            if not word or word.casefold() in taken:
                word = trigger_from_name(name, taken)
            order += 1
            element = validated(
                Element,
                {
                    "id": self.new_id(),
                    "name": name,
                    "trigger_word": word,
                    "type": proposed.type,
                    "description": proposed.description,
                    "order": order,
                },
            )
            elements[element.id] = element
            names.add(name.casefold())
            taken.add(word.casefold())
            added.append(name)
        return elements, added, existing

    def _check_tracks(self, new: ProjectState) -> None:
        """An import that would change a shot on a locked track is rejected as a whole."""
        for shot_id in self.state.shots.keys() | new.shots.keys():
            before, after = self.state.shots.get(shot_id), new.shots.get(shot_id)
            if before == after:
                continue
            for track in {s.track for s in (before, after) if s is not None}:
                if self.state.tracks[track].locked:
                    raise TrackLocked(
                        f"track {track} is locked and the import would change its shots: "
                        f"unlock it with `milimo track set PROJECT {track} --unlock`"
                    )


def _outcome(
    shot: Shot,
    scene: str,
    updated: tuple[str, ...] = (),
    kept: tuple[str, ...] = (),
    previous_key: str = "",
) -> BeatOutcome:
    assert shot.beat is not None
    return BeatOutcome(
        key=shot.beat.key,
        shot_id=shot.id,
        scene=scene,
        action=shot.action,
        dialogue=shot.dialogue,
        character=shot.character,
        shot_type=shot.shot_type,
        num_frames=shot.num_frames,
        updated_fields=updated,
        kept_edits=kept,
        previous_key=previous_key,
    )
