"""The SAM 3 backend through Milimo's own path, on a tiny random model built offline.

Segment jobs run on the in-memory store with the real resident loader and media store: a point,
boxes or a phrase become a 0/255 single-channel PNG of exactly the image's size; the same request
gives the same mask; a request SAM 3 cannot run, or one whose sub-model is not installed, fails
the job saying why; the model loads once for many jobs.
"""

import shutil
from pathlib import Path
from typing import Any
from uuid import UUID

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from PIL import Image, ImageDraw

from application.engine.ports import GenerationCancelled
from application.engine.runner import JobRunner
from application.studio import Studio
from domain.job.aggregate import Job
from domain.job.status import QUEUES
from infrastructure.media_store import LocalMediaStore
from models.loader import ResidentModels
from models.sam3.backend import Sam3Backend
from models.sam3.layout import IncompleteModel
from models.sam3.prompts import InvalidSegmentRequest, check_inside, parse_request

WIDTH, HEIGHT = 200, 150


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A 200×150 RGB still: a red disc on a blue ground beside a yellow square."""
    path = tmp_path_factory.mktemp("stills") / "cup.png"
    still = Image.new("RGB", (WIDTH, HEIGHT), (30, 60, 160))
    draw = ImageDraw.Draw(still)
    draw.ellipse((30, 40, 100, 110), fill=(210, 40, 30))
    draw.rectangle((130, 30, 180, 80), fill=(230, 210, 40))
    still.save(path)
    return str(path)


class Rig:
    """A studio and job runner as a worker has them, with the real loader and media store."""

    def __init__(self, tmp_path: Path, models_dir: Path, loader: ResidentModels):
        self.studio = Studio(env={}, actor="ana@gpu-box")
        self.media = LocalMediaStore(tmp_path / "media")
        self.loader = loader
        self.model = str(models_dir / "sam3")
        self.runner = JobRunner(self.studio, loader, self.media, backoff=lambda _: 0.0)
        self.pid = self.studio.create_project("Lighthouse")

    def segment(self, **request: Any) -> str:
        """Request a segment job, run it, and return its id."""
        full = {"backend": "sam3", "model": self.model, **request}
        actor = self.studio.actor
        job = Job.request_generation(actor, self.pid, None, "segment", full)
        job.queue(actor, QUEUES["segment"])
        self.studio.save(job)
        self.runner.run(job.id.hex)
        return job.id.hex

    def output(self, job_id: str) -> dict[str, Any]:
        job = self.studio.job(job_id)
        assert job.status == "completed", job.error
        assert job.output is not None
        return job.output

    def error(self, job_id: str) -> dict[str, Any]:
        job = self.studio.job(job_id)
        assert job.status == "failed" and job.error is not None
        return job.error

    def events(self, job_id: str, name: str) -> list[Any]:
        return [e for e in self.studio.events.get(UUID(job_id)) if type(e).__name__ == name]


@pytest.fixture
def rig(tmp_path: Path, sam3_models_dir: Path, loader: ResidentModels) -> Rig:
    return Rig(tmp_path, sam3_models_dir, loader)


def read_mask(output: dict[str, Any]) -> np.ndarray:
    """The mask file as an array, checked to be what every segment job must give."""
    assert output["path"].endswith(".png") and Path(output["path"]).is_file()
    with Image.open(output["path"]) as mask:
        assert mask.mode == "L", "a single-channel PNG"
        assert mask.size == (WIDTH, HEIGHT) == (output["width"], output["height"])
        values = np.asarray(mask)
    assert set(np.unique(values)) <= {0, 255}
    assert output["area"] == pytest.approx(np.count_nonzero(values) / values.size, abs=1e-5)
    assert 0.0 <= output["score"] <= 1.0 and output["frames"] == 1
    return values


# Pure decisions, no model


def test_a_request_needs_an_image_and_exactly_one_kind_of_prompt(image: str) -> None:
    prompt = parse_request({"image": image, "points": [[50, 60]]})
    assert (prompt.kind, prompt.points, prompt.labels, prompt.threshold) == (
        "points",
        ((50.0, 60.0),),
        (1,),
        0.5,
    )
    boxes = parse_request({"image": image, "boxes": [[1, 2, 30, 40]], "points": []})
    assert (boxes.kind, boxes.boxes) == ("boxes", ((1.0, 2.0, 30.0, 40.0),))
    refusals = {
        "needs exactly one kind of prompt.*got none": {"image": image},
        "got points and text": {"image": image, "points": [[1, 2]], "text": "cup"},
        "does not exist": {"image": image + ".gone", "text": "cup"},
        "absolute path": {"image": "cup.png", "text": "cup"},
        "one label per point": {"image": image, "points": [[1, 2]], "labels": [1, 0]},
        "1 .* or 0": {"image": image, "points": [[1, 2]], "labels": [2]},
        "at least one point must have label 1": {
            "image": image,
            "points": [[1, 2]],
            "labels": [0],
        },
        "box 0 must be 4 numbers": {"image": image, "boxes": [[1, 2, 3]]},
        "x1 > x0": {"image": image, "boxes": [[30, 2, 10, 40]]},
        "threshold must be a number between 0 and 1": {
            "image": image,
            "text": "cup",
            "threshold": 1.5,
        },
    }
    for message, request in refusals.items():
        with pytest.raises(InvalidSegmentRequest, match=message):
            parse_request(request)
    with pytest.raises(InvalidSegmentRequest, match=r"point 0 \(250, 10\) is outside"):
        check_inside(parse_request({"image": image, "points": [[250, 10]]}), WIDTH, HEIGHT)


def test_a_folder_without_either_sub_model_is_refused_naming_both(tmp_path: Path) -> None:
    (tmp_path / "sam3").mkdir()
    with pytest.raises(IncompleteModel, match=r"tracker/.*text/"):
        Sam3Backend(str(tmp_path / "sam3"))


# Through the resident loader and the job runner


def test_a_point_makes_a_mask_of_the_image_size_with_one_progress_step(
    rig: Rig, image: str
) -> None:
    job_id = rig.segment(image=image, points=[[65, 75]])
    mask = read_mask(rig.output(job_id))
    assert mask.shape == (HEIGHT, WIDTH)
    (started,) = rig.events(job_id, "JobStarted")
    assert started.backend == "sam3" and started.model["id"] == "sam3"
    assert started.model["version"].startswith("transformers-")
    assert started.model["weights_hash"].startswith("sha256:")
    assert [(e.step, e.total) for e in rig.events(job_id, "FrameProgress")] == [(1, 1)]
    assert rig.output(job_id)["prompt"] == "points"


def test_points_with_labels_and_boxes_make_masks(rig: Rig, image: str) -> None:
    labelled = rig.segment(image=image, points=[[65, 75], [150, 50]], labels=[1, 0])
    read_mask(rig.output(labelled))
    boxes = rig.segment(image=image, boxes=[[30, 40, 100, 110], [130, 30, 180, 80]])
    read_mask(rig.output(boxes))
    assert rig.output(boxes)["prompt"] == "boxes"


def test_a_phrase_makes_a_mask_through_the_text_model(rig: Rig, image: str) -> None:
    job_id = rig.segment(image=image, text="red cup", score_threshold=0.01)
    output = rig.output(job_id)
    read_mask(output)
    assert output["prompt"] == "text" and output["instances"] >= 1
    # Nothing scores above a threshold of 0.999: an empty mask, not a failure.
    none = rig.output(rig.segment(image=image, text="red cup", score_threshold=0.999))
    assert none["instances"] == 0 and none["area"] == 0.0
    assert not read_mask(none).any()


def test_the_same_request_gives_the_same_mask(rig: Rig, image: str) -> None:
    first = rig.output(rig.segment(image=image, boxes=[[30, 40, 100, 110]]))
    second = rig.output(rig.segment(image=image, boxes=[[30, 40, 100, 110]]))
    assert first["path"] != second["path"]
    assert np.array_equal(read_mask(first), read_mask(second))
    assert first["sha256"] == second["sha256"] and first["score"] == second["score"]


def test_a_request_sam3_cannot_run_fails_the_job_saying_why(rig: Rig, image: str) -> None:
    refusals = {
        "exactly one kind of prompt": {"image": image},
        "got points and boxes": {"image": image, "points": [[5, 5]], "boxes": [[1, 1, 9, 9]]},
        "does not exist": {"image": image + ".gone", "points": [[5, 5]]},
        "outside the 200×150 image": {"image": image, "boxes": [[0, 0, 300, 100]]},
    }
    for message, request in refusals.items():
        job_id = rig.segment(**request)
        error = rig.error(job_id)
        assert error["type"] == "InvalidSegmentRequest" and message in error["message"]
        assert not error["retryable"] and not rig.events(job_id, "FrameProgress")


def test_the_model_loads_once_for_many_jobs(
    tmp_path: Path, sam3_models_dir: Path, image: str
) -> None:
    resident = ResidentModels()
    rig = Rig(tmp_path, sam3_models_dir, resident)
    first = rig.segment(image=image, points=[[65, 75]])
    second = rig.segment(image=image, text="cup")
    read_mask(rig.output(first)), read_mask(rig.output(second))
    assert resident.loads == 1 and resident.device() == "cpu"
    starts = [rig.events(j, "JobStarted")[0] for j in (first, second)]
    assert [s.model_resident for s in starts] == [False, True]
    backend, _, _ = resident.load("sam3", rig.model)
    assert isinstance(backend, Sam3Backend) and sorted(backend._models) == ["text", "tracker"]


def test_a_prompt_whose_sub_model_is_missing_fails_naming_its_folder(
    tmp_path: Path, sam3_models_dir: Path, image: str
) -> None:
    tracker_only = tmp_path / "models"
    shutil.copytree(sam3_models_dir / "sam3" / "tracker", tracker_only / "sam3" / "tracker")
    rig = Rig(tmp_path, tracker_only, ResidentModels())
    error = rig.error(rig.segment(image=image, text="cup"))
    assert error["type"] == "IncompleteModel"
    assert f"{tracker_only / 'sam3' / 'text'}/ does not exist" in error["message"]
    assert "text prompts need the SAM 3 text model" in error["message"]
    read_mask(rig.output(rig.segment(image=image, points=[[65, 75]])))


def test_a_cancel_seen_before_the_forward_pass_stops_the_job(
    tmp_path: Path, sam3_models_dir: Path, image: str
) -> None:
    backend = Sam3Backend(str(sam3_models_dir / "sam3"))
    steps: list[int] = []
    target = tmp_path / "mask.png"
    with pytest.raises(GenerationCancelled) as stop:
        backend.generate(
            {"image": image, "points": [[65, 75]]},
            str(target),
            lambda step, total, frames: steps.append(step),
            lambda: True,
        )
    assert stop.value.step == 0 and steps == [] and not target.exists()
