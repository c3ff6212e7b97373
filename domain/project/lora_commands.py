"""Adding and removing LoRAs on a shot or an element (the file was checked by the caller)."""

from domain.project.core import ProjectCore
from domain.project.element import Element
from domain.project.events import (
    ElementLoraAdded,
    ElementLoraRemoved,
    ShotLoraAdded,
    ShotLoraRemoved,
)
from domain.project.lookup import find_element
from domain.project.lora import Lora, check_lora, find_lora
from domain.project.value import validated


def _lora(path: str, strength: float) -> Lora:
    lora = validated(Lora, {"path": path.strip(), "strength": strength})
    check_lora(lora)
    return lora


def _previous(stack: tuple[Lora, ...], lora: Lora) -> Lora | None:
    return next((item for item in stack if item.path == lora.path), None)


class LoraCommands(ProjectCore):
    def add_shot_lora(self, actor: str, ref: str, path: str, strength: float = 1.0) -> bool:
        """False when the shot has that LoRA at that strength already (nothing recorded)."""
        shot = self.shot(ref)
        self.check_unlocked(shot.track)
        lora = _lora(path, strength)
        previous = _previous(shot.loras, lora)
        if previous == lora:
            return False
        self.trigger_event(
            ShotLoraAdded,
            actor=actor,
            shot_id=shot.id,
            lora=lora.model_dump(),
            previous=previous.model_dump() if previous else None,
        )
        return True

    def remove_shot_lora(self, actor: str, ref: str, path: str) -> Lora:
        shot = self.shot(ref)
        self.check_unlocked(shot.track)
        lora = find_lora(shot.loras, path.strip(), f"shot {shot.id[:8]}")
        self.trigger_event(ShotLoraRemoved, actor=actor, shot_id=shot.id, lora=lora.model_dump())
        return lora

    def add_element_lora(self, actor: str, ref: str, path: str, strength: float = 1.0) -> bool:
        element = find_element(self.state, ref)
        lora = _lora(path, strength)
        previous = _previous(element.loras, lora)
        if previous == lora:
            return False
        self.trigger_event(
            ElementLoraAdded,
            actor=actor,
            element_id=element.id,
            lora=lora.model_dump(),
            previous=previous.model_dump() if previous else None,
            version=self._next_version(element),
        )
        return True

    def remove_element_lora(self, actor: str, ref: str, path: str) -> Lora:
        element = find_element(self.state, ref)
        lora = find_lora(element.loras, path.strip(), f"{element.type} {element.name!r}")
        self.trigger_event(
            ElementLoraRemoved,
            actor=actor,
            element_id=element.id,
            lora=lora.model_dump(),
            version=self._next_version(element),
        )
        return lora

    def _next_version(self, element: Element) -> int:
        return self.state.next_element_version(element.version)
