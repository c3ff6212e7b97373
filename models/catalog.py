"""Which backend and model serve a job, from what is installed under MILIMO_MODELS_DIR.

Light on purpose: the command that requests a job imports this, never torch.
"""

from pathlib import Path

# Subdirectories of the models dir, in diffusers/transformers layout.
LTX2_DIR, FLUX2_DIR, SAM3_DIR = "ltx2", "flux2", "sam3"


class ModelCatalog:
    def __init__(self, models_dir: Path | None):
        self.models_dir = models_dir

    def _has(self, name: str) -> bool:
        return (
            self.models_dir is not None and (self.models_dir / name / "model_index.json").is_file()
        )

    def choose(self, kind: str, pipeline: str) -> tuple[str, str]:
        if kind == "video" and self._has(LTX2_DIR):
            assert self.models_dir is not None
            return "ltx2", str(self.models_dir / LTX2_DIR)
        if kind in ("image", "inpaint") and self._has(FLUX2_DIR):
            assert self.models_dir is not None
            return "flux2", str(self.models_dir / FLUX2_DIR)
        if (
            kind == "segment"
            and self.models_dir is not None
            and (self.models_dir / SAM3_DIR).is_dir()
        ):
            return "sam3", str(self.models_dir / SAM3_DIR)
        return "animatic", "animatic"

    def available(self) -> dict[str, str | None]:
        """Each backend and where its weights are, or None when they are not installed."""
        found: dict[str, str | None] = {"animatic": "built in"}
        for name in (LTX2_DIR, FLUX2_DIR, SAM3_DIR):
            path = self.models_dir / name if self.models_dir else None
            found[name] = str(path) if path is not None and path.is_dir() else None
        return found
