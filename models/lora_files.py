"""Checking that a file named as a LoRA is one, before any event records it (no torch).

A LoRA in the formats diffusers loads is a .safetensors file whose tensors are low-rank pairs:
`lora_A`/`lora_B` (diffusers, peft) or `lora_down`/`lora_up` (kohya, the original LTX-2 trainer).
A full checkpoint, a text file or a missing path is refused with the reason.
"""

import re
from pathlib import Path

from domain.errors import InvalidValue
from models.safetensors_header import NotSafetensors, read_header

_LOW_RANK = re.compile(r"lora[._]?(a|b|down|up)\b", re.IGNORECASE)


class LoraRejected(InvalidValue):
    """The file is missing, unreadable or holds no LoRA; nothing was recorded."""


def checked_lora(raw: str) -> str:
    """The LoRA file's absolute path, once it is known to hold LoRA weights."""
    if not raw.strip():
        raise LoraRejected("a LoRA needs the path of its .safetensors file")
    path = Path(raw.strip()).expanduser().resolve()
    if not path.is_file():
        raise LoraRejected(f"no LoRA file at {path}")
    if path.suffix.lower() != ".safetensors":
        raise LoraRejected(
            f"{path} is not a .safetensors file: Milimo loads LoRAs in safetensors format only "
            "(convert a .ckpt/.pt one first)"
        )
    try:
        header = read_header(path)
    except NotSafetensors as error:
        raise LoraRejected(f"{path} is not a readable safetensors file: {error}") from None
    except OSError as error:
        raise LoraRejected(f"cannot read {path}: {error.strerror or error}") from None
    if not any(_LOW_RANK.search(name) for name in header):
        raise LoraRejected(
            f"{path} holds no LoRA weights ({len(header)} tensors, none of them lora_A/lora_B "
            "or lora_down/lora_up): is it a full model checkpoint?"
        )
    return str(path)
