"""What a Flux 2 Klein model folder must hold, checked before any weight is read (no torch here).

The same diffusers layout as LTX-2's (model_index.json and one subfolder per component), with
Flux 2's own components; which files count as a component's config is LTX-2's, imported.
"""

from pathlib import Path

from models.weights import check_diffusers_folder

# The components Flux2KleinPipeline cannot run without.
REQUIRED = ("transformer", "vae", "text_encoder", "tokenizer", "scheduler")
PUBLISHED_AS = " (as black-forest-labs/FLUX.2-klein-4B is published)"


class IncompleteModel(FileNotFoundError):
    """The model folder lacks something the Flux 2 backend needs; the message names it."""


class IncompatibleModel(ValueError):
    """The folder's components do not fit together as a Flux 2 Klein model."""


def check_model_dir(model_dir: Path) -> dict[str, object]:
    """The parsed model_index.json, once every required component is present."""
    return check_diffusers_folder(
        model_dir,
        REQUIRED,
        "Flux 2",
        IncompleteModel,
        " (as black-forest-labs/FLUX.2-klein-4B is published)",
    )
