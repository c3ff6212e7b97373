"""LoRA stacks of shots and elements changed: edits like any other, so undo reverses them."""

from typing import Any

from domain.project.events.base import ProjectEvent, short
from domain.project.lora import Lora, with_lora
from domain.project.state import ProjectState


def _label(lora: dict[str, Any]) -> str:
    return f"{Lora.model_validate(lora).name} ({lora['strength']:g})"


class ShotLoraAdded(ProjectEvent):
    """A LoRA joined the shot's stack, or (`previous` set) took a new strength there."""

    shot_id: str
    lora: dict[str, Any]
    previous: dict[str, Any] | None = None

    def evolve(self, state: ProjectState) -> ProjectState:
        shot = state.shots[self.shot_id]
        updated = shot.replace(loras=with_lora(shot.loras, Lora.model_validate(self.lora)))
        return state.replace(shots={**state.shots, self.shot_id: updated})

    def summary(self) -> str:
        if self.previous is not None:
            return (
                f"shot {short(self.shot_id)}: LoRA {_label(self.lora)} "
                f"(was {self.previous['strength']:g})"
            )
        return f"shot {short(self.shot_id)}: added LoRA {_label(self.lora)}"


class ShotLoraRemoved(ProjectEvent):
    shot_id: str
    lora: dict[str, Any]

    def evolve(self, state: ProjectState) -> ProjectState:
        shot = state.shots[self.shot_id]
        kept = tuple(item for item in shot.loras if item.path != self.lora["path"])
        return state.replace(shots={**state.shots, self.shot_id: shot.replace(loras=kept)})

    def summary(self) -> str:
        return f"shot {short(self.shot_id)}: removed LoRA {_label(self.lora)}"


class ElementLoraAdded(ProjectEvent):
    """Like every change of an element, it raises the element's version: takes of shots that
    use the element go stale."""

    element_id: str
    lora: dict[str, Any]
    version: int
    previous: dict[str, Any] | None = None

    def evolve(self, state: ProjectState) -> ProjectState:
        element = state.elements[self.element_id]
        loras = with_lora(element.loras, Lora.model_validate(self.lora))
        return state.replace(
            elements={
                **state.elements,
                self.element_id: element.replace(loras=loras, version=self.version),
            },
            element_clock=max(state.element_clock, self.version),
        )

    def summary(self) -> str:
        was = f" (was {self.previous['strength']:g})" if self.previous is not None else ""
        return f"element {short(self.element_id)} v{self.version}: LoRA {_label(self.lora)}{was}"


class ElementLoraRemoved(ProjectEvent):
    element_id: str
    lora: dict[str, Any]
    version: int

    def evolve(self, state: ProjectState) -> ProjectState:
        element = state.elements[self.element_id]
        kept = tuple(item for item in element.loras if item.path != self.lora["path"])
        return state.replace(
            elements={
                **state.elements,
                self.element_id: element.replace(loras=kept, version=self.version),
            },
            element_clock=max(state.element_clock, self.version),
        )

    def summary(self) -> str:
        return f"element {short(self.element_id)} v{self.version}: removed LoRA {_label(self.lora)}"
