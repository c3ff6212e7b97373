"""SAM 3 through transformers: a mask from points, boxes or a text phrase, in one forward pass.

Points and boxes run through Sam3TrackerModel (tracker/), text through Sam3Model (text/); each
loads the first time a request needs it and stays resident. The transformers processors need
torchvision, which breaks every transformers import on the CPU machines, so the pre- and
post-processing is done here as the official processor does it: the image stretched to the
model's S×S (1008 for the real model), scaled to [0, 1] and normalised with mean = std = 0.5;
prompt coordinates scaled by S/size; mask logits upsampled back to the image and thresholded.
The result is a single-channel PNG (0 or 255) of exactly the image's size.
"""

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
import transformers
from PIL import Image

from application.engine.ports import GenerationCancelled, GenerationOutput, OnStep, ShouldCancel
from models.sam3.layout import (
    TEXT_DIR,
    TRACKER_DIR,
    IncompleteModel,
    check_model_dir,
    part_dir,
    weights_hash,
)
from models.sam3.prompts import InvalidSegmentRequest, SegmentPrompt, check_inside, parse_request

IMAGE_MEAN = IMAGE_STD = 0.5  # SAM 3's processor normalisation, the same for every channel
TEXT_LENGTH = 32  # tokens a text prompt is padded to, as Sam3Processor does


@contextlib.contextmanager
def _quiet_transformers() -> Iterator[None]:
    """No loading bars or per-weight warnings in a worker's log while weights load."""
    from transformers.utils import logging as transformers_logging

    level = transformers_logging.get_verbosity()
    transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        transformers_logging.set_verbosity(level)
        transformers_logging.enable_progress_bar()  # type: ignore[no-untyped-call]


def read_image(path: Path) -> Image.Image:
    try:
        with Image.open(path) as image:
            return image.convert("RGB")
    except OSError as error:
        raise InvalidSegmentRequest(f"cannot read the image to segment, {path}: {error}") from error


def pixel_values(image: Image.Image, size: int) -> torch.Tensor:
    """(1, 3, size, size) floats: stretched to size×size, scaled to [0, 1], normalised."""
    resized = image.resize((size, size), Image.Resampling.BILINEAR)
    array = np.asarray(resized, dtype=np.float32) / 255.0
    array = (array - IMAGE_MEAN) / IMAGE_STD
    return torch.from_numpy(array).permute(2, 0, 1).unsqueeze(0).contiguous()


def to_model_coords(
    coords: tuple[tuple[float, ...], ...], width: int, height: int, size: int
) -> torch.Tensor:
    """Pixel (x, y, x, y, …) of the image → the same in the model's size×size input."""
    scale = torch.tensor([size / width, size / height], dtype=torch.float32)
    values = torch.tensor(coords, dtype=torch.float32).reshape(len(coords), -1, 2) * scale
    return values.reshape(len(coords), -1)


def mask_from_logits(logits: torch.Tensor, width: int, height: int, threshold: float) -> np.ndarray:
    """(N, h, w) mask logits → a (height, width) uint8 mask, 255 where any of the N is above
    the threshold after bilinear upsampling to the image, else 0. One at a time: a phrase may
    find dozens of instances, and a large image's worth of floats for each adds up."""
    inside = torch.zeros((height, width), dtype=torch.bool, device=logits.device)
    for one in logits:
        upsampled = F.interpolate(
            one.float()[None, None], size=(height, width), mode="bilinear", align_corners=False
        )[0, 0]
        inside |= upsampled.sigmoid() > threshold
    return inside.to(torch.uint8).mul(255).cpu().numpy()


def write_png(path: str, mask: np.ndarray) -> None:
    """The (H, W) uint8 mask as an 8-bit grayscale ("L") PNG, moved into place so that no
    half-written file is left behind."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial.png")
    Image.fromarray(mask).save(partial, format="PNG")
    partial.replace(target)


class Sam3Backend:
    name = "sam3"

    def __init__(self, model_dir: str, device: str | None = None, dtype: Any = None):
        self.model_dir = Path(model_dir)
        self.parts = check_model_dir(self.model_dir)
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        # float32 everywhere by default: the model is small (≈848M parameters, 3.4 GB) and a
        # mask's edge is a threshold on its logits, which half precision would move.
        self.dtype: torch.dtype = dtype or torch.float32
        self._hash = weights_hash(self.model_dir)
        self._models: dict[str, Any] = {}
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def model_info(self) -> dict[str, Any]:
        return {
            "id": self.model_dir.name,
            "version": f"transformers-{transformers.__version__}",
            "weights_hash": self._hash,
            "dtype": str(self.dtype).removeprefix("torch."),
            "device": self.device,
            "parts": list(self.parts),
        }

    def model(self, part: str, prompt: str) -> Any:
        """The sub-model for a prompt kind, loaded on first use and kept resident."""
        with self._lock:
            if part not in self._models:
                self._models[part] = self._load(part, part_dir(self.model_dir, part, prompt))
            return self._models[part]

    def _load(self, part: str, folder: Path) -> Any:
        from transformers import AutoTokenizer, Sam3Model, Sam3TrackerModel

        model_class: Any = Sam3TrackerModel if part == TRACKER_DIR else Sam3Model
        try:
            with _quiet_transformers():
                model = model_class.from_pretrained(str(folder), dtype=self.dtype)
                if part == TEXT_DIR:
                    self._tokenizer = AutoTokenizer.from_pretrained(str(folder))
        except (OSError, ValueError, TypeError) as error:
            raise IncompleteModel(
                f"could not load the SAM 3 {part} model in {folder}/: {error}"
            ) from error
        return model.to(self.device).eval()

    def generate(
        self, request: dict[str, Any], output_path: str, on_step: OnStep, cancelled: ShouldCancel
    ) -> GenerationOutput:
        prompt = parse_request(request)
        image = read_image(prompt.image)
        width, height = image.size
        check_inside(prompt, width, height)
        if prompt.kind == "text":
            model = self.model(TEXT_DIR, "text")
        else:
            model = self.model(TRACKER_DIR, "point and box")
        if cancelled():
            raise GenerationCancelled(0)
        started = time.perf_counter()
        with torch.inference_mode():
            if prompt.kind == "text":
                logits, score, extra = self._text(model, prompt, image)
            else:
                logits, score, extra = self._tracker(model, prompt, image)
            mask = mask_from_logits(logits, width, height, prompt.threshold)
        if self.device.startswith("cuda"):
            torch.cuda.synchronize()
        inference = time.perf_counter() - started
        on_step(1, 1, None)
        encode_started = time.perf_counter()
        write_png(output_path, mask)
        encode = time.perf_counter() - encode_started
        area = float(np.count_nonzero(mask)) / mask.size
        extra = {"score": round(score, 6), "area": round(area, 6), "prompt": prompt.kind, **extra}
        return GenerationOutput(output_path, width, height, 1, 1.0, inference, encode, extra)

    def _inputs(self, model: Any, image: Image.Image) -> torch.Tensor:
        size = int(model.config.vision_config.backbone_config.image_size)
        return pixel_values(image, size).to(self.device, self.dtype)

    def _tracker(
        self, model: Any, prompt: SegmentPrompt, image: Image.Image
    ) -> tuple[torch.Tensor, float, dict[str, Any]]:
        """One object from points (the best of three candidate masks for a single point, as
        SAM does for an ambiguous click) or one mask per box, joined."""
        width, height = image.size
        size = int(model.config.prompt_encoder_config.image_size)
        kwargs: dict[str, Any] = {"pixel_values": self._inputs(model, image)}
        if prompt.kind == "points":
            points = to_model_coords(prompt.points, width, height, size)
            kwargs["input_points"] = points.reshape(1, 1, -1, 2).to(self.device, self.dtype)
            kwargs["input_labels"] = torch.tensor([[list(prompt.labels)]], device=self.device)
            kwargs["multimask_output"] = len(prompt.points) == 1
        else:
            boxes = to_model_coords(prompt.boxes, width, height, size)
            kwargs["input_boxes"] = boxes.unsqueeze(0).to(self.device, self.dtype)
            kwargs["multimask_output"] = False
        output = model(**kwargs)
        scores = output.iou_scores[0].float()  # (objects, candidates)
        best = scores.argmax(dim=-1)  # each object's best candidate
        objects = torch.arange(scores.shape[0], device=scores.device)
        logits = output.pred_masks[0][objects, best]  # (objects, h, w)
        return logits, float(scores[objects, best].max()), {}

    def _text(
        self, model: Any, prompt: SegmentPrompt, image: Image.Image
    ) -> tuple[torch.Tensor, float, dict[str, Any]]:
        """Every instance of the phrase scoring above score_threshold, joined into one mask."""
        length = int(getattr(model.config.text_config, "max_position_embeddings", TEXT_LENGTH))
        tokens = self._tokenizer(
            [prompt.text],
            padding="max_length",
            max_length=min(length, TEXT_LENGTH),
            truncation=True,
            return_tensors="pt",
        )
        output = model(
            pixel_values=self._inputs(model, image),
            input_ids=tokens["input_ids"].to(self.device),
            attention_mask=tokens["attention_mask"].to(self.device),
        )
        scores = output.pred_logits[0].float().sigmoid()  # (queries,)
        if output.presence_logits is not None:
            scores = scores * output.presence_logits[0].float().sigmoid()
        keep = scores > prompt.score_threshold
        logits = output.pred_masks[0][keep]
        best = float(scores.max()) if scores.numel() else 0.0
        return logits, best, {"instances": int(keep.sum())}
