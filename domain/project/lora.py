"""LoRA stacks: the adapters a shot or an element asks the video model to apply, and how hard.

A LoRA is named by its file's path; the file itself is checked where files are read (a missing
file or one that holds no LoRA is refused before any event), the stack only keeps its place.
"""

import re

from domain.errors import AmbiguousReference, InvalidValue, NotFound
from domain.project.rules import check_range
from domain.project.value import Value

# Negative strengths are legal in diffusers (they push away from what the LoRA learnt); beyond
# ±2 a LoRA burns the picture, so that is taken for a typo.
MIN_LORA_STRENGTH, MAX_LORA_STRENGTH = -2.0, 2.0


class Lora(Value):
    path: str
    strength: float = 1.0

    @property
    def name(self) -> str:
        return file_name(self.path)


def file_name(path: str) -> str:
    return re.split(r"[/\\]", path)[-1]


def check_lora(lora: Lora) -> None:
    if not lora.path.strip():
        raise InvalidValue("a LoRA needs the path of its .safetensors file")
    check_range("LoRA strength", lora.strength, MIN_LORA_STRENGTH, MAX_LORA_STRENGTH)


def with_lora(stack: tuple[Lora, ...], lora: Lora) -> tuple[Lora, ...]:
    """The stack with `lora` in it: a file already there keeps its place and takes the new
    strength; a new file goes last."""
    if any(item.path == lora.path for item in stack):
        return tuple(lora if item.path == lora.path else item for item in stack)
    return (*stack, lora)


def find_lora(stack: tuple[Lora, ...], ref: str, owner: str) -> Lora:
    """The stack's LoRA at path `ref`, or the only one whose file name is `ref`'s."""
    exact = [item for item in stack if item.path == ref]
    if exact:
        return exact[0]
    named = [item for item in stack if item.name == file_name(ref)]
    if len(named) == 1:
        return named[0]
    if named:
        paths = ", ".join(item.path for item in named)
        raise AmbiguousReference(f"{owner} has several LoRAs named {file_name(ref)}: {paths}")
    held = ", ".join(item.path for item in stack) or "none"
    raise NotFound(f"{owner} has no LoRA {ref} (its LoRAs: {held})")
