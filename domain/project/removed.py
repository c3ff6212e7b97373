"""What the engine gave a removed shot or element, kept for when an edit brings it back.

Undo, redo and restore recreate an entity from the dump an earlier edit recorded, which holds
only the takes, concept art and looks it had then. Those are outside undo, so the aggregate keeps
every removed shot and element as it was when removed, adds what a job delivers while it is
gone, and an edit that brings it back carries all of it. The events stay self-contained: a
replay or a read model never needs this.
"""

from typing import Any

from domain.project.changes import Change
from domain.project.element import Element
from domain.project.shot import Shot
from domain.project.state import ProjectState
from domain.project.value import Value


class Removed(Value):
    shots: dict[str, Shot] = {}
    elements: dict[str, Element] = {}

    def track(self, before: ProjectState, after: ProjectState, mixed: bool) -> "Removed":
        """Kept after an event took `before` to `after`; `mixed`: the event may remove and add
        entities at once (undo, redo, restore, a script import), where counts cannot tell."""
        shots = _kept(self.shots, before.shots, after.shots, mixed)
        elements = _kept(self.elements, before.elements, after.elements, mixed)
        if shots is self.shots and elements is self.elements:
            return self
        return self.replace(shots=shots, elements=elements)

    def returned(self, changes: list[Change]) -> list[Change]:
        """`changes` with each shot or element they recreate given back its takes, concept art
        and looks, including those that arrived while it was gone."""
        out = []
        for change in changes:
            after = change["after"]
            if change["before"] is None and after is not None:
                if change["collection"] == "shots" and change["id"] in self.shots:
                    after = _shot_back(after, self.shots[change["id"]])
                elif change["collection"] == "elements" and change["id"] in self.elements:
                    after = {**after, "looks": _dumps(self.elements[change["id"]].looks)}
            out.append(
                Change(
                    collection=change["collection"],
                    id=change["id"],
                    before=change["before"],
                    after=after,
                )
            )
        return out


def _kept(kept: dict[str, Any], old: dict[str, Any], new: dict[str, Any], mixed: bool) -> Any:
    if old is new or not (mixed or len(new) < len(old)):
        return kept
    gone = [k for k in old if k not in new]
    back = [k for k in kept if k in new] if mixed else []
    if not gone and not back:
        return kept
    out = {k: v for k, v in kept.items() if k not in back}
    out.update((k, old[k]) for k in gone)
    return out


def _shot_back(dump: dict[str, Any], kept: Shot) -> dict[str, Any]:
    """The shot as the edit recorded it, with the engine's fields as they were when removed; the
    active take the dump pinned stays, otherwise the one it had (its newest, unless chosen)."""
    takes = {t.id for t in kept.takes}
    pinned = bool(dump.get("take_pinned")) and dump.get("active_take") in takes
    active = {} if pinned else {"active_take": kept.active_take, "take_pinned": kept.take_pinned}
    return {**dump, "takes": _dumps(kept.takes), "concept_art": kept.concept_art, **active}


def _dumps(values: tuple[Value, ...]) -> list[dict[str, Any]]:
    return [v.model_dump(mode="json") for v in values]


__all__ = ["Removed"]
