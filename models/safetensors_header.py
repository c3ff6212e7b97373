"""What a .safetensors file holds, from its JSON header alone (no torch, no weights read):
tensor names, dtypes and shapes."""

import json
import struct
from pathlib import Path
from typing import Any

# A header is a few MB even for a 19B checkpoint; more than this is not a safetensors file.
MAX_HEADER_BYTES = 100 << 20


class NotSafetensors(ValueError):
    pass


def read_header(path: Path) -> dict[str, dict[str, Any]]:
    """Tensor name → {"dtype", "shape", "data_offsets"}; the `__metadata__` entry left out."""
    with path.open("rb") as handle:
        start = handle.read(8)
        if len(start) < 8:
            raise NotSafetensors("too short for a safetensors header")
        (length,) = struct.unpack("<Q", start)
        if not 2 <= length <= MAX_HEADER_BYTES:
            raise NotSafetensors(f"its header length ({length} bytes) is not a safetensors one")
        raw = handle.read(length)
    try:
        header = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as error:
        raise NotSafetensors(f"its header is not JSON ({error})") from None
    if not isinstance(header, dict):
        raise NotSafetensors("its header is not a table of tensors")
    return {k: v for k, v in header.items() if k != "__metadata__" and isinstance(v, dict)}


def parameter_count(header: dict[str, dict[str, Any]]) -> int:
    total = 0
    for tensor in header.values():
        count = 1
        for dim in tensor.get("shape", []):
            count *= int(dim)
        total += count
    return total
