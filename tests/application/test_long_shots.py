"""Long shots and auto_continue on the animatic backend, with real media tools and files.

A shot longer than one backend call (121 frames) runs as a chain of overlapping segments,
stitched frame-exactly; each finished segment is recorded, so a crashed worker resumes at the
next one. A shot with auto_continue starts from the previous shot's last frame.
"""

from pathlib import Path
from typing import Any
from uuid import UUID

import av
import numpy as np
import pytest
from PIL import Image

from application.engine.continuation import ContinuationUnavailable, ContinueFrom
from application.engine.engine import Engine
from application.engine.ports import GenerationOutput, OnStep, ShouldCancel
from application.engine.runner import JobRunner
from application.studio import Studio
from infrastructure.media_store import LocalMediaStore
from infrastructure.media_tools import LocalMediaTools
from models.animatic.backend import AnimaticBackend
from models.catalog import ModelCatalog
from models.media import ffmpeg_exe
from tests.application.engine_fakes import RecordingDispatcher

SIZE = {"width": 256, "height": 256, "fps": 25}


class Crash(BaseException):
    """What a killed worker looks like to the code after it: nothing more runs."""


class CountingAnimatic:
    """The real animatic, counting its calls; optionally crashing on a given call."""

    name = "animatic"

    def __init__(self, crash_on_call: int | None = None):
        self.inner = AnimaticBackend()
        self.requests: list[dict[str, Any]] = []
        self.crash_on_call = crash_on_call

    def model_info(self) -> dict[str, Any]:
        return self.inner.model_info()

    def generate(
        self, request: dict[str, Any], output_path: str, on_step: OnStep, cancelled: ShouldCancel
    ) -> GenerationOutput:
        self.requests.append(request)
        if len(self.requests) == self.crash_on_call:
            raise Crash()
        return self.inner.generate(request, output_path, on_step, cancelled)


class Loader:
    def __init__(self, backend: CountingAnimatic):
        self.backend = backend

    def load(self, backend: str, model: str) -> tuple[CountingAnimatic, bool, float]:
        return self.backend, True, 0.0

    def device(self) -> str:
        return "cpu"


class Rig:
    def __init__(self, tmp_path: Path, backend: CountingAnimatic | None = None):
        self.studio = Studio(env={}, actor="ana@box")
        self.media = LocalMediaStore(tmp_path / "media")
        self.tools = LocalMediaTools(tmp_path / "media", ffmpeg_exe())
        self.backend = backend or CountingAnimatic()
        self.engine = Engine(
            self.studio,
            ModelCatalog(None),
            self.media,
            RecordingDispatcher(),
            tools=self.tools,
        )
        self.runner = JobRunner(
            self.studio, Loader(self.backend), self.media, backoff=lambda _: 0.0, tools=self.tools
        )
        self.pid = self.studio.create_project("Crossing", **SIZE)
        self.scene = self.studio.add_scene(self.pid, "Deck")

    def shot(self, **fields: Any) -> str:
        fields = {"prompt": "the ship turns", "shot_type": "wide", **fields}
        return self.studio.add_shot(self.pid, self.scene, **fields)

    def events(self, job_id: str) -> list[Any]:
        return list(self.studio.events.get(UUID(job_id)))

    def names(self, job_id: str) -> list[str]:
        return [type(e).__name__ for e in self.events(job_id)]


def frames_of(path: str) -> np.ndarray:
    with av.open(path) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return Rig(tmp_path)


def test_a_281_frame_shot_runs_as_three_segments_stitched_to_exactly_281_frames(
    rig: Rig,
) -> None:
    shot = rig.shot(num_frames=281)
    (job_id,) = rig.engine.generate(rig.pid, [shot])
    request = rig.studio.job(job_id).request
    assert [s["num_frames"] for s in request["segments"]] == [105, 105, 105]
    assert rig.runner.run(job_id) == "completed"

    names = rig.names(job_id)
    assert names.count("SegmentCompleted") == 3 and names[-1] == "JobCompleted"
    job = rig.studio.job(job_id)
    assert [s["index"] for s in job.segments_done] == [0, 1, 2]
    assert job.output is not None and job.output["segments"] == 3
    assert job.output["frames"] == 281 and rig.tools.frame_count(job.output["path"]) == 281
    take_dir = Path(job.output["path"]).parent
    assert [p.name for p in take_dir.glob(f"{job_id}*")] == [f"{job_id}.mp4"]  # scratch gone

    # Later segments: their own length and seed, the previous segment's last 17 frames
    # (exactly them) at frame 0, and their place in the shot for the animatic's timing.
    calls = rig.backend.requests
    assert [c["num_frames"] for c in calls] == [105, 105, 105]
    assert len({c["seed"] for c in calls}) == 3 and calls[0]["seed"] == request["seed"]
    assert [c["segment"]["start"] for c in calls] == [0, 88, 176]
    (lead,) = calls[1]["conditioning"]
    assert lead["type"] == "video" and lead["role"] == "continuation" and lead["frame_index"] == 0
    assert not Path(lead["asset"]).exists()  # the lead clip is removed once used

    # The animatic carries its camera move and timing across segments: the stitched take is
    # the single-pass render of the same shot, frame for frame (up to encoding).
    single = rig.media.output_path(rig.pid, "single", "video")
    AnimaticBackend().generate(
        {**{k: v for k, v in request.items() if k != "segments"}},
        single,
        lambda *_: None,
        lambda: False,
    )
    stitched, whole = frames_of(job.output["path"]), frames_of(single)
    assert stitched.shape == whole.shape
    assert np.abs(stitched.astype(int) - whole.astype(int)).mean() < 2.0


def test_progress_runs_once_over_the_whole_shot(rig: Rig) -> None:
    seen: list[tuple[int, int]] = []

    class Feed:
        def publish(self, job_id: str, message: dict[str, Any]) -> None:
            seen.append((message["step"], message["total"]))

    rig.runner.live = Feed()
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot(num_frames=137)])
    rig.runner.run(job_id)
    totals = {total for _, total in seen}
    steps = [step for step, _ in seen]
    assert totals == {81 + 73}
    assert steps == sorted(steps) and steps[-1] == 81 + 73
    assert rig.studio.job(job_id).progress == 100.0


def test_a_crashed_chain_resumes_at_the_next_segment(tmp_path: Path) -> None:
    rig = Rig(tmp_path, CountingAnimatic(crash_on_call=2))
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot(num_frames=281)])
    with pytest.raises(Crash):
        rig.runner.run(job_id)
    job = rig.studio.job(job_id)
    assert job.status == "running" and [s["index"] for s in job.segments_done] == [0]

    # The message comes again: segment 0 is not made again, the job completes.
    assert rig.runner.run(job_id, reason="its worker died") == "completed"
    starts = [c["segment"]["start"] for c in rig.backend.requests]
    assert starts == [0, 88, 88, 176]
    output = rig.studio.job(job_id).output
    assert output is not None and rig.tools.frame_count(output["path"]) == 281
    assert rig.names(job_id).count("SegmentCompleted") == 3


def test_a_segment_whose_file_changed_is_made_again(tmp_path: Path) -> None:
    rig = Rig(tmp_path, CountingAnimatic(crash_on_call=3))
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot(num_frames=281)])
    with pytest.raises(Crash):
        rig.runner.run(job_id)
    first = rig.studio.job(job_id).segments_done[0]["path"]
    Path(first).write_bytes(b"damaged")
    assert rig.runner.run(job_id, reason="re-run") == "completed"
    assert [c["segment"]["index"] for c in rig.backend.requests] == [0, 1, 2, 0, 2]


def test_cancel_mid_chain_stops_it_with_the_finished_segments_recorded(rig: Rig) -> None:
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot(num_frames=281)])

    class CancelInSegmentTwo:
        def publish(self, job_id: str, message: dict[str, Any]) -> None:
            if message["step"] > 105 + 40:
                rig.engine.cancel(job_id)

    rig.runner.live = CancelInSegmentTwo()
    assert rig.runner.run(job_id) == "cancelled"
    job = rig.studio.job(job_id)
    assert [s["index"] for s in job.segments_done] == [0]
    cancelled = rig.events(job_id)[-1]
    assert type(cancelled).__name__ == "JobCancelled" and 105 < cancelled.at_step < 210
    take_dir = Path(rig.media.output_path(rig.pid, job_id, "video")).parent
    assert list(take_dir.glob(f"{job_id}*")) == []  # a cancelled job leaves no files
    assert not rig.studio.project(rig.pid).state.shots[job.shot_id or ""].takes


def test_a_shot_that_fits_runs_in_one_call_with_no_segments(rig: Rig) -> None:
    (job_id,) = rig.engine.generate(rig.pid, [rig.shot(num_frames=121)])
    assert "segments" not in rig.studio.job(job_id).request
    assert rig.runner.run(job_id) == "completed"
    assert "SegmentCompleted" not in rig.names(job_id)
    assert len(rig.backend.requests) == 1 and "segment" not in rig.backend.requests[0]


# auto_continue


def last_frame(path: str) -> np.ndarray:
    return frames_of(path)[-1]


def test_auto_continue_conditions_on_the_previous_takes_last_frame(rig: Rig) -> None:
    first = rig.shot(num_frames=33)
    second = rig.shot(num_frames=33, auto_continue=True)
    (job_1,) = rig.engine.generate(rig.pid, [first])
    rig.runner.run(job_1)
    take = rig.studio.project(rig.pid).state.shots[first].takes[0]

    (job_2,) = rig.engine.generate(rig.pid, [second])
    (item,) = rig.studio.job(job_2).request["conditioning"]
    assert item["frame_index"] == 0 and item["type"] == "image"
    assert item["source"] == {"shot_id": first, "take_id": take.id}
    assert item["sha256"] == rig.media.sha256(item["asset"])
    assert Path(item["asset"]).stem == item["sha256"]  # content-addressed
    still = np.asarray(Image.open(item["asset"]).convert("RGB"))
    assert np.array_equal(still, last_frame(take.path))
    assert rig.runner.run(job_2) == "completed"
    assert rig.backend.requests[-1]["conditioning"] == [item]


def test_auto_continue_without_a_previous_take_or_shot_adds_nothing(rig: Rig) -> None:
    first = rig.shot(num_frames=33, auto_continue=True)
    second = rig.shot(num_frames=33, auto_continue=True)
    (job_1,) = rig.engine.generate(rig.pid, [first])
    (job_2,) = rig.engine.generate(rig.pid, [second])
    for job_id in (job_1, job_2):
        request = rig.studio.job(job_id).request
        assert request["conditioning"] == [] and "continue_from" not in request


def test_a_missing_previous_take_file_rejects_the_request_saying_what_to_do(rig: Rig) -> None:
    first = rig.shot(num_frames=33)
    second = rig.shot(num_frames=33, auto_continue=True)
    (job_1,) = rig.engine.generate(rig.pid, [first])
    rig.runner.run(job_1)
    Path(rig.studio.project(rig.pid).state.shots[first].takes[0].path).unlink()
    recorded = rig.studio.recorder.max_notification_id()
    with pytest.raises(ContinuationUnavailable, match="auto_continue=false"):
        rig.engine.generate(rig.pid, [second])
    assert rig.studio.recorder.max_notification_id() == recorded  # nothing was recorded


def test_auto_continue_within_one_batch_waits_for_the_previous_job(rig: Rig) -> None:
    first = rig.shot(num_frames=33)
    rig.shot(num_frames=137, auto_continue=True)
    job_1, job_2 = rig.engine.generate(rig.pid, [], all_shots=True)
    request = rig.studio.job(job_2).request
    assert request["continue_from"] == {"shot_id": first, "job_id": job_1}
    assert request["conditioning"] == []

    assert rig.runner.run(job_1) == "completed"
    assert rig.runner.run(job_2) == "completed"
    resolved = [e for e in rig.events(job_2) if type(e).__name__ == "ConditioningResolved"]
    assert len(resolved) == 1 and resolved[0].item is not None
    take_1 = rig.studio.job(job_1).output
    assert take_1 is not None
    still = np.asarray(Image.open(resolved[0].item["asset"]).convert("RGB"))
    assert np.array_equal(still, last_frame(take_1["path"]))
    # The long second shot: only its first segment starts from the first shot's frame.
    segment_0, segment_1 = rig.backend.requests[1:]
    assert segment_0["conditioning"] == [resolved[0].item]
    assert [c.get("role") for c in segment_1["conditioning"]] == ["continuation"]


def test_a_previous_job_that_failed_or_never_ends_leaves_the_shot_unconditioned(
    rig: Rig,
) -> None:
    rig.shot(num_frames=33)
    rig.shot(num_frames=33, auto_continue=True)
    _, job_2 = rig.engine.generate(rig.pid, [], all_shots=True)
    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    rig.runner.generation.continue_from = ContinueFrom(
        rig.studio, rig.media, rig.tools, wait_seconds=5, clock=lambda: clock[0], sleep=sleep
    )
    assert rig.runner.run(job_2) == "completed"  # job 1 never ran: waited 5 s, then went on
    (event,) = [e for e in rig.events(job_2) if type(e).__name__ == "ConditioningResolved"]
    assert event.item is None and "still queued after 5 s" in event.note
    assert clock[0] >= 5

    job_3, job_4 = rig.engine.generate(rig.pid, [], all_shots=True)
    rig.engine.cancel(job_3)
    assert rig.runner.run(job_4) == "completed"
    (event,) = [e for e in rig.events(job_4) if type(e).__name__ == "ConditioningResolved"]
    assert event.item is None and "cancelled: ran unconditioned" in event.note


def test_waiting_for_the_previous_shot_can_be_cancelled(rig: Rig) -> None:
    rig.shot(num_frames=33)
    rig.shot(num_frames=33, auto_continue=True)
    _, job_2 = rig.engine.generate(rig.pid, [], all_shots=True)

    def sleep(seconds: float) -> None:
        rig.engine.cancel(job_2)

    rig.runner.generation.continue_from = ContinueFrom(
        rig.studio, rig.media, rig.tools, sleep=sleep
    )
    assert rig.runner.run(job_2) == "cancelled"
    assert rig.backend.requests == []
