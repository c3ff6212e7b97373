"""What a SAM 3 model folder holds, checked before any weight is read (no torch here).

<models_dir>/sam3/ has up to two sub-models, each a transformers `save_pretrained` folder:
tracker/ (Sam3TrackerModel: point and box prompts) and text/ (Sam3Model with its CLIP tokenizer:
text prompts). Either may be missing; a request that needs a missing one is refused with the
folder it was looked for in.
"""

from pathlib import Path

from models.weights import weights_hash

TRACKER_DIR, TEXT_DIR = "tracker", "text"
PARTS = {
    TRACKER_DIR: "Sam3TrackerModel, for point and box prompts",
    TEXT_DIR: "Sam3Model with its tokenizer, for text prompts",
}

__all__ = ["IncompleteModel", "check_model_dir", "part_dir", "weights_hash"]


class IncompleteModel(FileNotFoundError):
    """The SAM 3 folder lacks something a request needs; the message names the folder."""


def _present(folder: Path) -> bool:
    return (folder / "config.json").is_file()


def check_model_dir(model_dir: Path) -> list[str]:
    """The sub-models present (tracker, text), once at least one is."""
    if not model_dir.is_dir():
        raise IncompleteModel(f"no SAM 3 model folder at {model_dir}")
    present = [name for name in PARTS if _present(model_dir / name)]
    if not present:
        wanted = "; ".join(f"{model_dir / name}/ ({what})" for name, what in PARTS.items())
        raise IncompleteModel(
            f"no SAM 3 model in {model_dir}: it needs at least one of {wanted}, "
            "each a transformers save_pretrained folder with a config.json"
        )
    return present


def part_dir(model_dir: Path, part: str, prompt: str) -> Path:
    """The folder of one sub-model, or an error naming it and the prompt kind that needs it."""
    folder = model_dir / part
    if not _present(folder):
        state = "is empty (no config.json)" if folder.is_dir() else "does not exist"
        raise IncompleteModel(
            f"{prompt} prompts need the SAM 3 {part} model ({PARTS[part]}), but {folder}/ "
            f"{state}: install it there"
        )
    return folder
