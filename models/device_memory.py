"""How much memory a worker's device has, and how much a model's weights take.

Nothing here imports torch: CUDA is asked only when torch is already loaded (a worker that ran
only the animatic never pays for it), else the device is the CPU and its RAM.
"""

import os
import sys
from pathlib import Path
from typing import Any

WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".gguf")


def loaded_cuda() -> Any:
    """torch.cuda when torch is already imported and a CUDA device is there, else None."""
    torch = sys.modules.get("torch")
    if torch is None:
        return None
    try:
        return torch.cuda if torch.cuda.is_available() else None
    except Exception:  # a broken driver reads as no GPU
        return None


def meminfo() -> dict[str, int]:
    """/proc/meminfo in bytes (empty where there is none)."""
    values: dict[str, int] = {}
    try:
        text = Path("/proc/meminfo").read_text()
    except OSError:
        return values
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            values[name] = int(parts[0]) * (1024 if parts[1:] == ["kB"] else 1)
    return values


def gpu_info() -> dict[str, Any]:
    """The device as `milimo workers` shows it: name, total, used and free bytes."""
    cuda = loaded_cuda()
    if cuda is not None:
        try:
            free, total = cuda.mem_get_info()
            return {
                "name": cuda.get_device_name(),
                "total_bytes": int(total),
                "used_bytes": int(total - free),
                "free_bytes": int(free),
            }
        except Exception:  # a device that cannot be asked is shown by name only
            return {"name": "cuda"}
    ram = meminfo()
    total, free = ram.get("MemTotal"), ram.get("MemAvailable")
    if total is None or free is None:
        return {"name": "cpu"}
    return {"name": "cpu", "total_bytes": total, "used_bytes": total - free, "free_bytes": free}


def free_bytes() -> int | None:
    """Free memory of the device a newly loaded model lands on: the GPU's, else RAM's."""
    cuda = loaded_cuda()
    if cuda is not None:
        try:
            return int(cuda.mem_get_info()[0])
        except Exception:
            return None
    return meminfo().get("MemAvailable")


def allocated_bytes() -> int | None:
    """Bytes torch holds on the current CUDA device, when there is one."""
    cuda = loaded_cuda()
    if cuda is None:
        return None
    try:
        return int(cuda.memory_allocated())
    except Exception:
        return None


def weights_bytes(model: str) -> int:
    """Bytes of a model's weight files on disk (0 for a built-in backend with no folder)."""
    path = Path(model)
    if path.is_file():
        return path.stat().st_size
    if not path.is_dir():
        return 0
    total = 0
    # Linked folders and files count too: a Hugging Face snapshot links its files to blobs.
    for folder, _dirs, files in os.walk(path, followlinks=True):
        for name in files:
            if name.endswith(WEIGHT_SUFFIXES):
                total += (Path(folder) / name).stat().st_size
    return total


def readable_bytes(count: float) -> str:
    return f"{count / 1e9:.2f} GB" if count >= 1e7 else f"{count / 1e6:.2f} MB"
