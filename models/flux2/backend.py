"""Flux 2 Klein through diffusers: text to image (with reference images) and inpainting, from one
loaded model.

The weights load once (Flux2KleinPipeline.from_pretrained on a local folder in diffusers layout);
the inpaint pipeline is made from the same components with `from_pipe`, so switching between
image and inpaint jobs reads no weights. Each denoising step reports progress and checks for
cancel; the result is a PNG of exactly the requested size. An inpainted image keeps the source's
pixels wherever the mask is black: the pipeline blends in latent space and decodes the whole
image, which would otherwise pass every kept pixel through the VAE.
"""

import math
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from diffusers import Flux2KleinInpaintPipeline, Flux2KleinPipeline
from PIL import Image

from application.engine.ports import GenerationCancelled, GenerationOutput, OnStep, ShouldCancel
from models.diffusers_common import (
    StepProgress,
    device_and_dtype,
    load_pipeline,
    model_info,
    pipeline_over,
)
from models.flux2.layout import IncompatibleModel, IncompleteModel, check_model_dir
from models.flux2.media import binarise, read_mask, read_rgb, write_png
from models.ltx2.media import to_uint8
from models.weights import weights_hash

KINDS = ("image", "inpaint")
SIZE_STEP = 16  # the VAE's 8× and the pipeline's 2×2 patches
MIN_REFERENCE_SIDE = 64
MAX_REFERENCE_ASPECT = 8
# The inpaint pipeline shrinks a larger source to this area (and returns the smaller image).
MAX_INPAINT_AREA = 1024 * 1024
# The text encoder's hidden states Flux 2 Klein reads (diffusers' default, the model's training).
TEXT_LAYERS = (9, 18, 27)
MAX_SEQUENCE_LENGTH = 512
DEFAULT_STEPS = 25
DEFAULT_GUIDANCE = 2.0

PIPELINE_CLASSES: dict[str, type[Any]] = {
    "Flux2KleinPipeline": Flux2KleinPipeline,
    "Flux2KleinInpaintPipeline": Flux2KleinInpaintPipeline,
}


class InvalidFlux2Request(ValueError):
    """A request Flux 2 cannot run as given (the message says what to change)."""


def request_kind(request: dict[str, Any]) -> str:
    kind = str(request.get("kind") or ("inpaint" if request.get("mask") else "image"))
    if kind == "concept":  # a shot's concept art is a text-to-image still
        kind = "image"
    if kind not in KINDS:
        raise InvalidFlux2Request(
            f"the Flux 2 backend makes {' and '.join(KINDS)} jobs, not {kind!r} jobs"
        )
    return kind


def check_size(name: str, value: int) -> None:
    if value < SIZE_STEP or value % SIZE_STEP:
        raise InvalidFlux2Request(
            f"Flux 2 needs {name} a multiple of {SIZE_STEP}: got {value}, "
            f"try {max(SIZE_STEP, round(value / SIZE_STEP) * SIZE_STEP)}"
        )


def denoising_steps(steps: int, strength: float) -> int:
    """How many steps the inpaint pipeline runs for `strength` (as diffusers counts them: at
    least one for any strength above 0)."""
    start = int(max(steps - min(steps * strength, steps), 0))
    return steps - start


def check_request(request: dict[str, Any]) -> str:
    """The request's kind, once its sizes and settings fit Flux 2 (no file is read here)."""
    kind = request_kind(request)
    if kind == "image":
        for name in ("width", "height"):
            if request.get(name) is None:
                raise InvalidFlux2Request(f"a Flux 2 image needs a {name}")
            check_size(name, int(request[name]))
    else:
        for name in ("image", "mask"):
            if not request.get(name):
                raise InvalidFlux2Request(
                    f"a Flux 2 inpaint needs an image and a mask (file paths): no {name}"
                )
        for name in ("width", "height"):
            if request.get(name) is not None:
                check_size(name, int(request[name]))
    steps = int(request.get("num_inference_steps", DEFAULT_STEPS))
    if steps < 1:
        raise InvalidFlux2Request("Flux 2 needs num_inference_steps of at least 1")
    if float(request.get("guidance_scale", DEFAULT_GUIDANCE)) < 0:
        raise InvalidFlux2Request("Flux 2 needs a guidance_scale of 0 or more")
    if kind == "inpaint":
        strength = float(request.get("strength", 1.0))
        if not 0.0 < strength <= 1.0:
            raise InvalidFlux2Request(f"inpaint strength must be in (0, 1]: got {strength}")
    references = request.get("reference_images") or []
    if not isinstance(references, list) or not all(isinstance(p, str) for p in references):
        raise InvalidFlux2Request("reference_images must be a list of file paths")
    return kind


def inpaint_size(request: dict[str, Any], source: tuple[int, int]) -> tuple[int, int]:
    """The size to inpaint at: the request's, else the source's rounded down to 16 (and, for a
    source over a megapixel, scaled down to one first, as the pipeline would)."""
    width, height = request.get("width"), request.get("height")
    if width is not None and height is not None:
        size = int(width), int(height)
        if size[0] * size[1] > MAX_INPAINT_AREA:
            scale = math.sqrt(MAX_INPAINT_AREA / (size[0] * size[1]))
            raise InvalidFlux2Request(
                f"Flux 2 inpaints at most {MAX_INPAINT_AREA} pixels: {size[0]}×{size[1]} is "
                f"more, try {_floor16(size[0] * scale)}×{_floor16(size[1] * scale)}"
            )
        return size
    w, h = source
    if w * h > MAX_INPAINT_AREA:
        scale = math.sqrt(MAX_INPAINT_AREA / (w * h))
        w, h = int(w * scale), int(h * scale)
    default = (_floor16(w), _floor16(h))
    size = (
        int(width) if width is not None else default[0],
        int(height) if height is not None else default[1],
    )
    if size[0] * size[1] > MAX_INPAINT_AREA:
        raise InvalidFlux2Request(
            f"Flux 2 inpaints at most {MAX_INPAINT_AREA} pixels: {size[0]}×{size[1]} is more"
        )
    return size


def _floor16(value: float) -> int:
    return max(SIZE_STEP, int(value) // SIZE_STEP * SIZE_STEP)


def read_reference(path: str) -> Image.Image:
    image = read_rgb(path, "reference image")
    width, height = image.size
    if min(width, height) < MIN_REFERENCE_SIDE:
        raise InvalidFlux2Request(
            f"reference image {path} is {width}×{height}: Flux 2 needs at least "
            f"{MIN_REFERENCE_SIDE} px a side"
        )
    if max(width, height) > MAX_REFERENCE_ASPECT * min(width, height):
        raise InvalidFlux2Request(
            f"reference image {path} is {width}×{height}: Flux 2 takes aspect ratios up to "
            f"{MAX_REFERENCE_ASPECT}:1"
        )
    return image


def check_components(pipe: Any, model_dir: Path) -> None:
    """The text encoder must be deep enough for the layers Klein reads, and as wide as the
    transformer expects (joint_attention_dim = hidden size × the number of layers read)."""
    text = pipe.text_encoder.config
    layers = int(getattr(text, "num_hidden_layers", 0))
    if layers < max(TEXT_LAYERS):
        raise IncompatibleModel(
            f"the text encoder in {model_dir / 'text_encoder'} has {layers} layers: Flux 2 Klein "
            f"reads the hidden states of layers {', '.join(map(str, TEXT_LAYERS))}"
        )
    expected = int(text.hidden_size) * len(TEXT_LAYERS)
    joint = int(pipe.transformer.config.joint_attention_dim)
    if joint != expected:
        raise IncompatibleModel(
            f"the transformer in {model_dir / 'transformer'} takes text of width {joint}, but "
            f"the text encoder gives {expected} ({len(TEXT_LAYERS)} layers × {text.hidden_size}):"
            " the two come from different models"
        )


class Flux2Backend:
    name = "flux2"

    def __init__(self, model_dir: str, device: str | None = None, dtype: Any = None):
        self.model_dir = Path(model_dir)
        check_model_dir(self.model_dir)
        self.device, self.dtype = device_and_dtype(device, dtype)
        self._hash = weights_hash(self.model_dir)
        base = load_pipeline(
            Flux2KleinPipeline, self.model_dir, self.dtype, "Flux 2", IncompleteModel
        )
        check_components(base, self.model_dir)
        base.to(self.device)
        base.set_progress_bar_config(disable=True)
        self._pipes: dict[str, Any] = {"Flux2KleinPipeline": base}

    @property
    def base(self) -> Any:
        return self._pipes["Flux2KleinPipeline"]

    def model_info(self) -> dict[str, Any]:
        return {
            **model_info(self.model_dir, self._hash, self.dtype, self.device),
            "distilled": self.distilled,
        }

    @property
    def distilled(self) -> bool:
        """A step-distilled Klein (4 steps, no guidance) rather than a base one."""
        return bool(getattr(self.base.config, "is_distilled", False))

    def pipeline(self, class_name: str) -> Any:
        """The pipeline of that class over the loaded components (made once)."""
        return pipeline_over(self._pipes, PIPELINE_CLASSES[class_name], self.base, self.dtype)

    def generate(
        self, request: dict[str, Any], output_path: str, on_step: OnStep, cancelled: ShouldCancel
    ) -> GenerationOutput:
        kind = check_request(request)
        steps = int(request.get("num_inference_steps", DEFAULT_STEPS))
        guidance = float(request.get("guidance_scale", DEFAULT_GUIDANCE))
        references = [read_reference(p) for p in request.get("reference_images") or []]
        extra: dict[str, Any] = {"reference_images": len(references)}
        if self.distilled:
            # A step-distilled Klein runs without guidance; above 1 diffusers would warn on
            # every call that it ignores the scale.
            guidance = min(guidance, 1.0)
            extra["guidance"] = "none (step-distilled model)"
        kwargs: dict[str, Any] = {}
        kept: np.ndarray | None = None
        repaint: np.ndarray | None = None
        if kind == "image":
            class_name = "Flux2KleinPipeline"
            width, height = int(request["width"]), int(request["height"])
            if references:
                kwargs["image"] = references
        else:
            class_name = "Flux2KleinInpaintPipeline"
            source = read_rgb(str(request["image"]), "inpaint image")
            mask = read_mask(str(request["mask"]))
            if mask.size != source.size:
                raise InvalidFlux2Request(
                    f"the inpaint mask is {mask.size[0]}×{mask.size[1]} but the image is "
                    f"{source.size[0]}×{source.size[1]}: they must be the same size"
                )
            width, height = inpaint_size(request, source.size)
            if source.size != (width, height):
                source = source.resize((width, height), Image.Resampling.LANCZOS)
            mask = binarise(mask, (width, height))
            kept = np.asarray(source, dtype=np.uint8)
            repaint = np.asarray(mask, dtype=np.uint8)[..., None] > 0
            strength = float(request.get("strength", 1.0))
            kwargs.update(image=source, mask_image=mask, strength=strength)
            if references:
                kwargs["image_reference"] = references
            steps_run = denoising_steps(steps, strength)
            extra.update(strength=strength, denoising_steps=steps_run)
        extra["pipeline_class"] = class_name
        if cancelled():
            raise GenerationCancelled(0)
        pipe = self.pipeline(class_name)
        started = time.perf_counter()
        kwargs.update(self._negative(pipe, request, guidance))
        run = StepProgress(steps, on_step, cancelled)
        output = pipe(
            prompt=str(request.get("prompt", "")),
            width=width,
            height=height,
            num_inference_steps=steps,
            guidance_scale=guidance,
            generator=torch.Generator(device=self.device).manual_seed(int(request["seed"])),
            output_type="np",
            callback_on_step_end=run,
            max_sequence_length=MAX_SEQUENCE_LENGTH,
            text_encoder_out_layers=TEXT_LAYERS,
            **kwargs,
        )
        if self.device.startswith("cuda"):
            torch.cuda.synchronize()
        inference = time.perf_counter() - started
        if run.stopped_at is not None:
            raise GenerationCancelled(run.stopped_at)
        pixels = to_uint8(np.asarray(output.images[0]))
        if pixels.shape != (height, width, 3):
            raise RuntimeError(
                f"Flux 2 returned an image of shape {pixels.shape}, expected {(height, width, 3)}"
            )
        if kept is not None and repaint is not None:
            pixels = np.where(repaint, pixels, kept)
        encode_started = time.perf_counter()
        write_png(output_path, pixels)
        encode = time.perf_counter() - encode_started
        return GenerationOutput(output_path, width, height, 1, 1.0, inference, encode, extra)

    def _negative(self, pipe: Any, request: dict[str, Any], guidance: float) -> dict[str, Any]:
        """Klein's pipelines guide away from an empty prompt; a request's negative prompt is
        encoded here and passed as embeddings (only where guidance runs at all)."""
        negative = str(request.get("negative_prompt") or "")
        if not negative or guidance <= 1.0 or self.distilled:
            return {}
        with torch.no_grad():
            embeds, _ = pipe.encode_prompt(
                prompt=negative,
                device=pipe._execution_device,
                max_sequence_length=MAX_SEQUENCE_LENGTH,
                text_encoder_out_layers=TEXT_LAYERS,
            )
        return {"negative_prompt_embeds": embeds}
