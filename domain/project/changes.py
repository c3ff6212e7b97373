"""State differences, the data of undo, redo and restore.

A change names one entity of a collection and its fields before and after; `before=None` means
the entity was created, `after=None` that it was removed. Undo applies an edit's changes in
reverse, so it never has to know what kind of edit it undoes. Takes are outside undo: a
generation is never lost by undoing the edit before it, nor by undoing the shot's creation (the
aggregate keeps what a removed shot or element had: domain/project/removed.py). Assets are no
collection here at all: undo and restore never remove one; a branch holds those its origin held
at the branch's version.
"""

from typing import Any, TypedDict

from pydantic import BaseModel

from domain.project.element import Element
from domain.project.scene import Scene
from domain.project.settings import ProjectSettings
from domain.project.shot import Shot
from domain.project.state import ProjectState
from domain.project.style import StylePreset
from domain.project.track import Track


class Change(TypedDict):
    collection: str
    id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


_COLLECTIONS: dict[str, type[BaseModel]] = {
    "tracks": Track,
    "scenes": Scene,
    "shots": Shot,
    "elements": Element,
    "styles": StylePreset,
}
# Fields that an update never reverts: the engine's takes, concept art and element looks, and
# the element version, which only rises so that a take made with an older look stays stale.
_NOT_UNDONE = {"takes", "concept_art", "looks", "version"}
SETTINGS = "settings"


def _dump(value: BaseModel) -> dict[str, Any]:
    return value.model_dump(mode="json")


def _field_diff(a: BaseModel, b: BaseModel) -> tuple[dict[str, Any], dict[str, Any]]:
    before, after = {}, {}
    for name in type(a).model_fields:
        if name in _NOT_UNDONE:
            continue
        old, new = getattr(a, name), getattr(b, name)
        if old != new:
            before[name] = _dump_field(old)
            after[name] = _dump_field(new)
    return before, after


def _dump_field(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _dump(value)
    if isinstance(value, tuple):
        return [_dump_field(v) for v in value]
    return value


def diff(a: ProjectState, b: ProjectState) -> list[Change]:
    """The changes that turn state `a` into state `b`."""
    changes: list[Change] = []
    if a.settings is not b.settings:
        before, after = _field_diff(a.settings, b.settings)
        if after:
            changes.append(Change(collection=SETTINGS, id="", before=before, after=after))
    for collection in _COLLECTIONS:
        old: dict[str, BaseModel] = getattr(a, collection)
        new: dict[str, BaseModel] = getattr(b, collection)
        if old is new:
            continue
        for key in old.keys() | new.keys():
            x, y = old.get(key), new.get(key)
            if x is y:
                continue
            if x is None:
                assert y is not None
                changes.append(Change(collection=collection, id=key, before=None, after=_dump(y)))
            elif y is None:
                changes.append(Change(collection=collection, id=key, before=_dump(x), after=None))
            else:
                before, after = _field_diff(x, y)
                if after:
                    changes.append(
                        Change(collection=collection, id=key, before=before, after=after)
                    )
    return sorted(changes, key=lambda c: (c["collection"], c["id"]))


def reverse(changes: list[Change]) -> list[Change]:
    return [
        Change(collection=c["collection"], id=c["id"], before=c["after"], after=c["before"])
        for c in changes
    ]


def apply(state: ProjectState, changes: list[Change]) -> ProjectState:
    """State with every change's `after` side applied."""
    updates: dict[str, Any] = {}
    clock = state.element_clock
    for change in changes:
        collection, after = change["collection"], change["after"]
        if collection == SETTINGS:
            settings = updates.get(SETTINGS, state.settings)
            updates[SETTINGS] = ProjectSettings.model_validate(
                {**settings.model_dump(), **(after or {})}
            )
            continue
        model = _COLLECTIONS[collection]
        items = updates.setdefault(collection, dict(getattr(state, collection)))
        current = items.get(change["id"])
        if after is None:
            items.pop(change["id"], None)
        elif current is None or change["before"] is None:
            items[change["id"]] = model.model_validate(after)
        else:
            merged = {**current.model_dump(), **after}
            if isinstance(current, Element):
                clock = merged["version"] = max(current.version, clock) + 1
            items[change["id"]] = model.model_validate(merged)
        if collection == "elements" and after is not None:
            clock = max(clock, items[change["id"]].version)
    return state.replace(**updates, element_clock=clock)


def describe(change: Change) -> str:
    if change["before"] is None:
        return f"add {change['collection'][:-1]} {change['id'][:8]}"
    if change["after"] is None:
        return f"remove {change['collection'][:-1]} {change['id'][:8]}"
    fields = ", ".join(sorted(change["after"]))
    where = change["collection"] if change["collection"] == SETTINGS else change["id"][:8]
    return f"{where}: {fields}"


__all__ = ["Change", "apply", "describe", "diff", "reverse"]
