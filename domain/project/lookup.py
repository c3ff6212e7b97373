"""Finding things in a project by id, unique id prefix or name."""

from collections.abc import Callable, Iterable
from typing import TypeVar

from domain.errors import AmbiguousReference, NotFound
from domain.project.element import Element
from domain.project.scene import Scene
from domain.project.shot import Shot
from domain.project.state import ProjectState

T = TypeVar("T")


def find(kind: str, ref: str, items: Iterable[T], key: Callable[[T], list[str]]) -> T:
    """The one item whose id (first key) starts with `ref`, or whose other keys equal it."""
    ref = ref.strip()
    if not ref:
        raise NotFound(f"no {kind} named ''")
    candidates = list(items)
    exact = [i for i in candidates if ref in key(i)]
    if not exact:
        folded = ref.casefold()
        exact = [i for i in candidates if folded in (k.casefold() for k in key(i))]
    if len(exact) == 1:
        return exact[0]
    prefix = ref.lower()
    matches = exact or [i for i in candidates if key(i)[0].startswith(prefix)]
    if not matches:
        raise NotFound(f"no {kind} {ref!r} in this project")
    if len(matches) > 1:
        ids = ", ".join(key(i)[0][:12] for i in matches[:5])
        raise AmbiguousReference(f"{kind} {ref!r} is ambiguous: it matches {ids}")
    return matches[0]


def find_shot(state: ProjectState, ref: str) -> Shot:
    return find("shot", ref, state.shots.values(), lambda s: [s.id])


def find_scene(state: ProjectState, ref: str) -> Scene:
    return find("scene", ref, state.scenes.values(), lambda s: [s.id, s.name])


def find_element(state: ProjectState, ref: str) -> Element:
    return find(
        "element",
        ref,
        state.elements.values(),
        lambda e: [e.id, e.name, e.trigger_word, e.trigger_word.lstrip("@")],
    )
