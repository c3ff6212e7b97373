"""The LTX-2 backend through Milimo's own path, on a tiny random model built offline.

The catalog picks it from the models dir, the resident loader loads it once, and the job runner
runs real jobs on the in-memory store: progress per denoising step, cancel between steps, an
H.264 take of exactly the shot's size, frame count and fps, the same frames for the same seed.
"""

from pathlib import Path
from typing import Any
from uuid import UUID

import numpy as np
import pytest

pytest.importorskip("diffusers")

import av
import torch
from PIL import Image

from application.engine.engine import Engine
from application.engine.runner import JobRunner
from application.studio import Studio
from infrastructure.media_store import LocalMediaStore
from models.catalog import ModelCatalog
from models.loader import ResidentModels
from models.ltx2.backend import (
    InvalidLTX2Request,
    LTX2Backend,
    check_request,
    choose_pipeline,
    latent_index,
)
from tests.application.engine_fakes import RecordingDispatcher
from tests.models.tiny_ltx2 import (
    build_tiny_ic_lora,
    build_tiny_latent_upsampler,
    copy_of_model,
)

WIDTH, HEIGHT, FRAMES, FPS, STEPS = 320, 256, 9, 24, 2


class CancelAtStep:
    """A live feed that asks to cancel the job when it hears of the given step."""

    def __init__(self, engine: Engine, step: int):
        self.engine, self.step = engine, step
        self.steps: list[int] = []

    def publish(self, job_id: str, message: dict[str, Any]) -> None:
        self.steps.append(message["step"])
        if message["step"] == self.step:
            self.engine.cancel(job_id)


class Rig:
    """Studio, engine and runner as a worker has them, with the real catalog, loader and media."""

    def __init__(self, tmp_path: Path, models_dir: Path, loader: ResidentModels | None = None):
        self.studio = Studio(env={}, actor="ana@gpu-box")
        self.media = LocalMediaStore(tmp_path / "media")
        self.loader = loader or ResidentModels()
        self.engine = Engine(
            self.studio, ModelCatalog(models_dir), self.media, RecordingDispatcher()
        )
        self.runner = JobRunner(self.studio, self.loader, self.media, backoff=lambda _: 0.0)
        self.pid = self.studio.create_project("Lighthouse")
        self.scene = self.studio.add_scene(self.pid, "Stairs")

    def shot(self, **fields: Any) -> str:
        settings = {
            "prompt": "a lamp flares",
            "width": WIDTH,
            "height": HEIGHT,
            "num_frames": FRAMES,
            "fps": FPS,
            "num_inference_steps": STEPS,
            "seed": 7,
            **fields,
        }
        return self.studio.add_shot(self.pid, self.scene, **settings)

    def generate(self, shot: str) -> str:
        (job_id,) = self.engine.generate(self.pid, [shot])
        return job_id

    def events(self, job_id: str) -> list[Any]:
        return list(self.studio.events.get(UUID(job_id)))

    def names(self, job_id: str) -> list[str]:
        return [type(e).__name__ for e in self.events(job_id)]


def decode(path: str) -> tuple[np.ndarray, dict[str, Any]]:
    with av.open(path) as container:
        stream = container.streams.video[0]
        info = {
            "codec": stream.codec_context.name,
            "width": stream.width,
            "height": stream.height,
            "fps": float(stream.average_rate or 0),
            "streams": sorted(s.type for s in container.streams),
        }
        frames = np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])
    return frames, info


def still(path: Path, colour: tuple[int, int, int]) -> str:
    Image.new("RGB", (WIDTH, HEIGHT), colour).save(path)
    return str(path)


# Pure decisions, no model


def test_the_request_must_fit_ltx2_and_says_what_would() -> None:
    good = {"width": 320, "height": 256, "num_frames": 9, "num_inference_steps": 2}
    check_request(good)
    with pytest.raises(InvalidLTX2Request, match=r"8k\+1.*got 10, try 9 or 17"):
        check_request({**good, "num_frames": 10})
    with pytest.raises(InvalidLTX2Request, match="width a multiple of 32: got 300"):
        check_request({**good, "width": 300})
    with pytest.raises(InvalidLTX2Request, match="unknown pipeline"):
        check_request({**good, "pipeline": "magic"})


def test_each_pipeline_and_conditioning_maps_to_a_diffusers_class() -> None:
    first = {"asset": "a.png", "frame_index": 0, "strength": 1.0, "type": "image"}
    last = {**first, "frame_index": 8}
    video = {**first, "type": "video"}
    assert choose_pipeline("ti2vid", []) == "LTX2Pipeline"
    assert choose_pipeline("ti2vid", [first]) == "LTX2ImageToVideoPipeline"
    assert choose_pipeline("ti2vid", [{**first, "strength": 0.5}]) == "LTX2ConditionPipeline"
    assert choose_pipeline("ti2vid", [last]) == "LTX2ConditionPipeline"
    assert choose_pipeline("keyframe", [first, last]) == "LTX2ConditionPipeline"
    assert choose_pipeline("ic_lora", [video, first]) == "LTX2InContextPipeline"
    with pytest.raises(InvalidLTX2Request, match="reference video"):
        choose_pipeline("ic_lora", [first])


def test_keyframes_snap_to_the_latent_frame_that_holds_them() -> None:
    # 121 frames, 8 to a latent frame after the first: 16 latent frames after frame 0.
    assert [latent_index(f, 121, 8) for f in (0, 1, 8, 9, 60, 120)] == [0, 1, 1, 2, 8, 15]
    assert latent_index(8, 9, 8) == 1


# Through Milimo's catalog, loader and runner


def test_the_catalog_picks_ltx2_and_the_loader_keeps_it_resident(models_dir: Path) -> None:
    backend, model = ModelCatalog(models_dir).choose("video", "ti2vid")
    assert (backend, model) == ("ltx2", str(models_dir / "ltx2"))
    resident = ResidentModels()
    loaded, was_resident, _ = resident.load(backend, model)
    again, still_resident, seconds = resident.load(backend, model)
    assert again is loaded and (was_resident, still_resident, seconds) == (False, True, 0.0)
    assert resident.loads == 1 and resident.device() == "cpu"
    info = loaded.model_info()
    assert info["id"] == "ltx2" and info["version"].startswith("diffusers-")
    assert info["weights_hash"].startswith("sha256:") and info["dtype"] == "float32"


def test_a_job_makes_an_h264_take_of_the_shot_with_progress_per_step(
    tmp_path: Path, models_dir: Path, loader: ResidentModels
) -> None:
    rig = Rig(tmp_path, models_dir, loader)
    shot = rig.shot()
    job_id = rig.generate(shot)
    job = rig.studio.job(job_id)
    assert (job.request["backend"], job.request["model"]) == ("ltx2", str(models_dir / "ltx2"))
    assert rig.runner.run(job_id) == "completed", rig.studio.job(job_id).error
    names = rig.names(job_id)
    assert names[1:3] == ["JobQueued", "JobStarted"] and names[-1] == "JobCompleted"
    (started,) = [e for e in rig.events(job_id) if type(e).__name__ == "JobStarted"]
    assert started.backend == "ltx2" and started.model["id"] == "ltx2"
    progress = [
        (e.step, e.total) for e in rig.events(job_id) if type(e).__name__ == "FrameProgress"
    ]
    assert progress == [(1, STEPS), (2, STEPS)]
    output = rig.studio.job(job_id).output
    assert output is not None
    assert (output["width"], output["height"], output["frames"]) == (WIDTH, HEIGHT, FRAMES)
    assert output["path"].endswith(".mp4") and output["sha256"]
    frames, info = decode(output["path"])
    assert frames.shape == (FRAMES, HEIGHT, WIDTH, 3)
    assert (info["codec"], info["width"], info["height"], info["fps"]) == (
        "h264",
        WIDTH,
        HEIGHT,
        FPS,
    )
    assert info["streams"] == ["audio", "video"], "LTX-2's sound comes along as AAC"
    (take,) = rig.studio.project(rig.pid).state.shots[shot].takes
    assert take.path == output["path"] and take.num_frames == FRAMES


def test_the_same_request_gives_the_same_frames(
    tmp_path: Path, models_dir: Path, loader: ResidentModels
) -> None:
    rig = Rig(tmp_path, models_dir, loader)
    shot = rig.shot(seed=11)
    first, second = rig.generate(shot), rig.generate(shot)
    assert rig.runner.run(first) == rig.runner.run(second) == "completed"
    paths = [rig.studio.job(j).output["path"] for j in (first, second)]  # type: ignore[index]
    a, b = decode(paths[0])[0], decode(paths[1])[0]
    assert np.array_equal(a, b)
    digests = {rig.studio.job(j).output["sha256"] for j in (first, second)}  # type: ignore[index]
    assert len(digests) == 1, "and the same bytes"
    assert a.std() > 0, "real frames, not a blank"
    rig.studio.change_shot(rig.pid, shot, seed=12)
    other = rig.generate(shot)
    rig.runner.run(other)
    c = decode(rig.studio.job(other).output["path"])[0]  # type: ignore[index]
    assert not np.array_equal(a, c), "another seed, other frames"


def test_cancel_between_steps_stops_the_job_without_a_take(
    tmp_path: Path, models_dir: Path, loader: ResidentModels
) -> None:
    rig = Rig(tmp_path, models_dir, loader)
    feed = CancelAtStep(rig.engine, step=1)
    rig.runner.live = feed
    shot = rig.shot()
    job_id = rig.generate(shot)
    assert rig.runner.run(job_id) == "cancelled"
    assert feed.steps == [1], "no step after the cancel"
    names = rig.names(job_id)
    assert "JobCancelRequested" in names and names[-1] == "JobCancelled"
    assert "JobCompleted" not in names
    assert rig.events(job_id)[-1].at_step == 1
    assert rig.studio.project(rig.pid).state.shots[shot].takes == ()
    assert not list((tmp_path / "media").rglob("*.mp4")), "no take file left behind"


def test_a_model_folder_without_a_transformer_fails_the_job_saying_so(
    tmp_path: Path, models_dir: Path
) -> None:
    broken = tmp_path / "models"
    copy_of_model(models_dir / "ltx2", broken / "ltx2", without=("transformer",))
    rig = Rig(tmp_path, broken)
    job_id = rig.generate(rig.shot())
    assert rig.studio.job(job_id).request["backend"] == "ltx2"
    assert rig.runner.run(job_id) == "failed"
    error = rig.studio.job(job_id).error
    assert error is not None and error["type"] == "IncompleteModel"
    assert f"no transformer/ in {broken / 'ltx2'}" in error["message"]
    assert not error["retryable"]
    assert rig.loader.loads == 0


def test_what_the_backend_cannot_do_fails_the_job_before_any_step(
    tmp_path: Path, models_dir: Path, loader: ResidentModels
) -> None:
    rig = Rig(tmp_path, models_dir, loader)
    upscaled = rig.generate(rig.shot(upscale=True))
    # A file must exist when it is set (the application refuses a missing one); one removed
    # after that reaches the backend, which fails the job with the reason.
    gone = still(tmp_path / "gone.png", (20, 20, 20))
    shot = rig.shot(conditioning=[{"asset": gone}])
    Path(gone).unlink()
    missing = rig.generate(shot)
    for job_id, message in (
        (upscaled, f"no latent_upsampler/ (with its config) in {models_dir / 'ltx2'}"),
        (missing, f"conditioning image {tmp_path / 'gone.png'} does not exist"),
    ):
        assert rig.runner.run(job_id) == "failed"
        error = rig.studio.job(job_id).error
        assert error is not None and message in error["message"]
        assert "FrameProgress" not in rig.names(job_id)


def test_keyframes_and_a_first_frame_image_use_the_conditioned_pipelines(
    tmp_path: Path, models_dir: Path, loader: ResidentModels
) -> None:
    rig = Rig(tmp_path, models_dir, loader)
    red, blue = (
        still(tmp_path / "red.png", (220, 30, 30)),
        still(tmp_path / "blue.png", (30, 30, 220)),
    )
    first = {"asset": red, "frame_index": 0}
    keyframes = rig.shot(conditioning=[first, {"asset": blue, "frame_index": FRAMES - 1}])
    opening = rig.shot(conditioning=[first])
    outputs = {}
    for shot in (keyframes, opening):
        job_id = rig.generate(shot)
        assert rig.runner.run(job_id) == "completed", rig.studio.job(job_id).error
        job = rig.studio.job(job_id)
        assert job.output is not None
        outputs[job.request["pipeline"]] = job.output
        assert decode(job.output["path"])[0].shape == (FRAMES, HEIGHT, WIDTH, 3)
    assert outputs["keyframe"]["pipeline_class"] == "LTX2ConditionPipeline"
    assert outputs["ti2vid"]["pipeline_class"] == "LTX2ImageToVideoPipeline"
    assert loader.loads == 1, "switching pipeline reads no weights"


def test_ic_lora_needs_its_adapter_and_leaves_other_pipelines_untouched(
    tmp_path: Path, models_dir: Path
) -> None:
    local = tmp_path / "models"
    model = copy_of_model(models_dir / "ltx2", local / "ltx2")
    backend = LTX2Backend(str(model))
    reference = tmp_path / "reference.mp4"
    from models.ltx2.media import write_mp4

    write_mp4(str(reference), np.full((FRAMES, HEIGHT, WIDTH, 3), 128, np.uint8), FPS)
    request = {
        "prompt": "a lamp flares",
        "negative_prompt": "",
        "seed": 5,
        "width": WIDTH,
        "height": HEIGHT,
        "num_frames": FRAMES,
        "fps": FPS,
        "cfg_scale": 3.0,
        "num_inference_steps": STEPS,
        "pipeline": "ti2vid",
        "conditioning": [],
    }
    plain = tmp_path / "plain.mp4"
    backend.generate(request, str(plain), lambda *_: None, lambda: False)
    in_context = {
        **request,
        "pipeline": "ic_lora",
        "conditioning": [{"asset": str(reference), "frame_index": 0, "type": "video"}],
    }
    with pytest.raises(FileNotFoundError, match=r"needs an IC-LoRA adapter: no \*.safetensors"):
        backend.generate(in_context, str(tmp_path / "x.mp4"), lambda *_: None, lambda: False)

    build_tiny_ic_lora(model, model / "ic_lora" / "tiny_ic_lora.safetensors")
    out = backend.generate(in_context, str(tmp_path / "ic.mp4"), lambda *_: None, lambda: False)
    assert out.extra["pipeline_class"] == "LTX2InContextPipeline"
    assert "ic_lora" in backend.base.transformer.peft_config
    assert decode(out.path)[0].shape == (FRAMES, HEIGHT, WIDTH, 3)

    again = tmp_path / "again.mp4"
    backend.generate(request, str(again), lambda *_: None, lambda: False)
    assert np.array_equal(decode(str(plain))[0], decode(str(again))[0]), "the LoRA is off again"


def test_pipelines_share_the_loaded_weights_in_their_dtype(models_dir: Path) -> None:
    # diffusers' from_pipe casts the shared modules to float32 unless told the dtype: a bf16
    # model on a GPU would silently double in memory.
    backend = LTX2Backend(str(models_dir / "ltx2"), dtype=torch.bfloat16)
    keyframes = backend.pipeline("LTX2ConditionPipeline")
    assert keyframes.transformer is backend.base.transformer
    assert backend.base.transformer.dtype == torch.bfloat16
    assert backend.model_info()["dtype"] == "bfloat16"


# Two-stage upscaling: half size, latents ×2, a short refine at full size


@pytest.fixture(scope="module")
def upscale_models_dir(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Path:
    """The tiny LTX-2 with a tiny ×2 latent upsampler in ltx2/latent_upsampler/."""
    root = tmp_path_factory.mktemp("upscale_models")
    model = copy_of_model(models_dir / "ltx2", root / "ltx2")
    build_tiny_latent_upsampler(model)
    return root


def test_upscale_needs_sizes_that_halve_to_multiples_of_32() -> None:
    good = {"width": 320, "height": 256, "num_frames": 9, "upscale": True}
    check_request(good)
    with pytest.raises(
        InvalidLTX2Request, match=r"needs width a multiple of 64 .*: got 288, try 256"
    ):
        check_request({**good, "width": 288})
    with pytest.raises(InvalidLTX2Request, match="not available for the ic_lora pipeline"):
        check_request({**good, "pipeline": "ic_lora"})


def test_an_upscale_job_runs_two_stages_to_the_full_size(
    tmp_path: Path, upscale_models_dir: Path
) -> None:
    rig = Rig(tmp_path, upscale_models_dir)
    feed = CancelAtStep(rig.engine, step=-1)  # never cancels: hears every step live
    rig.runner.live = feed
    shot = rig.shot(upscale=True, seed=3)
    first, second = rig.generate(shot), rig.generate(shot)
    assert rig.runner.run(first) == "completed", rig.studio.job(first).error
    total = STEPS + 3  # stage 1's steps, then diffusers' three stage-2 distilled sigmas
    assert feed.steps == list(range(1, total + 1)), "both stages, one sequence"
    assert rig.runner.run(second) == "completed", rig.studio.job(second).error
    stored = [(e.step, e.total) for e in rig.events(first) if type(e).__name__ == "FrameProgress"]
    assert stored[0] == (1, total) and stored[-1] == (total, total)
    assert {t for _, t in stored} == {total}
    output = rig.studio.job(first).output
    assert output is not None
    assert output["two_stage"] is True and output["stage1_size"] == [WIDTH // 2, HEIGHT // 2]
    assert (output["width"], output["height"], output["frames"]) == (WIDTH, HEIGHT, FRAMES)
    frames, info = decode(output["path"])
    assert frames.shape == (FRAMES, HEIGHT, WIDTH, 3) and frames.std() > 0
    assert (info["width"], info["height"], info["streams"]) == (WIDTH, HEIGHT, ["audio", "video"])
    again = rig.studio.job(second).output
    assert again is not None and again["sha256"] == output["sha256"], "same request, same bytes"
    assert np.array_equal(frames, decode(again["path"])[0])
    assert rig.loader.loads == 1, "the upsampler stays resident with the model"


def test_cancel_in_the_refine_stage_stops_the_upscale_job(
    tmp_path: Path, upscale_models_dir: Path
) -> None:
    rig = Rig(tmp_path, upscale_models_dir)
    feed = CancelAtStep(rig.engine, step=STEPS + 1)
    rig.runner.live = feed
    job_id = rig.generate(rig.shot(upscale=True))
    assert rig.runner.run(job_id) == "cancelled"
    assert feed.steps == [1, 2, 3], "no step after the cancel, in stage 2"
    assert rig.events(job_id)[-1].at_step == STEPS + 1
    assert not list((tmp_path / "media").rglob("*.mp4"))


def test_the_upscale_stages_share_the_weights_in_their_dtype(upscale_models_dir: Path) -> None:
    backend = LTX2Backend(str(upscale_models_dir / "ltx2"), dtype=torch.bfloat16)
    refine, upsample = backend.refiner("LTX2Pipeline"), backend.upsampler()
    assert refine.transformer is backend.base.transformer and upsample.vae is backend.base.vae
    assert refine.scheduler is not backend.base.scheduler, "stage 2 has its own sigmas"
    assert backend.base.transformer.dtype == torch.bfloat16
    assert upsample.latent_upsampler.dtype == torch.bfloat16
    assert backend.upsampler() is upsample, "loaded once"
