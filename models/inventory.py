"""What `milimo models` lists: every backend, the weights found for it under MILIMO_MODELS_DIR,
their size, an expected-VRAM estimate, a weights hash and the quality/speed presets.

Read from the files alone (safetensors headers, file sizes), never torch, so it is instant:
- size on disk: every file under the model's folder (links followed);
- parameters: the element counts of every tensor named in the .safetensors headers;
- expected VRAM: parameters × 2 bytes (the backends load bfloat16 on CUDA) × 1.2 for
  activations, the VAE decode and the CUDA workspace. A floor to plan GPUs with, not a
  measurement: long, large LTX-2 shots need more for activations;
- weights hash: models/weights.py's fingerprint (each .safetensors file's name, size and first
  MiB), the same one a job's JobStarted records, so a take can be matched to these weights.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from models.catalog import (
    ENHANCER_DIR,
    FLUX2_DIR,
    LTX2_DIR,
    SAM3_DIR,
    STORYBOARD_DIR,
    ModelCatalog,
)
from models.presets import presets_of
from models.safetensors_header import NotSafetensors, parameter_count, read_header
from models.weights import weights_hash

BYTES_PER_PARAMETER = 2  # bfloat16
VRAM_OVERHEAD = 1.2
LORA_DIR = "loras"

# Backend, the folder its weights live in (None: built in), the jobs it serves.
BACKENDS: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("animatic", None, ("video", "image", "concept", "segment", "inpaint")),
    ("ltx2", LTX2_DIR, ("video",)),
    ("flux2", FLUX2_DIR, ("image", "concept", "inpaint")),
    ("sam3", SAM3_DIR, ("segment",)),
    ("enhancer", ENHANCER_DIR, ("prompt",)),
    ("storyboard", STORYBOARD_DIR, ("script import --mode ai",)),
    ("render", None, ("render",)),
)
BUILT_IN_NOTES = {
    "animatic": "storyboard cards; serves every job whose model is not installed",
    "render": "ffmpeg: the timeline to one H.264 + AAC file",
}


def files_under(folder: Path) -> Iterator[Path]:
    for root, _dirs, names in os.walk(folder, followlinks=True):
        for name in sorted(names):
            yield Path(root) / name


def weights_facts(folder: Path) -> dict[str, Any]:
    """Size on disk, parameter count, expected VRAM and weights hash of a model folder."""
    size = 0
    parameters = 0
    unreadable = []
    for file in files_under(folder):
        if not file.is_file():
            continue
        size += file.stat().st_size
        if file.suffix == ".safetensors":
            try:
                parameters += parameter_count(read_header(file))
            except (NotSafetensors, OSError):
                unreadable.append(file.name)
    vram = int(parameters * BYTES_PER_PARAMETER * VRAM_OVERHEAD) if parameters else None
    facts: dict[str, Any] = {
        "size_bytes": size,
        "parameters": parameters or None,
        "vram_estimate_bytes": vram,
        "weights_hash": weights_hash(folder) if parameters else None,
    }
    if unreadable:
        facts["unreadable"] = unreadable
    return facts


def _built_in(name: str, serves: tuple[str, ...]) -> dict[str, Any]:
    return {
        **_blank(name, serves),
        "installed": True,
        "ready": True,
        "path": "built in",
        "note": BUILT_IN_NOTES.get(name, ""),
    }


def _blank(name: str, serves: tuple[str, ...]) -> dict[str, Any]:
    return {
        "name": name,
        "backend": name,
        "serves": list(serves),
        "installed": False,
        "ready": False,
        "path": None,
        "size_bytes": None,
        "parameters": None,
        "vram_estimate_bytes": None,
        "weights_hash": None,
        "presets": presets_of(name),
    }


def _installed(catalog: ModelCatalog, name: str, folder: Path) -> bool:
    """Whether the catalog will serve jobs with the weights in `folder`."""
    if name == "enhancer":
        return catalog.enhancer() is not None
    if name == "storyboard":
        return (folder / "config.json").is_file()
    if name == "sam3":
        return folder.is_dir()
    return (folder / "model_index.json").is_file()


def inventory(models_dir: Path | None) -> list[dict[str, Any]]:
    """Every backend, then every LoRA file under <models dir>/loras/."""
    catalog = ModelCatalog(models_dir)
    entries = []
    for name, sub, serves in BACKENDS:
        if sub is None:
            entries.append(_built_in(name, serves))
            continue
        entry = _blank(name, serves)
        folder = models_dir / sub if models_dir is not None else None
        if folder is not None:
            entry["path"] = str(folder)
        if folder is not None and folder.is_dir():
            entry.update(weights_facts(folder), installed=True)
            entry["ready"] = _installed(catalog, name, folder)
            if name == "ltx2":
                entry["two_stage_ready"] = (folder / "latent_upsampler").is_dir()
        entries.append(entry)
    return entries + loras_found(models_dir)


def loras_found(models_dir: Path | None) -> list[dict[str, Any]]:
    folder = models_dir / LORA_DIR if models_dir is not None else None
    if folder is None or not folder.is_dir():
        return []
    found = []
    for file in files_under(folder):
        if file.suffix != ".safetensors" or not file.is_file():
            continue
        try:
            parameters: int | None = parameter_count(read_header(file))
        except (NotSafetensors, OSError):
            parameters = None
        found.append(
            {
                "name": file.stem,
                "backend": "lora",
                "serves": ["lora"],
                "installed": True,
                "ready": parameters is not None,
                "path": str(file),
                "size_bytes": file.stat().st_size,
                "parameters": parameters,
                "vram_estimate_bytes": (
                    int(parameters * BYTES_PER_PARAMETER) if parameters else None
                ),
                "weights_hash": None,
                "presets": {},
            }
        )
    return found
