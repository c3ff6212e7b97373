"""Several models resident while they fit, the least recently used unloaded when the next does
not, and every such swap recorded in the job: real tiny Flux 2 and LTX-2 models on the CPU, with
a memory budget standing in for a GPU's memory."""

from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

pytest.importorskip("diffusers")

from application.engine.engine import Engine
from application.engine.runner import JobRunner
from application.job_view import audit_entry, fold
from application.studio import Studio
from domain.job.aggregate import Job
from infrastructure.media_store import LocalMediaStore
from models.catalog import ModelCatalog
from models.device_memory import weights_bytes
from models.loader import ResidentModels
from tests.application.engine_fakes import RecordingDispatcher
from tests.models.tiny_ltx2 import copy_of_model


@pytest.fixture
def both_models(tmp_path: Path, models_dir: Path, flux2_models_dir: Path) -> Path:
    """One models dir holding the tiny LTX-2 and the tiny Flux 2 (links to the session's)."""
    root = tmp_path / "models"
    root.mkdir()
    (root / "ltx2").symlink_to(models_dir / "ltx2", target_is_directory=True)
    (root / "flux2").symlink_to(flux2_models_dir / "flux2", target_is_directory=True)
    return root


def sizes(root: Path) -> tuple[int, int]:
    video, image = weights_bytes(str(root / "ltx2")), weights_bytes(str(root / "flux2"))
    assert video > 0 and image > 0
    return video, image


class Worker:
    """Studio, engine and runner as a worker has them, with a loader on a memory budget."""

    def __init__(self, tmp_path: Path, models: Path, budget: int):
        self.studio = Studio(env={}, actor="ana@gpu-box")
        self.loader = ResidentModels(memory_budget=budget)
        self.media = LocalMediaStore(tmp_path / "media")
        self.engine = Engine(self.studio, ModelCatalog(models), self.media, RecordingDispatcher())
        self.runner = JobRunner(self.studio, self.loader, self.media, backoff=lambda _: 0.0)
        self.models = models
        self.pid = self.studio.create_project("Lighthouse")
        self.scene = self.studio.add_scene(self.pid, "Stairs")

    def video(self) -> str:
        shot = self.studio.add_shot(
            self.pid,
            self.scene,
            prompt="a lamp flares",
            width=320,
            height=256,
            num_frames=9,
            fps=24,
            num_inference_steps=2,
            seed=7,
        )
        (job_id,) = self.engine.generate(self.pid, [shot])
        return job_id

    def image(self) -> str:
        request = {
            "kind": "image",
            "prompt": "a lighthouse at dusk",
            "negative_prompt": "",
            "seed": 7,
            "width": 128,
            "height": 96,
            "num_inference_steps": 2,
            "guidance_scale": 2.0,
            "reference_images": [],
            "backend": "flux2",
            "model": str(self.models / "flux2"),
        }
        job = Job.request_generation(self.studio.actor, self.pid, None, "image", request)
        self.studio.save(job)
        return job.id.hex

    def run(self, job_id: str) -> None:
        assert self.runner.run(job_id) == "completed", self.studio.job(job_id).error

    def events(self, job_id: str) -> list[Any]:
        return list(self.studio.events.get(UUID(job_id)))

    def swaps(self, job_id: str) -> list[Any]:
        return [e for e in self.events(job_id) if type(e).__name__ == "ModelSwapped"]


def test_the_second_model_unloads_the_first_when_both_exceed_the_budget(
    tmp_path: Path, both_models: Path
) -> None:
    video, image = sizes(both_models)
    worker = Worker(tmp_path, both_models, budget=max(video, image) + 1)

    first = worker.image()
    worker.run(first)
    second = worker.video()
    worker.run(second)

    assert worker.swaps(first) == []
    (swap,) = worker.swaps(second)
    assert swap.unloaded == [
        {"backend": "flux2", "model": str(both_models / "flux2"), "bytes": image}
    ]
    assert swap.loaded == {"backend": "ltx2", "model": str(both_models / "ltx2"), "bytes": video}
    assert (swap.need_bytes, swap.free_bytes) == (video, max(video, image) + 1 - image)
    assert swap.reason.startswith("memory: need ") and "budget" in swap.reason
    assert swap.load_seconds > 0
    names = [type(e).__name__ for e in worker.events(second)]
    assert names.index("ModelSwapped") == names.index("JobStarted") + 1
    assert [m["backend"] for m in worker.loader.resident()] == ["ltx2"]
    assert worker.loader.loads == 2, "loads counts base models loaded"

    doc: dict[str, Any] | None = None
    for event in worker.events(second):
        doc = fold(doc, event)
    assert doc is not None
    (audited,) = audit_entry(doc)["model_swaps"]
    assert audited["unloaded"][0]["backend"] == "flux2" and audited["reason"] == swap.reason


def test_models_that_fit_together_stay_resident_and_are_not_loaded_again(
    tmp_path: Path, both_models: Path
) -> None:
    video, image = sizes(both_models)
    worker = Worker(tmp_path, both_models, budget=video + image + 1)

    jobs = [worker.image(), worker.video(), worker.image()]
    for job_id in jobs:
        worker.run(job_id)

    assert all(worker.swaps(j) == [] for j in jobs)
    assert worker.loader.loads == 2
    resident = [
        e.model_resident for e in worker.events(jobs[2]) if type(e).__name__ == "JobStarted"
    ]
    assert resident == [True], "the image model was still resident after the video job"
    assert [m["backend"] for m in worker.loader.resident()] == ["ltx2", "flux2"], "LRU first"


def test_the_least_recently_used_model_goes_first(tmp_path: Path, both_models: Path) -> None:
    video, image = sizes(both_models)
    first, ltx2 = str(both_models / "flux2"), str(both_models / "ltx2")
    second = str(copy_of_model(both_models / "flux2", tmp_path / "flux2-copy"))
    assert weights_bytes(second) == image
    loader = ResidentModels(memory_budget=video + image + 1)
    loader.load("flux2", first)
    loader.load("ltx2", ltx2)
    loader.load("flux2", first)  # used again: LTX-2 is now the least recently used
    assert loader.loads == 2 and loader.last_swap is None

    loader.memory_budget = 1  # no room at all: still, a backend without weights unloads nothing
    loader.load("animatic", "animatic")
    assert loader.last_swap is None

    loader.memory_budget = video + image + 1
    loader.load("flux2", second)

    assert loader.last_swap is not None
    assert [u["model"] for u in loader.last_swap["unloaded"]] == [ltx2]
    assert [m["model"] for m in loader.resident()] == [first, "animatic", second]
    assert loader.swaps == 1 and loader.latest_swap is not None
    assert loader.loads == 4
