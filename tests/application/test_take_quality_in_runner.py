"""Every video take is measured as part of its job, before it is recorded: real animatic media,
the real meter; a measurement that fails never fails the job."""

from pathlib import Path
from typing import Any
from uuid import UUID

from application.engine.engine import Engine
from application.engine.runner import JobRunner
from application.studio import Studio
from domain.project.events.shots import TakeAdded
from infrastructure.media_store import LocalMediaStore
from infrastructure.take_quality import FrameQualityMeter, TakeUnreadable
from models.catalog import ModelCatalog
from models.loader import ResidentModels
from tests.application.engine_fakes import RecordingDispatcher

QUALITY_KEYS = {"temporal_consistency", "motion", "sharpness", "exposure", "flags"}


class BrokenMeter:
    def measure(self, path: str) -> dict[str, Any]:
        raise TakeUnreadable(f"{path} could not be decoded")


class Rig:
    def __init__(self, tmp_path: Path, meter: Any):
        self.studio = Studio(env={}, actor="ana@gpu-box")
        media = LocalMediaStore(tmp_path / "media")
        self.engine = Engine(self.studio, ModelCatalog(None), media, RecordingDispatcher())
        self.runner = JobRunner(self.studio, ResidentModels(), media, meter=meter)
        self.pid = self.studio.create_project("Pier", width=384, height=256)
        scene = self.studio.add_scene(self.pid, "Pier")
        self.shot = self.studio.add_shot(
            self.pid, scene, action="Mara walks the pier", shot_type="wide", num_frames=25
        )

    def take_added(self, job_id: str) -> TakeAdded:
        (event,) = [
            e
            for e in self.studio.events.get(UUID(self.pid))
            if isinstance(e, TakeAdded) and e.take["job_id"] == job_id
        ]
        return event


def test_an_animatic_take_lands_with_its_quality_measured(tmp_path: Path) -> None:
    rig = Rig(tmp_path, FrameQualityMeter())
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot])
    assert rig.runner.run(job_id) == "completed"
    quality = rig.take_added(job_id).take["quality"]
    assert set(quality) >= QUALITY_KEYS
    # A wide shot pans across its card: it moves, and stays consistent from frame to frame.
    assert quality["motion"] > 0.1 and 0.5 < quality["temporal_consistency"] <= 1.0
    assert quality["sharpness"] > 0 and "frozen" not in quality["flags"]
    assert quality["sampled"]["of_frames"] == 25 and quality["sampled"]["pairs"] == 24
    (take,) = rig.studio.project(rig.pid).state.shots[rig.shot].takes
    assert take.quality == quality
    job = rig.studio.job(job_id)
    assert job.output is not None and job.output["quality"] == quality
    events = [type(e).__name__ for e in rig.studio.events.get(UUID(job_id))]
    assert events[-1] == "JobCompleted", "measured before the job is recorded as completed"


def test_a_take_whose_measurement_failed_still_lands_flagged(tmp_path: Path) -> None:
    rig = Rig(tmp_path, BrokenMeter())
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot])
    assert rig.runner.run(job_id) == "completed"
    quality = rig.take_added(job_id).take["quality"]
    assert quality["flags"] == ["unmeasured"]
    assert quality["temporal_consistency"] is None and quality["motion"] is None
    assert "TakeUnreadable" in quality["error"] and "could not be decoded" in quality["error"]


def test_an_image_take_is_not_measured(tmp_path: Path) -> None:
    rig = Rig(tmp_path, FrameQualityMeter())
    request = {"prompt": "the pier", "width": 256, "height": 256, "seed": 3, "num_frames": 1}
    job_id = rig.engine.request(rig.pid, "image", request, shot_id=rig.shot)
    assert rig.runner.run(job_id) == "completed"
    assert rig.take_added(job_id).take["quality"] is None


def test_a_runner_without_a_meter_records_no_quality(tmp_path: Path) -> None:
    rig = Rig(tmp_path, None)
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot])
    assert rig.runner.run(job_id) == "completed"
    assert rig.take_added(job_id).take["quality"] is None
