"""Running a generation: a shot that fits the backend in one call, or a long shot as a chain.

Segment i > 0 is a request of its own: its frame count, a seed derived from the shot's, and the
last frames of segment i-1 as a video conditioning item at frame 0 (role "continuation"); it
also carries where it sits in the shot (`segment`: start frame, total), so the animatic
continues its camera move and timing. Each finished segment is recorded (SegmentCompleted);
a re-run skips those whose file still has its recorded sha256. The segments are stitched
frame-exactly: segment 0 whole, the first `overlap` frames of every later one dropped; the
stitched file is the take, and the segment files go.
Progress counts every segment's frames over the whole shot.
"""

import math
import time
from pathlib import Path
from typing import Any

from application.engine.continuation import ContinueFrom
from application.engine.ports import (
    GenerationBackend,
    GenerationCancelled,
    GenerationOutput,
    MediaStore,
    MediaTools,
    OnStep,
    ShouldCancel,
    TransientError,
)
from application.engine.segments import Segment, plan_from_request, segment_seed
from application.studio import Studio
from domain.job.aggregate import Job


class ChainUnavailable(RuntimeError):
    """A long shot reached a worker that has no media tools to chain it."""


def segment_path(output_path: str, index: int, suffix: str = "") -> str:
    out = Path(output_path)
    return str(out.with_name(f"{out.stem}.segment-{index}{suffix}{out.suffix}"))


def in_segment(
    conditioning: list[dict[str, Any]], segment: Segment, last: bool
) -> list[dict[str, Any]]:
    """The shot's own conditioning that falls in the segment's new frames, re-indexed to it.
    Reference videos (ic_lora) guide every segment."""
    items = []
    end = segment.start + segment.num_frames
    for item in conditioning:
        if item.get("type") == "video":
            items.append(item)
            continue
        frame = int(item.get("frame_index", 0))
        if segment.start + segment.overlap <= frame < end or (last and frame >= end):
            items.append({**item, "frame_index": min(frame, end - 1) - segment.start})
    return items


class GenerationRun:
    def __init__(
        self,
        studio: Studio,
        media: MediaStore,
        tools: MediaTools | None,
        continue_from: ContinueFrom | None = None,
    ):
        self.studio, self.media, self.tools = studio, media, tools
        self.continue_from = continue_from or ContinueFrom(studio, media, tools)

    def generate(
        self,
        job: Job,
        backend: GenerationBackend,
        output_path: str,
        on_step: OnStep,
        cancelled: ShouldCancel,
    ) -> GenerationOutput:
        request = self.continue_from.resolve(job, cancelled)
        if len(request.get("segments") or []) <= 1:  # images, masks, and shots that fit
            return backend.generate(request, output_path, on_step, cancelled)
        segments = plan_from_request(request)
        if self.tools is None:
            raise ChainUnavailable("this worker has no media tools to chain a long shot")
        return _Chain(self, job, backend, request, segments, output_path).run(on_step, cancelled)


class _Chain:
    def __init__(
        self,
        run: GenerationRun,
        job: Job,
        backend: GenerationBackend,
        request: dict[str, Any],
        segments: list[Segment],
        output_path: str,
    ):
        assert run.tools is not None
        self.studio, self.media, self.tools = run.studio, run.media, run.tools
        self.job, self.backend, self.request = job, backend, request
        self.segments, self.output_path = segments, output_path
        self.work = sum(s.num_frames for s in segments)

    def run(self, on_step: OnStep, cancelled: ShouldCancel) -> GenerationOutput:
        """The stitched take. Segment files are scratch for a resume: removed once stitched,
        or when the job ends without a take (cancelled, failed); kept when the worker dies or
        the error is worth another attempt of the same job."""
        try:
            output = self._run(on_step, cancelled)
        except TransientError:
            raise
        except Exception:
            self._remove_segments()
            raise
        self._remove_segments()
        return output

    def _remove_segments(self) -> None:
        for segment in self.segments:
            for suffix in ("", ".lead"):
                Path(segment_path(self.output_path, segment.index, suffix)).unlink(missing_ok=True)

    def _run(self, on_step: OnStep, cancelled: ShouldCancel) -> GenerationOutput:
        done, paths = 0, []
        inference = encode = 0.0
        extra: dict[str, Any] = {}
        for segment in self.segments:
            recorded = self.job.segment_done(segment.index)
            if recorded is not None and self.media.sha256(recorded["path"]) == recorded["sha256"]:
                paths.append(str(recorded["path"]))
                done += segment.num_frames
                continue
            if cancelled():
                raise GenerationCancelled(done)
            output = self._segment(segment, paths[-1] if paths else None, done, on_step, cancelled)
            inference += output.inference_seconds
            encode += output.encode_seconds
            extra.update(output.extra)
            paths.append(output.path)
            done += segment.num_frames
        started = time.perf_counter()
        total = int(self.request["num_frames"])
        overlap = max(s.overlap for s in self.segments)
        self.tools.stitch(paths, overlap, total, self.output_path)
        encode += time.perf_counter() - started
        return GenerationOutput(
            self.output_path,
            int(self.request["width"]),
            int(self.request["height"]),
            total,
            float(self.request["fps"]),
            inference,
            encode,
            {**extra, "segments": len(self.segments)},
        )

    def _segment(
        self,
        segment: Segment,
        previous: str | None,
        done: int,
        on_step: OnStep,
        cancelled: ShouldCancel,
    ) -> GenerationOutput:
        path = segment_path(self.output_path, segment.index)
        lead = segment_path(self.output_path, segment.index, ".lead")
        request = self._request(segment, previous, lead)

        reached = [done]

        def step(at: int, total: int, frames_done: int | None) -> None:
            reached[0] = done + math.ceil(segment.num_frames * at / max(1, total))
            frames = None if frames_done is None else segment.start + frames_done
            on_step(reached[0], self.work, frames)

        try:
            output = self.backend.generate(request, path, step, cancelled)
        except GenerationCancelled as stop:
            raise GenerationCancelled(reached[0]) from stop
        finally:
            Path(lead).unlink(missing_ok=True)
        sha256 = self.media.sha256(output.path)
        if sha256 is None:
            raise RuntimeError(f"segment {segment.index} left no file at {output.path}")
        actor = self.studio.actor
        self.studio.edit_job(
            self.job.id,
            lambda j: j.complete_segment(actor, segment.index, output.path, sha256, output.frames),
        )
        return output

    def _request(self, segment: Segment, previous: str | None, lead: str) -> dict[str, Any]:
        shot = self.request
        last = segment.index == len(self.segments) - 1
        conditioning = in_segment(list(shot.get("conditioning") or []), segment, last)
        if previous is not None:
            self.tools.last_frames(previous, segment.overlap, lead)
            conditioning.append(
                {
                    "asset": lead,
                    "frame_index": 0,
                    "strength": 1.0,
                    "type": "video",
                    "role": "continuation",
                    "sha256": self.media.sha256(lead),
                }
            )
        request = {k: v for k, v in shot.items() if k != "segments"}
        request.update(
            num_frames=segment.num_frames,
            seed=segment_seed(int(shot["seed"]), segment.index),
            conditioning=conditioning,
            segment={
                **segment.as_dict(),
                "count": len(self.segments),
                "total": int(shot["num_frames"]),
                "shot_seed": int(shot["seed"]),
            },
        )
        return request
