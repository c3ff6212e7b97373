"""A shot's effective LoRA stack, as a request records it: the shot's own LoRAs, then those of
the elements its prompt uses (its character, its location, its @triggers), each file hashed."""

from typing import Any

from application.engine.ports import MediaStore
from domain.errors import InvalidValue
from domain.project.lora import Lora
from domain.project.shot import Shot
from domain.project.state import ProjectState


def effective_loras(
    state: ProjectState, shot: Shot, elements_used: dict[str, int]
) -> list[tuple[Lora, str]]:
    """(LoRA, where it comes from) in the order applied. A file named twice is applied once:
    the shot's own strength wins over an element's, an older element's over a newer one's."""
    stack: list[tuple[Lora, str]] = [(lora, "shot") for lora in shot.loras]
    used = sorted(
        (state.elements[i] for i in elements_used if i in state.elements), key=lambda e: e.order
    )
    for element in used:
        stack += [(lora, f"element {element.trigger_word}") for lora in element.loras]
    seen: set[str] = set()
    unique = []
    for lora, source in stack:
        if lora.path not in seen:
            seen.add(lora.path)
            unique.append((lora, source))
    return unique


def resolved_loras(
    state: ProjectState, shot: Shot, elements_used: dict[str, int], media: MediaStore
) -> list[dict[str, Any]]:
    """The stack with each file's sha256; a file gone since it was added refuses the request."""
    resolved = []
    for lora, source in effective_loras(state, shot, elements_used):
        digest = media.sha256(lora.path)
        if digest is None:
            fix = (
                f"`milimo shot lora PROJECT {shot.id[:8]} remove {lora.name}`"
                if source == "shot"
                else f"`milimo element lora PROJECT {source.split()[-1]} remove {lora.name}`"
            )
            raise InvalidValue(
                f"the LoRA file {lora.path} ({source}) is gone: put it back, or take it off "
                f"with {fix}"
            )
        resolved.append(
            {"path": lora.path, "strength": lora.strength, "sha256": digest, "source": source}
        )
    return resolved
