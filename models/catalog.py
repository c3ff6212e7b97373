"""Which backend and model serve a job, from what is installed under MILIMO_MODELS_DIR.

Light on purpose: the command that requests a job imports this, never torch.
"""

from pathlib import Path
from typing import Any

from models import presets

# Subdirectories of the models dir, in diffusers/transformers layout.
LTX2_DIR, FLUX2_DIR, SAM3_DIR = "ltx2", "flux2", "sam3"
# The most frames one call makes; a longer shot is generated as a chain of segments. The animatic
# stands in for LTX-2, so it takes LTX-2's limit: a storyboard rehearses the same segment plan,
# timing and resume as the model will run.
MAX_FRAMES: dict[str, int] = {"ltx2": 121, "animatic": 121}
# A causal LM (transformers layout) that rewrites prompts; without it the rules do.
ENHANCER_DIR = "enhancer"
# A causal LM that writes storyboards (`script import --mode ai`); without it, the enhancer's.
STORYBOARD_DIR = "storyboard"


class ModelCatalog:
    def __init__(self, models_dir: Path | None):
        self.models_dir = models_dir

    def _has(self, name: str) -> bool:
        return (
            self.models_dir is not None and (self.models_dir / name / "model_index.json").is_file()
        )

    def choose(self, kind: str, pipeline: str) -> tuple[str, str]:
        if kind == "render":
            return "render", "ffmpeg"
        if kind == "video" and self._has(LTX2_DIR):
            assert self.models_dir is not None
            return "ltx2", str(self.models_dir / LTX2_DIR)
        if kind in ("image", "concept", "inpaint") and self._has(FLUX2_DIR):
            assert self.models_dir is not None
            return "flux2", str(self.models_dir / FLUX2_DIR)
        if (
            kind == "segment"
            and self.models_dir is not None
            and (self.models_dir / SAM3_DIR).is_dir()
        ):
            return "sam3", str(self.models_dir / SAM3_DIR)
        return "animatic", "animatic"

    def enhancer(self) -> Path | None:
        """The prompt-enhancing model's folder, when one is installed."""
        if self.models_dir is None:
            return None
        folder = self.models_dir / ENHANCER_DIR
        return folder if (folder / "config.json").is_file() else None

    def storyboard_writer(self) -> Path | None:
        """The storyboard-writing model's folder: storyboard/, else the enhancer's model (both
        are instruction-following causal LMs; one set of weights can serve both)."""
        own = self.models_dir / STORYBOARD_DIR if self.models_dir is not None else None
        if own is not None and (own / "config.json").is_file():
            return own
        return self.enhancer()

    def max_frames(self, backend: str) -> int | None:
        return MAX_FRAMES.get(backend)

    def preset(self, backend: str, name: str) -> dict[str, Any] | None:
        return presets.preset(backend, name)

    def available(self) -> dict[str, str | None]:
        """Each backend and where its weights are, or None when they are not installed."""
        found: dict[str, str | None] = {"animatic": "built in"}
        for name in (LTX2_DIR, FLUX2_DIR, SAM3_DIR, ENHANCER_DIR, STORYBOARD_DIR):
            path = self.models_dir / name if self.models_dir else None
            found[name] = str(path) if path is not None and path.is_dir() else None
        return found
