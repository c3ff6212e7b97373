"""Stills made from a prompt: the image job (Flux 2 Klein, or the animatic card without weights),
with reference images for Flux 2's multi-reference editing.

`image_request` is the one place an image request is built and checked, so any use case that
wants a still (the gallery's `milimo image`, an element's look) asks for the same thing; every
check runs before anything is recorded.
"""

from collections.abc import Sequence
from typing import Any

from application.engine.engine import Engine
from domain.errors import InvalidSize, InvalidValue
from domain.project.asset import Asset
from domain.project.rules import MAX_CFG, MAX_STEPS, MIN_STEPS, check_range, check_seed
from domain.project.state import ProjectState

# The seed's GenerateImageRequest defaults.
IMAGE_WIDTH, IMAGE_HEIGHT, IMAGE_STEPS, IMAGE_GUIDANCE = 1024, 1024, 25, 2.0
# Flux 2: the VAE's 8× and the transformer's 2×2 patches make sizes multiples of 16; it is
# trained up to 4 megapixels.
SIZE_STEP, MIN_SIDE, MAX_SIDE = 16, 256, 2048
# What Flux 2 takes as a reference: at least 64 px a side, aspect up to 8:1, at most 10 of them.
MIN_REFERENCE_SIDE, MAX_REFERENCE_ASPECT, MAX_REFERENCES = 64, 8, 10


def check_image_size(name: str, value: int) -> None:
    if not MIN_SIDE <= value <= MAX_SIDE or value % SIZE_STEP:
        nearest = min(MAX_SIDE, max(MIN_SIDE, round(value / SIZE_STEP) * SIZE_STEP))
        raise InvalidSize(
            f"an image's {name} must be a multiple of {SIZE_STEP} between {MIN_SIDE} and "
            f"{MAX_SIDE}: got {value}, try {nearest}"
        )


def check_reference(asset: Asset) -> None:
    what = f"reference {asset.id[:8]} ({asset.name!r})"
    if not asset.is_still or not asset.width or not asset.height:
        raise InvalidValue(f"{what} is {asset.kind}: a reference must be a still image")
    short, long = sorted((asset.width, asset.height))
    if short < MIN_REFERENCE_SIDE or long > MAX_REFERENCE_ASPECT * short:
        raise InvalidValue(
            f"{what} is {asset.width}×{asset.height}: a reference needs at least "
            f"{MIN_REFERENCE_SIDE} px a side and an aspect ratio up to {MAX_REFERENCE_ASPECT}:1"
        )


def image_request(
    state: ProjectState,
    prompt: str,
    references: Sequence[Asset] = (),
    width: int | None = None,
    height: int | None = None,
    seed: int | None = None,
    steps: int | None = None,
    guidance: float | None = None,
    negative_prompt: str = "",
) -> dict[str, Any]:
    """The checked request of an image job (the engine adds kind, backend and model). Defaults:
    1024×1024, 25 steps, guidance 2.0, the project's seed."""
    text = " ".join(prompt.split())
    if not text:
        raise InvalidValue("the prompt is empty: describe the image to make")
    width = IMAGE_WIDTH if width is None else width
    height = IMAGE_HEIGHT if height is None else height
    check_image_size("width", width)
    check_image_size("height", height)
    steps = IMAGE_STEPS if steps is None else steps
    check_range("num_inference_steps", steps, MIN_STEPS, MAX_STEPS)
    guidance = IMAGE_GUIDANCE if guidance is None else guidance
    check_range("guidance_scale", guidance, 0.0, MAX_CFG)
    seed = state.settings.seed if seed is None else seed
    check_seed(seed)
    if len(references) > MAX_REFERENCES:
        raise InvalidValue(
            f"Flux 2 takes at most {MAX_REFERENCES} reference images: got {len(references)}"
        )
    for asset in references:
        check_reference(asset)
    return {
        "prompt": text,
        "negative_prompt": negative_prompt.strip(),
        "seed": seed,
        "width": width,
        "height": height,
        "num_frames": 1,
        "num_inference_steps": steps,
        "guidance_scale": guidance,
        "cfg_scale": guidance,  # the name every audited request uses for guidance (CONTRACT.md)
        "pipeline": "reference_edit" if references else "text_to_image",
        "reference_images": [a.path for a in references],
        "reference_assets": [a.id for a in references],
    }


def request_image(
    engine: Engine,
    project_id: str,
    prompt: str,
    refs: Sequence[str] = (),
    width: int | None = None,
    height: int | None = None,
    seed: int | None = None,
    steps: int | None = None,
) -> str:
    """Record and dispatch an image job whose result joins the project's assets; `refs` name
    image assets of the project (id, prefix or name). Returns the job id."""
    project = engine.studio.project(project_id)
    references = [project.asset(ref) for ref in refs]
    request = image_request(
        project.state, prompt, references, width=width, height=height, seed=seed, steps=steps
    )
    return engine.request(project.id.hex, "image", request)
