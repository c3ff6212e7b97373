"""Elements: the recurring characters, locations and objects a prompt can name by @Trigger."""

import re
from typing import Literal

from domain.errors import TriggerWordInvalid
from domain.project.look import Look
from domain.project.lora import Lora
from domain.project.value import Value

ElementType = Literal["character", "location", "object"]
ELEMENT_TYPES: tuple[str, ...] = ("character", "location", "object")
ELEMENT_FIELDS: tuple[str, ...] = ("name", "trigger_word", "type", "description", "image")

_TRIGGER = re.compile(r"^@[^\W\d_]\w*$")


class Element(Value):
    id: str
    name: str
    trigger_word: str
    type: ElementType
    description: str = ""
    image: str | None = None
    version: int = 1
    # Definition order, so lists stay oldest first even after an undo re-creates an element.
    order: int = 0
    # LoRAs every shot that uses the element gets (a character's identity LoRA, say).
    loras: tuple[Lora, ...] = ()
    # Its generated looks, oldest first (outside undo, like takes), and the one it uses: `image`
    # is that look's image while `look` names it.
    looks: tuple[Look, ...] = ()
    look: str | None = None


def check_trigger_word(word: str) -> None:
    if not _TRIGGER.match(word):
        raise TriggerWordInvalid(
            f"a trigger word is @ followed by a letter, then letters, digits or _: got {word!r}"
            " (e.g. @Mara)"
        )


def trigger_from_name(name: str, taken: set[str]) -> str:
    """@ and the name in CamelCase, numbered when another element has it already."""
    words = re.findall(r"[^\W_]+", name)
    word = "".join(w[:1].upper() + w[1:] for w in words)
    if not word or not word[0].isalpha():
        word = "E" + word
    candidate, n = "@" + word, 2
    while candidate.casefold() in taken:
        candidate, n = f"@{word}{n}", n + 1
    return candidate
