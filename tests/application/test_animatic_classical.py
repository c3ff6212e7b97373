"""The animatic backend's stills, masks and fills: images and segmentation without a model."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from application.engine.engine import Engine
from application.engine.runner import JobRunner
from application.studio import Studio
from infrastructure.media_store import LocalMediaStore
from models.catalog import ModelCatalog
from models.loader import ResidentModels
from tests.application.engine_fakes import RecordingDispatcher


@pytest.fixture
def scene_image(tmp_path: Path) -> str:
    """A grey frame with a red disc in the middle."""
    pixels = np.full((150, 200, 3), 90, np.uint8)
    yy, xx = np.mgrid[:150, :200]
    pixels[(yy - 75) ** 2 + (xx - 100) ** 2 < 35**2] = (220, 30, 30)
    path = tmp_path / "frame.png"
    Image.fromarray(pixels).save(path)
    return str(path)


@pytest.fixture
def rig(tmp_path: Path) -> tuple[Studio, Engine, JobRunner, str]:
    studio = Studio(env={}, actor="ana@gpu-box")
    media = LocalMediaStore(tmp_path / "media")
    engine = Engine(studio, ModelCatalog(None), media, RecordingDispatcher())
    runner = JobRunner(studio, ResidentModels(), media)
    return studio, engine, runner, studio.create_project("Stills")


def output(studio: Studio, job_id: str) -> np.ndarray:
    job = studio.job(job_id)
    assert job.status == "completed", job.error
    assert job.output is not None
    return np.asarray(Image.open(job.output["path"]))


def test_a_point_or_a_box_gives_a_mask_of_the_red_disc(rig, scene_image: str) -> None:
    studio, engine, runner, pid = rig
    by_point = engine.request(pid, "segment", {"image": scene_image, "points": [[100, 75]]})
    by_box = engine.request(pid, "segment", {"image": scene_image, "boxes": [[55, 30, 145, 120]]})
    runner.run(by_point)
    runner.run(by_box)
    for job_id in (by_point, by_box):
        mask = output(studio, job_id)
        assert mask.shape == (150, 200) and set(np.unique(mask)) <= {0, 255}
        assert mask[75, 100] == 255 and mask[5, 5] == 0
        assert 0.1 < (mask > 0).mean() < 0.2, "about the disc's share of the frame"
    assert studio.job(by_point).request["image_sha256"]


def test_a_fill_replaces_the_masked_part_from_its_surroundings(rig, scene_image, tmp_path) -> None:
    studio, engine, runner, pid = rig
    mask = np.zeros((150, 200), np.uint8)
    mask[35:115, 60:140] = 255
    Image.fromarray(mask).save(tmp_path / "mask.png")
    job_id = engine.request(
        pid, "inpaint", {"image": scene_image, "mask": str(tmp_path / "mask.png"), "prompt": "x"}
    )
    runner.run(job_id)
    filled = output(studio, job_id)
    assert filled.shape == (150, 200, 3)
    assert abs(int(filled[75, 100, 0]) - 90) < 30, "the red disc is filled with the grey around it"


def test_a_still_card_and_a_clear_failure_for_text_prompts(rig, scene_image) -> None:
    studio, engine, runner, pid = rig
    still = engine.request(
        pid, "image", {"prompt": "a lighthouse", "seed": 3, "width": 512, "height": 320}
    )
    runner.run(still)
    assert output(studio, still).shape == (320, 512, 3)
    text = engine.request(pid, "segment", {"image": scene_image, "text": "the sky"})
    assert runner.run(text) == "failed"
    error = studio.job(text).error
    assert error is not None and "SAM 3" in error["message"]
