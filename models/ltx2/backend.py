"""LTX-2 through diffusers: text/image to video, keyframes and IC-LoRA, from one loaded model.

The weights load once (LTX2Pipeline.from_pretrained on a local folder in diffusers layout);
the image-to-video, keyframe and in-context pipelines are made from the same components with
`from_pipe`, so switching pipeline between jobs reads no weights. Each denoising step reports
progress and checks for cancel; the frames are written as H.264 of exactly the requested size,
frame count and fps, with the model's audio as AAC beside them.

With `upscale`, generation takes LTX-2's two stages (diffusers' recipe): the video is denoised at
half the size, the ×2 latent upsampler in <model_dir>/latent_upsampler/ doubles its latents, and a
short refining pass (the stage-2 distilled sigmas, no CFG) denoises them at the full size.
"""

import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from diffusers import (
    FlowMatchEulerDiscreteScheduler,
    LTX2ConditionPipeline,
    LTX2ImageToVideoPipeline,
    LTX2InContextPipeline,
    LTX2LatentUpsamplePipeline,
    LTX2Pipeline,
)
from diffusers.pipelines.ltx2.latent_upsampler import LTX2LatentUpsamplerModel
from diffusers.pipelines.ltx2.pipeline_ltx2_condition import LTX2VideoCondition
from diffusers.pipelines.ltx2.pipeline_ltx2_ic_lora import LTX2ReferenceCondition
from diffusers.pipelines.ltx2.utils import STAGE_2_DISTILLED_SIGMA_VALUES

from application.engine.ports import GenerationCancelled, GenerationOutput, OnStep, ShouldCancel
from models.diffusers_common import (
    StepProgress,
    device_and_dtype,
    load_pipeline,
    model_info,
    pipeline_over,
    quiet_diffusers,
)
from models.ltx2.adapters import AdapterStack, adapter_name
from models.ltx2.layout import (
    IncompleteModel,
    check_model_dir,
    ic_lora_file,
    latent_upsampler_dir,
)
from models.ltx2.media import read_image, read_video, video_to_uint8, write_mp4
from models.weights import weights_hash

PIPELINES = ("ti2vid", "keyframe", "ic_lora")
SIZE_STEP = 32
TEMPORAL_STEP = 8
IC_ADAPTER = "ic_lora"
# diffusers' default block for spatio-temporal guidance (LTX-2.3); skipped on a transformer
# that has fewer blocks (a smaller model), where it would cost a pass and change nothing.
STG_BLOCKS = (28,)
# Two-stage upscaling: stage 1 at half size, latents ×2, then this short refine at full size
# (renoised to the first sigma, as diffusers' LTX-2 two-stage example and ltx-pipelines do).
UPSCALE_FACTOR = 2
REFINE_SIGMAS = tuple(STAGE_2_DISTILLED_SIGMA_VALUES)

PIPELINE_CLASSES: dict[str, type[Any]] = {
    "LTX2Pipeline": LTX2Pipeline,
    "LTX2ImageToVideoPipeline": LTX2ImageToVideoPipeline,
    "LTX2ConditionPipeline": LTX2ConditionPipeline,
    "LTX2InContextPipeline": LTX2InContextPipeline,
}


class InvalidLTX2Request(ValueError):
    """A request LTX-2 cannot run as given (the message says what to change)."""


def check_request(request: dict[str, Any]) -> None:
    width, height = int(request["width"]), int(request["height"])
    frames = int(request["num_frames"])
    for name, value in (("width", width), ("height", height)):
        if value <= 0 or value % SIZE_STEP:
            raise InvalidLTX2Request(
                f"LTX-2 needs {name} a multiple of {SIZE_STEP}: got {value}, "
                f"try {max(SIZE_STEP, round(value / SIZE_STEP) * SIZE_STEP)}"
            )
    if frames < 1 or (frames - 1) % TEMPORAL_STEP:
        below = (frames - 1) // TEMPORAL_STEP * TEMPORAL_STEP + 1
        raise InvalidLTX2Request(
            f"LTX-2 needs num_frames = 8k+1 (9, 17, …, 121): got {frames}, "
            f"try {max(1, below)} or {below + TEMPORAL_STEP}"
        )
    if int(request.get("num_inference_steps", 1)) < 1:
        raise InvalidLTX2Request("LTX-2 needs num_inference_steps of at least 1")
    pipeline = request.get("pipeline", "ti2vid")
    if pipeline not in PIPELINES:
        raise InvalidLTX2Request(f"unknown pipeline {pipeline!r}: one of {', '.join(PIPELINES)}")
    if request.get("upscale"):
        if pipeline == "ic_lora":
            raise InvalidLTX2Request(
                "two-stage upscaling is not available for the ic_lora pipeline: "
                "generate without upscale"
            )
        step = SIZE_STEP * UPSCALE_FACTOR
        for name, value in (("width", width), ("height", height)):
            if value % step:
                raise InvalidLTX2Request(
                    f"two-stage upscaling needs {name} a multiple of {step} (stage 1 runs at "
                    f"half size, a multiple of {SIZE_STEP}): got {value}, "
                    f"try {max(step, round(value / step) * step)}"
                )


def is_continuation(item: dict[str, Any]) -> bool:
    """The previous segment's last frames, which a segment of a long shot starts from."""
    return item.get("role") == "continuation"


def choose_pipeline(pipeline: str, conditioning: list[dict[str, Any]]) -> str:
    """The diffusers class that runs a request's pipeline with its conditioning. A segment's
    continuation frames condition its first frames (LTX2VideoCondition at latent 0), so they
    need the condition pipeline; in an ic_lora run they sit beside the reference video."""
    images = [c for c in conditioning if c.get("type", "image") == "image"]
    videos = [c for c in conditioning if c.get("type") == "video" and not is_continuation(c)]
    if pipeline == "ic_lora":
        if not videos:
            raise InvalidLTX2Request(
                "the ic_lora pipeline needs a video conditioning item (the reference video)"
            )
        return "LTX2InContextPipeline"
    if pipeline == "keyframe":
        return "LTX2ConditionPipeline"
    if not conditioning:
        return "LTX2Pipeline"
    first = images[0] if len(images) == 1 else None
    if (
        len(images) == len(conditioning)
        and first is not None
        and int(first.get("frame_index", 0)) == 0
        and float(first.get("strength", 1.0)) == 1.0
    ):
        return "LTX2ImageToVideoPipeline"
    return "LTX2ConditionPipeline"


def latent_index(frame_index: int, num_frames: int, temporal_ratio: int) -> int:
    """diffusers 0.42 reads LTX2VideoCondition.index as a *latent* frame index: frame 0 is latent 0
    and latent j ≥ 1 covers frames (j-1)·r+1 … j·r, so a keyframe snaps to its latent block."""
    if frame_index <= 0:
        return 0
    last = (num_frames - 1) // temporal_ratio
    return min(last, -(-frame_index // temporal_ratio))


class LTX2Backend:
    name = "ltx2"

    def __init__(self, model_dir: str, device: str | None = None, dtype: Any = None):
        self.model_dir = Path(model_dir)
        check_model_dir(self.model_dir)
        self.device, self.dtype = device_and_dtype(device, dtype)
        self._hash = weights_hash(self.model_dir)
        base = load_pipeline(LTX2Pipeline, self.model_dir, self.dtype, "LTX-2", IncompleteModel)
        base.to(self.device)
        base.set_progress_bar_config(disable=True)
        self._pipes: dict[str, Any] = {"LTX2Pipeline": base}
        self.adapters = AdapterStack(base, keep=(IC_ADAPTER,))
        self._upsampler: Any = None

    @property
    def base(self) -> Any:
        return self._pipes["LTX2Pipeline"]

    def model_info(self) -> dict[str, Any]:
        return {
            **model_info(self.model_dir, self._hash, self.dtype, self.device),
        }

    def pipeline(self, class_name: str) -> Any:
        """The pipeline of that class over the loaded components (made once)."""
        return pipeline_over(self._pipes, PIPELINE_CLASSES[class_name], self.base, self.dtype)

    def refiner(self, class_name: str) -> Any:
        """Stage 2 of an upscale: the same class over the same weights, with the refine scheduler
        (the stage-2 sigmas as they are: no dynamic or terminal shift)."""
        key = f"refine:{class_name}"
        if key not in self._pipes:
            scheduler = FlowMatchEulerDiscreteScheduler.from_config(  # type: ignore[no-untyped-call]
                self.base.scheduler.config, use_dynamic_shifting=False, shift_terminal=None
            )
            with quiet_diffusers():
                pipe = PIPELINE_CLASSES[class_name].from_pipe(
                    self.base, scheduler=scheduler, dtype=self.dtype
                )
            pipe.set_progress_bar_config(disable=True)
            self._pipes[key] = pipe
        return self._pipes[key]

    def upsampler(self) -> Any:
        """The latent upsample pipeline: the loaded VAE and the ×2 upsampler (loaded once)."""
        if self._upsampler is None:
            folder = latent_upsampler_dir(self.model_dir)
            try:
                with quiet_diffusers():
                    model = LTX2LatentUpsamplerModel.from_pretrained(str(folder), dtype=self.dtype)
            except (OSError, ValueError) as error:
                raise IncompleteModel(
                    f"could not load the LTX-2 latent upsampler in {folder}: {error}"
                ) from error
            model.to(self.device).eval()
            pipe: Any = LTX2LatentUpsamplePipeline(  # type: ignore[no-untyped-call]
                vae=self.base.vae, latent_upsampler=model
            )
            pipe.set_progress_bar_config(disable=True)
            self._upsampler = pipe
        return self._upsampler

    def generate(
        self, request: dict[str, Any], output_path: str, on_step: OnStep, cancelled: ShouldCancel
    ) -> GenerationOutput:
        check_request(request)
        upscale = bool(request.get("upscale"))
        width, height = int(request["width"]), int(request["height"])
        num_frames, fps = int(request["num_frames"]), float(request["fps"])
        steps = int(request.get("num_inference_steps", 40))
        conditioning = list(request.get("conditioning") or [])
        class_name = choose_pipeline(str(request.get("pipeline", "ti2vid")), conditioning)
        upsample = self.upsampler() if upscale else None  # a missing upsampler fails here
        if cancelled():
            raise GenerationCancelled(0)
        pipe = self.pipeline(class_name)
        kwargs = self._inputs(pipe, class_name, request, conditioning)
        refine_steps = len(REFINE_SIGMAS) if upscale else 0
        total = steps + refine_steps
        run = StepProgress(total, lambda step, _, info: on_step(step, total, info), cancelled)
        stage1 = (width // UPSCALE_FACTOR, height // UPSCALE_FACTOR) if upscale else (width, height)
        common = {
            "prompt": str(request.get("prompt", "")),
            "negative_prompt": str(request.get("negative_prompt") or ""),
            "num_frames": num_frames,
            "frame_rate": fps,
        }
        generator = torch.Generator(device=self.device).manual_seed(int(request["seed"]))
        files_read = self.adapters.files_read
        started = time.perf_counter()
        self._adapters(class_name, request)
        output = pipe(
            **common,
            width=stage1[0],
            height=stage1[1],
            num_inference_steps=steps,
            guidance_scale=float(request.get("cfg_scale", 3.0)),
            generator=generator,
            output_type="latent" if upscale else "pt",
            callback_on_step_end=run,
            **kwargs,
        )
        if run.stopped_at is not None:
            raise GenerationCancelled(run.stopped_at)
        if upscale:
            output = self._refine(
                upsample, class_name, output, kwargs, common, (width, height), generator,
                steps, total, on_step, cancelled,
            )  # fmt: skip
        if self.device.startswith("cuda"):
            torch.cuda.synchronize()
        inference = time.perf_counter() - started
        frames = video_to_uint8(output.frames[0])
        if frames.shape != (num_frames, height, width, 3):
            raise RuntimeError(
                f"LTX-2 returned frames of shape {frames.shape}, "
                f"expected {(num_frames, height, width, 3)}"
            )
        audio, sample_rate = self._audio(output)
        encode_started = time.perf_counter()
        write_mp4(output_path, frames, fps, audio, sample_rate)
        encode = time.perf_counter() - encode_started
        extra: dict[str, Any] = {"pipeline_class": class_name}
        if self.adapters.loaded:
            # Which adapters ran, and how many LoRA files this job had to read (0: all resident).
            extra.update(
                adapters=self.adapters.active(),
                lora_files_read=self.adapters.files_read - files_read,
            )
        if upscale:
            extra.update(two_stage=True, stage1_size=list(stage1))
        if sample_rate:
            extra["audio_sample_rate"] = sample_rate
        return GenerationOutput(
            output_path, width, height, num_frames, fps, inference, encode, extra,
            poster=frames[num_frames // 2],
        )  # fmt: skip

    def _refine(
        self,
        upsample: Any,
        class_name: str,
        stage1: Any,
        kwargs: dict[str, Any],
        common: dict[str, Any],
        size: tuple[int, int],
        generator: torch.Generator,
        done: int,
        total: int,
        on_step: OnStep,
        cancelled: ShouldCancel,
    ) -> Any:
        """Stage 2: the stage-1 latents upsampled ×2, renoised and denoised at the full size;
        its steps are reported after stage 1's, out of the same total."""
        video_latents, audio_latents = stage1.frames, stage1.audio
        upsampled = upsample(latents=video_latents, output_type="latent", return_dict=False)[0]
        if cancelled():
            raise GenerationCancelled(done)
        run = StepProgress(
            total, lambda step, _, info: on_step(done + step, total, info), cancelled
        )
        output = self.refiner(class_name)(
            **common,
            width=size[0],
            height=size[1],
            latents=upsampled,
            audio_latents=audio_latents,
            num_inference_steps=len(REFINE_SIGMAS),
            sigmas=list(REFINE_SIGMAS),
            noise_scale=REFINE_SIGMAS[0],
            guidance_scale=1.0,
            generator=generator,
            output_type="pt",
            callback_on_step_end=run,
            **kwargs,
        )
        if run.stopped_at is not None:
            raise GenerationCancelled(done + run.stopped_at)
        return output

    def _audio(self, output: Any) -> tuple[np.ndarray | None, int | None]:
        audio = getattr(output, "audio", None)
        vocoder = getattr(self.base, "vocoder", None)
        rate = getattr(getattr(vocoder, "config", None), "output_sampling_rate", None)
        if audio is None or not rate:
            return None, None
        samples = audio[0].float().cpu().numpy() if torch.is_tensor(audio) else audio[0]
        return np.asarray(samples, dtype=np.float32), int(rate)

    def _inputs(
        self,
        pipe: Any,
        class_name: str,
        request: dict[str, Any],
        conditioning: list[dict[str, Any]],
    ) -> dict[str, Any]:
        """The class-specific arguments: conditioning frames and guidance that fits the model."""
        kwargs: dict[str, Any] = {}
        layers = int(getattr(pipe.transformer.config, "num_layers", 0))
        if max(STG_BLOCKS) >= layers:
            kwargs.update(stg_scale=0.0, audio_stg_scale=0.0)
        num_frames = int(request["num_frames"])
        ratio = int(pipe.vae_temporal_compression_ratio)
        if class_name == "LTX2ImageToVideoPipeline":
            kwargs["image"] = read_image(conditioning[0]["asset"])
            return kwargs
        conditions = []
        references = []
        for item in conditioning:
            strength = float(item.get("strength", 1.0))
            if item.get("type") == "video":
                frames = read_video(item["asset"], num_frames)
                if class_name == "LTX2InContextPipeline" and not is_continuation(item):
                    references.append(LTX2ReferenceCondition(frames=frames, strength=strength))
                    continue
                media: Any = frames
            else:
                media = read_image(item["asset"])
            index = latent_index(int(item.get("frame_index", 0)), num_frames, ratio)
            conditions.append(LTX2VideoCondition(frames=media, index=index, strength=strength))
        if class_name in ("LTX2ConditionPipeline", "LTX2InContextPipeline") and conditions:
            kwargs["conditions"] = conditions
        if references:
            kwargs["reference_conditions"] = references
        return kwargs

    def _adapters(self, class_name: str, request: dict[str, Any]) -> None:
        """The request's LoRA stack active (with the IC-LoRA first in an ic_lora run), the
        base weights untouched: see models/ltx2/adapters.py."""
        wanted = [
            (adapter_name(lora), str(lora["path"]), float(lora.get("strength", 1.0)))
            for lora in request.get("loras") or []
        ]
        if class_name == "LTX2InContextPipeline":
            ic_lora = ic_lora_file(self.model_dir, request.get("ic_lora"))
            wanted.insert(0, (IC_ADAPTER, str(ic_lora), 1.0))
        self.adapters.apply(wanted)
