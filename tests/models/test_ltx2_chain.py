"""A long shot on LTX-2 (the tiny random model): two segments, the second starting from the
first's last 17 frames through the condition pipeline, stitched to the shot's exact length.

The catalog's limit is lowered to 25 frames so a 33-frame shot chains in seconds on a CPU; the
planning, conditioning and stitching are the ones a 121-frame limit uses.
"""

from pathlib import Path
from typing import Any
from uuid import UUID

import numpy as np
import pytest

pytest.importorskip("diffusers")

import av

from application.engine.engine import Engine
from application.engine.runner import JobRunner
from application.studio import Studio
from infrastructure.media_store import LocalMediaStore
from infrastructure.media_tools import LocalMediaTools
from models.catalog import ModelCatalog
from models.loader import ResidentModels
from models.ltx2.backend import InvalidLTX2Request, LTX2Backend, choose_pipeline
from models.media import ffmpeg_exe
from tests.application.engine_fakes import RecordingDispatcher

WIDTH, HEIGHT, FPS, STEPS = 320, 256, 24, 2


class ShortCatalog(ModelCatalog):
    def max_frames(self, backend: str) -> int | None:
        return 25


def frames_of(path: str) -> np.ndarray:
    with av.open(path) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


def test_a_continuation_needs_the_condition_pipeline_and_is_no_reference_video() -> None:
    lead = {"asset": "lead.mp4", "frame_index": 0, "type": "video", "role": "continuation"}
    image = {"asset": "a.png", "frame_index": 0, "strength": 1.0, "type": "image"}
    reference = {"asset": "ref.mp4", "frame_index": 0, "type": "video"}
    assert choose_pipeline("ti2vid", [lead]) == "LTX2ConditionPipeline"
    assert choose_pipeline("ti2vid", [image, lead]) == "LTX2ConditionPipeline"
    assert choose_pipeline("ic_lora", [reference, lead]) == "LTX2InContextPipeline"
    with pytest.raises(InvalidLTX2Request, match="reference video"):
        choose_pipeline("ic_lora", [lead])


@pytest.mark.slow
def test_a_33_frame_shot_runs_as_two_conditioned_segments(
    tmp_path: Path, models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs: list[dict[str, Any]] = []
    real_inputs = LTX2Backend._inputs

    def spy(self: LTX2Backend, pipe: Any, class_name: str, request: dict, cond: list) -> Any:
        kwargs = real_inputs(self, pipe, class_name, request, cond)
        inputs.append({"class": class_name, **kwargs})
        return kwargs

    monkeypatch.setattr(LTX2Backend, "_inputs", spy)
    studio = Studio(env={}, actor="ana@gpu-box")
    media = LocalMediaStore(tmp_path / "media")
    tools = LocalMediaTools(tmp_path / "media", ffmpeg_exe())
    engine = Engine(studio, ShortCatalog(models_dir), media, RecordingDispatcher(), tools=tools)
    runner = JobRunner(studio, ResidentModels(), media, backoff=lambda _: 0.0, tools=tools)
    pid = studio.create_project("Lighthouse")
    scene = studio.add_scene(pid, "Stairs")
    shot = studio.add_shot(
        pid,
        scene,
        prompt="the beam sweeps the sea",
        width=WIDTH,
        height=HEIGHT,
        fps=FPS,
        num_frames=33,
        num_inference_steps=STEPS,
        seed=3,
    )
    (job_id,) = engine.generate(pid, [shot])
    assert [s["num_frames"] for s in studio.job(job_id).request["segments"]] == [25, 25]

    assert runner.run(job_id) == "completed", studio.job(job_id).error
    names = [type(e).__name__ for e in studio.events.get(UUID(job_id))]
    assert names.count("SegmentCompleted") == 2 and names[-1] == "JobCompleted"
    output = studio.job(job_id).output
    assert output is not None and output["segments"] == 2
    stitched = frames_of(output["path"])
    assert stitched.shape == (33, HEIGHT, WIDTH, 3)

    first, second = inputs
    assert first["class"] == "LTX2Pipeline" and "conditions" not in first
    assert second["class"] == "LTX2ConditionPipeline"
    (condition,) = second["conditions"]
    assert condition.index == 0 and len(condition.frames) == 17
    # The conditioning frames are segment 0's last 17, which the stitched take keeps whole
    # (re-encoded once more: close, not bit-equal).
    lead = np.stack([np.asarray(f) for f in condition.frames]).astype(int)
    assert np.abs(lead - stitched[8:25].astype(int)).mean() < 6.0
