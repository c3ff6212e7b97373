"""What an LTX-2 model folder must hold, checked before any weight is read (no torch here).

A folder in diffusers layout has a model_index.json naming each component and one subfolder per
component. A missing piece is named in the error, with the folder it was looked for in.
"""

from pathlib import Path

from models.weights import COMPONENT_FILES, check_diffusers_folder

# The components LTX2Pipeline cannot run without (processor, prompt_enhancer and duration_head
# are optional in diffusers and not needed by Milimo).
REQUIRED = (
    "transformer",
    "vae",
    "audio_vae",
    "text_encoder",
    "tokenizer",
    "connectors",
    "vocoder",
    "scheduler",
)
IC_LORA_DIR = "ic_lora"
# The ×2 spatial latent upsampler of two-stage generation (optional: only upscale jobs need it).
LATENT_UPSAMPLER_DIR = "latent_upsampler"


class IncompleteModel(FileNotFoundError):
    """The model folder lacks something the LTX-2 backend needs; the message names it."""


def check_model_dir(model_dir: Path) -> dict[str, object]:
    """The parsed model_index.json, once every required component is present."""
    return check_diffusers_folder(model_dir, REQUIRED, "LTX-2", IncompleteModel)


def ic_lora_file(model_dir: Path, requested: str | None) -> Path:
    """The IC-LoRA to load for an ic_lora job: the request's own, else the one in <dir>/ic_lora/."""
    if requested:
        path = Path(requested)
        if not path.is_file():
            raise IncompleteModel(f"the IC-LoRA {path} named by the request does not exist")
        return path
    folder = model_dir / IC_LORA_DIR
    found = sorted(folder.glob("*.safetensors")) if folder.is_dir() else []
    if not found:
        raise IncompleteModel(
            f"the ic_lora pipeline needs an IC-LoRA adapter: no *.safetensors in "
            f"{folder} (put one there, e.g. an LTX-2 IC-LoRA for depth, pose or canny control)"
        )
    if len(found) > 1:
        names = ", ".join(f.name for f in found)
        raise IncompleteModel(f"more than one IC-LoRA in {folder} ({names}): keep one")
    return found[0]


def latent_upsampler_dir(model_dir: Path) -> Path:
    """The latent upsampler's folder (diffusers layout, with a config): upscale jobs need it."""
    folder = model_dir / LATENT_UPSAMPLER_DIR
    if not any((folder / f).is_file() for f in COMPONENT_FILES):
        raise IncompleteModel(
            f"two-stage upscaling needs the LTX-2 latent upsampler: no {LATENT_UPSAMPLER_DIR}/ "
            f"(with its config) in {model_dir} (put the ×2 spatial upsampler there in "
            "diffusers layout, or generate without upscale)"
        )
    return folder
