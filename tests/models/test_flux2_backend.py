"""The Flux 2 Klein backend through Milimo's own path, on a tiny random model built offline.

The resident loader loads it once and the job runner runs real image and inpaint jobs on the
in-memory store: progress per denoising step, cancel between steps, a PNG of exactly the
requested size, the same pixels (and bytes) for the same request, and an inpaint that keeps
every pixel the mask does not cover.
"""

import json
from pathlib import Path
from typing import Any
from uuid import UUID

import numpy as np
import pytest

pytest.importorskip("diffusers")

import torch
from PIL import Image

from application.engine.runner import JobRunner
from application.studio import Studio
from domain.job.aggregate import Job
from infrastructure.media_store import LocalMediaStore
from models.flux2.backend import (
    Flux2Backend,
    InvalidFlux2Request,
    check_request,
    denoising_steps,
    inpaint_size,
)
from models.flux2.layout import IncompatibleModel
from models.loader import ResidentModels
from tests.models.tiny_ltx2 import copy_of_model

WIDTH, HEIGHT, STEPS = 128, 96, 2


class CancelAtStep:
    """A live feed that asks to cancel the job when it hears of the given step."""

    def __init__(self, studio: Studio, step: int):
        self.studio, self.step = studio, step
        self.steps: list[int] = []

    def publish(self, job_id: str, message: dict[str, Any]) -> None:
        self.steps.append(message["step"])
        if message["step"] == self.step:
            self.studio.edit_job(job_id, lambda j: j.cancel(self.studio.actor))


class Rig:
    """Studio and runner as a worker has them, with the real loader and media store."""

    def __init__(self, tmp_path: Path, models_dir: Path, loader: ResidentModels | None = None):
        self.studio = Studio(env={}, actor="ana@gpu-box")
        self.media = LocalMediaStore(tmp_path / "media")
        self.loader = loader or ResidentModels()
        self.runner = JobRunner(self.studio, self.loader, self.media, backoff=lambda _: 0.0)
        self.model = str(models_dir / "flux2")
        self.pid = self.studio.create_project("Lighthouse")

    def request(self, kind: str, **fields: Any) -> str:
        request: dict[str, Any] = {
            "kind": kind,
            "prompt": "a lighthouse at dusk",
            "seed": 7,
            "num_inference_steps": STEPS,
            "guidance_scale": 2.0,
            "backend": "flux2",
            "model": self.model,
        }
        if kind == "image":
            request.update(negative_prompt="", width=WIDTH, height=HEIGHT, reference_images=[])
        request.update(fields)
        job = Job.request_generation(self.studio.actor, self.pid, None, kind, request)
        self.studio.save(job)
        self.studio.edit_job(job.id.hex, lambda j: j.queue(self.studio.actor, "image"))
        return job.id.hex

    def run(self, job_id: str) -> str:
        return self.runner.run(job_id)

    def output(self, job_id: str) -> dict[str, Any]:
        output = self.studio.job(job_id).output
        assert output is not None, self.studio.job(job_id).error
        return output

    def pixels(self, job_id: str) -> np.ndarray:
        with Image.open(self.output(job_id)["path"]) as image:
            assert image.format == "PNG"
            return np.asarray(image.convert("RGB"))

    def events(self, job_id: str) -> list[Any]:
        return list(self.studio.events.get(UUID(job_id)))

    def names(self, job_id: str) -> list[str]:
        return [type(e).__name__ for e in self.events(job_id)]


def picture(path: Path, size: tuple[int, int], seed: int) -> str:
    """A noisy picture (a flat colour would hide what the model does with it)."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path)
    return str(path)


# Pure decisions, no model


def test_the_request_must_fit_flux2_and_says_what_would() -> None:
    image = {"kind": "image", "width": 128, "height": 96, "num_inference_steps": 2}
    assert check_request(image) == "image"
    with pytest.raises(InvalidFlux2Request, match="width a multiple of 16: got 100, try 96"):
        check_request({**image, "width": 100})
    with pytest.raises(InvalidFlux2Request, match="not 'video' jobs"):
        check_request({**image, "kind": "video"})
    with pytest.raises(InvalidFlux2Request, match="list of file paths"):
        check_request({**image, "reference_images": "a.png"})
    inpaint = {"kind": "inpaint", "image": "a.png", "mask": "m.png", "num_inference_steps": 4}
    assert check_request(inpaint) == "inpaint"
    with pytest.raises(InvalidFlux2Request, match=r"an image and a mask .*: no mask"):
        check_request({**inpaint, "mask": None})
    with pytest.raises(InvalidFlux2Request, match=r"strength must be in \(0, 1\]"):
        check_request({**inpaint, "strength": 0.0})
    assert [denoising_steps(4, s) for s in (1.0, 0.5, 0.3, 0.01)] == [4, 2, 2, 1]


def test_an_inpaint_defaults_to_the_image_size_rounded_down_to_16() -> None:
    assert inpaint_size({}, (1000, 563)) == (992, 560)
    assert inpaint_size({"width": 512, "height": 256}, (1000, 563)) == (512, 256)
    # Over a megapixel the pipeline would shrink it: the default is that smaller size.
    width, height = inpaint_size({}, (1920, 1080))
    assert width * height <= 1024 * 1024 and (width, height) == (1360, 768)
    with pytest.raises(InvalidFlux2Request, match="at most 1048576 pixels"):
        inpaint_size({"width": 1920, "height": 1088}, (1920, 1080))


# Through Milimo's loader and runner


def test_an_image_job_makes_a_png_of_the_requested_size_with_progress_per_step(
    tmp_path: Path, flux2_models_dir: Path, loader: ResidentModels
) -> None:
    rig = Rig(tmp_path, flux2_models_dir, loader)
    job_id = rig.request("image")
    assert rig.run(job_id) == "completed", rig.studio.job(job_id).error
    names = rig.names(job_id)
    assert names[1:3] == ["JobQueued", "JobStarted"] and names[-1] == "JobCompleted"
    (started,) = [e for e in rig.events(job_id) if type(e).__name__ == "JobStarted"]
    assert started.backend == "flux2" and started.model["id"] == "flux2"
    assert started.model["weights_hash"].startswith("sha256:")
    assert started.model["dtype"] == "float32" and started.model["distilled"] is False
    progress = [
        (e.step, e.total) for e in rig.events(job_id) if type(e).__name__ == "FrameProgress"
    ]
    assert progress == [(1, STEPS), (2, STEPS)]
    output = rig.output(job_id)
    assert (output["width"], output["height"], output["frames"]) == (WIDTH, HEIGHT, 1)
    assert output["path"].endswith(".png") and output["sha256"]
    assert output["pipeline_class"] == "Flux2KleinPipeline"
    pixels = rig.pixels(job_id)
    assert pixels.shape == (HEIGHT, WIDTH, 3) and pixels.std() > 0
    with Image.open(output["path"]) as image:
        assert not image.info.get("dpi") and not image.text, "no metadata in the PNG"


def test_the_same_request_gives_the_same_pixels_and_its_inputs_change_them(
    tmp_path: Path, flux2_models_dir: Path, loader: ResidentModels
) -> None:
    rig = Rig(tmp_path, flux2_models_dir, loader)
    red = picture(tmp_path / "red.png", (64, 80), seed=1)
    blue = picture(tmp_path / "blue.png", (96, 64), seed=2)
    jobs = {
        "first": rig.request("image"),
        "again": rig.request("image"),
        "seed": rig.request("image", seed=8),
        "references": rig.request("image", reference_images=[red, blue]),
        "negative": rig.request("image", negative_prompt="fog, blur"),
    }
    for job_id in jobs.values():
        assert rig.run(job_id) == "completed", rig.studio.job(job_id).error
    pixels = {name: rig.pixels(job_id) for name, job_id in jobs.items()}
    assert np.array_equal(pixels["first"], pixels["again"])
    assert rig.output(jobs["first"])["sha256"] == rig.output(jobs["again"])["sha256"], (
        "and the same bytes"
    )
    for name in ("seed", "references", "negative"):
        assert pixels[name].shape == (HEIGHT, WIDTH, 3)
        assert not np.array_equal(pixels["first"], pixels[name]), f"{name} changes the image"
    assert rig.output(jobs["references"])["reference_images"] == 2


def test_an_inpaint_repaints_the_mask_and_keeps_every_other_pixel(
    tmp_path: Path, flux2_models_dir: Path, loader: ResidentModels
) -> None:
    rig = Rig(tmp_path, flux2_models_dir, loader)
    source = picture(tmp_path / "source.png", (WIDTH, HEIGHT), seed=3)
    mask = Image.new("L", (WIDTH, HEIGHT), 0)
    mask.paste(255, (32, 16, 96, 80))  # white = repaint
    mask.save(tmp_path / "mask.png")
    job_id = rig.request("inpaint", image=source, mask=str(tmp_path / "mask.png"), strength=1.0)
    assert rig.run(job_id) == "completed", rig.studio.job(job_id).error
    output = rig.output(job_id)
    assert (output["width"], output["height"]) == (WIDTH, HEIGHT), "the image's own size"
    assert output["path"].endswith(".png")
    assert output["pipeline_class"] == "Flux2KleinInpaintPipeline"
    progress = [e.step for e in rig.events(job_id) if type(e).__name__ == "FrameProgress"]
    assert progress == [1, STEPS]
    result = rig.pixels(job_id)
    original = np.asarray(Image.open(source).convert("RGB"))
    repaint = np.asarray(mask) > 0
    assert np.array_equal(result[~repaint], original[~repaint]), "kept pixels are untouched"
    assert not np.array_equal(result[repaint], original[repaint]), "the masked area is new"


def test_cancel_between_steps_stops_the_job_without_an_image(
    tmp_path: Path, flux2_models_dir: Path, loader: ResidentModels
) -> None:
    rig = Rig(tmp_path, flux2_models_dir, loader)
    feed = CancelAtStep(rig.studio, step=1)
    rig.runner.live = feed
    job_id = rig.request("image", num_inference_steps=3)
    assert rig.run(job_id) == "cancelled"
    assert feed.steps == [1], "no step after the cancel"
    names = rig.names(job_id)
    assert "JobCancelRequested" in names and names[-1] == "JobCancelled"
    assert "JobCompleted" not in names
    assert rig.events(job_id)[-1].at_step == 1
    assert not list((tmp_path / "media").rglob("*.png")), "no image file left behind"


def test_a_model_folder_without_a_transformer_fails_the_job_saying_so(
    tmp_path: Path, flux2_models_dir: Path
) -> None:
    broken = tmp_path / "models"
    copy_of_model(flux2_models_dir / "flux2", broken / "flux2", without=("transformer",))
    rig = Rig(tmp_path, broken)
    job_id = rig.request("image")
    assert rig.run(job_id) == "failed"
    error = rig.studio.job(job_id).error
    assert error is not None and error["type"] == "IncompleteModel"
    assert f"no transformer/ in {broken / 'flux2'}" in error["message"]
    assert not error["retryable"]
    assert rig.loader.loads == 0


def test_what_the_backend_cannot_do_fails_the_job_before_any_step(
    tmp_path: Path, flux2_models_dir: Path, loader: ResidentModels
) -> None:
    rig = Rig(tmp_path, flux2_models_dir, loader)
    tiny = picture(tmp_path / "tiny.png", (32, 80), seed=4)
    source = picture(tmp_path / "source.png", (WIDTH, HEIGHT), seed=5)
    other_size = picture(tmp_path / "mask.png", (64, 64), seed=6)
    cases = {
        rig.request("image", width=100): "width a multiple of 16: got 100",
        rig.request("image", reference_images=[str(tmp_path / "gone.png")]): (
            f"reference image {tmp_path / 'gone.png'} does not exist"
        ),
        rig.request("image", reference_images=[tiny]): "needs at least 64 px a side",
        rig.request("inpaint", image=source, mask=other_size): (
            "the inpaint mask is 64×64 but the image is 128×96"
        ),
    }
    for job_id, message in cases.items():
        assert rig.run(job_id) == "failed"
        error = rig.studio.job(job_id).error
        assert error is not None and message in error["message"], error
        assert "FrameProgress" not in rig.names(job_id)


def test_image_and_inpaint_jobs_share_one_resident_model(
    tmp_path: Path, flux2_models_dir: Path
) -> None:
    rig = Rig(tmp_path, flux2_models_dir)
    source = picture(tmp_path / "source.png", (WIDTH + 8, HEIGHT + 4), seed=7)
    mask = Image.new("L", (WIDTH + 8, HEIGHT + 4), 0)
    mask.paste(255, (0, 0, 40, 40))
    mask.save(tmp_path / "mask.png")
    references = [
        picture(tmp_path / "a.png", (64, 80), seed=8),
        picture(tmp_path / "b.png", (96, 64), seed=9),
    ]
    image_job = rig.request("image")
    inpaint_job = rig.request(
        "inpaint",
        image=source,
        mask=str(tmp_path / "mask.png"),
        strength=0.5,
        reference_images=references,
    )
    assert rig.run(image_job) == rig.run(inpaint_job) == "completed"
    assert rig.loader.loads == 1, "switching pipeline reads no weights"
    resident = [
        e.model_resident
        for job_id in (image_job, inpaint_job)
        for e in rig.events(job_id)
        if type(e).__name__ == "JobStarted"
    ]
    assert resident == [False, True]
    output = rig.output(inpaint_job)
    assert (output["width"], output["height"]) == (WIDTH, HEIGHT), "rounded down to 16"
    assert rig.pixels(inpaint_job).shape == (HEIGHT, WIDTH, 3)
    assert output["denoising_steps"] == 1  # strength 0.5 of 2 steps
    assert output["reference_images"] == 2
    progress = [
        (e.step, e.total) for e in rig.events(inpaint_job) if type(e).__name__ == "FrameProgress"
    ]
    assert progress == [(1, 1)]


def test_pipelines_share_the_loaded_weights_in_their_dtype(flux2_models_dir: Path) -> None:
    # diffusers' from_pipe casts the shared modules to float32 unless told the dtype: a bf16
    # model on a GPU would silently double in memory.
    backend = Flux2Backend(str(flux2_models_dir / "flux2"), dtype=torch.bfloat16)
    inpaint = backend.pipeline("Flux2KleinInpaintPipeline")
    assert inpaint.transformer is backend.base.transformer
    assert backend.base.transformer.dtype == torch.bfloat16
    assert inpaint.text_encoder.dtype == torch.bfloat16
    assert backend.model_info()["dtype"] == "bfloat16"


def test_a_distilled_model_runs_without_guidance_in_both_pipelines(
    tmp_path: Path, flux2_models_dir: Path
) -> None:
    source = flux2_models_dir / "flux2"
    distilled = copy_of_model(source, tmp_path / "flux2", without=("model_index.json",))
    index = json.loads((source / "model_index.json").read_text())
    (distilled / "model_index.json").write_text(json.dumps({**index, "is_distilled": True}))
    backend = Flux2Backend(str(distilled))
    assert backend.model_info()["distilled"] is True
    assert backend.pipeline("Flux2KleinInpaintPipeline").config.is_distilled
    assert backend._negative(backend.base, {"negative_prompt": "fog"}, 4.0) == {}


def test_a_text_encoder_too_shallow_for_klein_is_refused(
    tmp_path: Path, flux2_models_dir: Path
) -> None:
    source = flux2_models_dir / "flux2"
    shallow = copy_of_model(source, tmp_path / "flux2", without=("text_encoder",))
    (shallow / "text_encoder").mkdir()
    config = json.loads((source / "text_encoder" / "config.json").read_text())
    config.update(num_hidden_layers=3, layer_types=["full_attention"] * 3)
    (shallow / "text_encoder" / "config.json").write_text(json.dumps(config))
    for weights in (source / "text_encoder").glob("*.safetensors"):
        (shallow / "text_encoder" / weights.name).symlink_to(weights)
    with pytest.raises(IncompatibleModel, match="has 3 layers: Flux 2 Klein reads"):
        Flux2Backend(str(shallow))
