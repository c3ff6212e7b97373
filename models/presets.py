"""StoryCanvas's inference configurations: one quality and one speed preset for each model.

The seed gives the shape (steps, cfg, a description per model and preset type) but no numbers;
these are each model's published recipes:
- LTX-2, quality: seed 000's video defaults (40 steps, upscale on: LTX-2's two stages, half size
  then the ×2 latent upsampler and a short refine) with Milimo's cfg 3.0. Speed: the distilled
  recipe (8 steps, cfg 1.0: no guidance pass, so each step costs half), one stage. Made for the
  distilled checkpoint; on the full one it is a quick rough draft.
- Flux 2 Klein, quality: seed 000's image defaults (25 steps, guidance 2.0). Speed: the
  distilled Klein's 4 steps, guidance 1.0.
- The animatic stands in for LTX-2 (and Flux 2): it carries LTX-2's presets so a storyboard
  records the numbers the model will run, though it ignores them.
SAM 3, the prompt enhancer and the renderer have no sampling steps, hence no presets.
"""

from typing import Any

PRESET_NAMES = ("quality", "speed")

_LTX2 = {
    "quality": {
        "num_inference_steps": 40,
        "cfg_scale": 3.0,
        "two_stage": True,
        "description": "full schedule, then the ×2 latent upsampler and a refine pass",
    },
    "speed": {
        "num_inference_steps": 8,
        "cfg_scale": 1.0,
        "two_stage": False,
        "description": "the distilled schedule, no guidance pass, one stage",
    },
}
_FLUX2 = {
    "quality": {
        "num_inference_steps": 25,
        "cfg_scale": 2.0,
        "two_stage": False,
        "description": "Flux 2 Klein's full schedule",
    },
    "speed": {
        "num_inference_steps": 4,
        "cfg_scale": 1.0,
        "two_stage": False,
        "description": "the distilled Klein's four steps",
    },
}
PRESETS: dict[str, dict[str, dict[str, Any]]] = {"ltx2": _LTX2, "flux2": _FLUX2, "animatic": _LTX2}


def preset(backend: str, name: str) -> dict[str, Any] | None:
    """The preset's settings for `backend`, or None when that backend has no such preset."""
    found = PRESETS.get(backend, {}).get(name)
    return dict(found) if found is not None else None


def presets_of(backend: str) -> dict[str, dict[str, Any]]:
    return {name: dict(values) for name, values in PRESETS.get(backend, {}).items()}
