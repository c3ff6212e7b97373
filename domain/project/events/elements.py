from typing import Any

from domain.project.element import Element
from domain.project.events.base import ProjectEvent, fields_summary, short
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
