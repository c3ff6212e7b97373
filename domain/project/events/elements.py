from typing import Any, ClassVar

from domain.project.element import Element
from domain.project.events.base import ProjectEvent, fields_summary, short
from domain.project.look import Look
from domain.project.removed import Removed
from domain.project.state import ProjectState
from domain.project.style import StylePreset


class ElementDefined(ProjectEvent):
    element: dict[str, Any]

    def evolve(self, state: ProjectState) -> ProjectState:
        element = Element.model_validate(self.element)
        return state.replace(
            elements={**state.elements, element.id: element},
            element_clock=max(state.element_clock, element.version),
        )

    def summary(self) -> str:
        e = self.element
        return f"defined {e['type']} {e['trigger_word']} {e['name']!r}"


class ElementChanged(ProjectEvent):
    """Every change raises the element's version, so takes made with an older one go stale."""

    element_id: str
    changes: dict[str, Any]
    previous: dict[str, Any]
    version: int

    def evolve(self, state: ProjectState) -> ProjectState:
        element = state.elements[self.element_id].replace(**self.changes, version=self.version)
        return state.replace(
            elements={**state.elements, self.element_id: element},
            element_clock=max(state.element_clock, self.version),
        )

    def summary(self) -> str:
        return f"element {short(self.element_id)} v{self.version}: " + fields_summary(
            self.changes, self.previous
        )


class ElementRemoved(ProjectEvent):
    element_id: str
    element: dict[str, Any]

    def evolve(self, state: ProjectState) -> ProjectState:
        elements = {k: v for k, v in state.elements.items() if k != self.element_id}
        return state.replace(elements=elements)

    def summary(self) -> str:
        return f"removed element {self.element['trigger_word']} {self.element['name']!r}"


class StylePresetDefined(ProjectEvent):
    style: dict[str, Any]
    previous: dict[str, Any] | None

    def evolve(self, state: ProjectState) -> ProjectState:
        style = StylePreset.model_validate(self.style)
        return state.replace(styles={**state.styles, style.name: style})

    def summary(self) -> str:
        verb = "redefined" if self.previous else "defined"
        return f"{verb} style preset {self.style['name']!r}"


class ElementLookAdded(ProjectEvent):
    """A finished visualize or edit-look job gave an element a look. Like a take, not an edit:
    undo never removes it; one whose element is gone waits with it (domain/project/removed.py)."""

    element_id: str
    look: dict[str, Any]
    undoable: ClassVar[bool] = False

    def evolve(self, state: ProjectState) -> ProjectState:
        element = state.elements.get(self.element_id)
        if element is None:
            return state
        return state.replace(elements={**state.elements, self.element_id: self.given(element)})

    def keep(self, removed: Removed, state: ProjectState) -> Removed:
        element = removed.elements.get(self.element_id)
        if element is None or self.element_id in state.elements:
            return removed
        elements = {**removed.elements, self.element_id: self.given(element)}
        return removed.replace(elements=elements)

    def given(self, element: Element) -> Element:
        return element.replace(looks=(*element.looks, Look.model_validate(self.look)))

    def summary(self) -> str:
        return (
            f"{self.look['kind']} look {short(self.look['id'])} added to element "
            f"{short(self.element_id)}"
        )


class ElementLookChosen(ProjectEvent):
    """The element uses one of its looks now: its image is the look's, its version rises, so
    takes made with the older look go stale. An edit: undo brings the previous image back."""

    element_id: str
    look_id: str
    image: str
    previous: dict[str, Any]  # the element's image and look before
    version: int
    # The first look of an element that had no image is chosen by itself.
    automatic: bool = False

    def evolve(self, state: ProjectState) -> ProjectState:
        element = state.elements[self.element_id].replace(
            image=self.image, look=self.look_id, version=self.version
        )
        return state.replace(
            elements={**state.elements, self.element_id: element},
            element_clock=max(state.element_clock, self.version),
        )

    def summary(self) -> str:
        how = " (its first)" if self.automatic else ""
        chose = f"chose look {short(self.look_id)}{how}"
        return f"element {short(self.element_id)} v{self.version}: {chose}"
