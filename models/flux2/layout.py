"""What a Flux 2 Klein model folder must hold, checked before any weight is read (no torch here).

The same diffusers layout as LTX-2's (model_index.json and one subfolder per component), with
Flux 2's own components; which files count as a component's config is LTX-2's, imported.
"""

import json
from pathlib import Path

from models.weights import COMPONENT_FILES

# The components Flux2KleinPipeline cannot run without.
REQUIRED = ("transformer", "vae", "text_encoder", "tokenizer", "scheduler")


class IncompleteModel(FileNotFoundError):
    """The model folder lacks something the Flux 2 backend needs; the message names it."""


class IncompatibleModel(ValueError):
    """The folder's components do not fit together as a Flux 2 Klein model."""


def check_model_dir(model_dir: Path) -> dict[str, object]:
    """The parsed model_index.json, once every required component is present."""
    if not model_dir.is_dir():
        raise IncompleteModel(f"no Flux 2 model folder at {model_dir}")
    index_file = model_dir / "model_index.json"
    if not index_file.is_file():
        raise IncompleteModel(
            f"no model_index.json in {model_dir}: a Flux 2 model must be in diffusers layout "
            "(as black-forest-labs/FLUX.2-klein-4B is published)"
        )
    try:
        index: dict[str, object] = json.loads(index_file.read_text())
    except (OSError, ValueError) as error:
        raise IncompleteModel(f"unreadable model_index.json in {model_dir}: {error}") from error
    missing = []
    for name in REQUIRED:
        folder = model_dir / name
        if index.get(name) in (None, [None, None]) or not folder.is_dir():
            missing.append(f"{name}/")
        elif not any((folder / f).is_file() for f in COMPONENT_FILES):
            missing.append(f"{name}/ (empty: no config)")
    if missing:
        raise IncompleteModel(
            f"the Flux 2 model in {model_dir} is incomplete: no {', no '.join(missing)} in "
            f"{model_dir} (it needs {', '.join(REQUIRED)})"
        )
    return index
