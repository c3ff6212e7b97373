"""Running one job on a worker: the body of the worker's actor, safe to run twice.

A message may be delivered again (a worker killed mid-job, a broker restart): a job that already
finished does nothing; one that was running records a new JobStarted and runs again. Progress is
published live on every step and stored at most about four times a second.
"""

import os
import socket
import time
from collections.abc import Callable
from typing import Any

from application.engine.chain import GenerationRun
from application.engine.ports import (
    BackendLoader,
    GenerationCancelled,
    Heartbeat,
    LiveFeed,
    MediaStore,
    MediaTools,
    ReportsModelSwaps,
    TakeMeter,
    Thumbnailer,
    TransientError,
)
from application.engine.worker_presence import WorkerActivity
from application.studio import Studio
from domain.job.aggregate import Job
from domain.job.status import TAKE_KINDS
from domain.project.aggregate import Project
from domain.project.asset import asset_of_job
from domain.project.look import look_of_job

ProjectCommand = Callable[[Project], object]
STORE_EVERY = 0.25  # seconds between stored FrameProgress events of one job
TRANSIENT_ATTEMPTS = 3

OOM_ADVICE = (
    "out of memory: try a smaller size, fewer frames, fewer steps, or another model; "
    "the job was not retried, since the same request would fail the same way"
)


def is_out_of_memory(error: BaseException) -> bool:
    name = type(error).__name__
    return name in ("OutOfMemoryError", "MemoryError") or "out of memory" in str(error).lower()


class JobRunner:
    def __init__(
        self,
        studio: Studio,
        loader: BackendLoader,
        media: MediaStore,
        live: LiveFeed | None = None,
        clock: Callable[[], float] = time.monotonic,
        backoff: Callable[[int], float] = lambda attempt: 0.5 * 2**attempt,
        heartbeat: Heartbeat | None = None,
        thumbnailer: Thumbnailer | None = None,
        tools: MediaTools | None = None,
        meter: TakeMeter | None = None,
        activity: WorkerActivity | None = None,
    ):
        self.studio = studio
        # One call of the backend, or a long shot's chain of segments, with auto_continue resolved.
        self.generation = GenerationRun(studio, media, tools)
        self.thumbnailer = thumbnailer
        self.meter = meter
        self.activity = activity  # the worker's registry entry: what it is doing
        self.loader = loader
        self.media = media
        self.live = live
        self.heartbeat = heartbeat
        self.clock = clock
        self.backoff = backoff
        self.worker = {"host": socket.gethostname(), "pid": os.getpid()}

    def run(self, job_id: str, reason: str | None = None) -> str:
        """Run a job to a final status (idempotent); returns that status."""
        for transient_attempt in range(TRANSIENT_ATTEMPTS):
            job = self.studio.job(job_id)
            if job.finished:
                return job.status
            if job.cancel_requested:
                self.studio.edit_job(job_id, lambda j: j.cancelled(self.studio.actor, None))
                return "cancelled"
            if job.status == "running" and reason is None:
                if self.heartbeat is not None and self.heartbeat.alive(job_id):
                    return "running"  # a live worker has it: this is a duplicate delivery
                reason = "its worker stopped heartbeating before it finished"
            try:
                if self.heartbeat is not None:
                    self.heartbeat.beat(job_id)
                return self._attempt(job, reason)
            except TransientError as error:
                if transient_attempt == TRANSIENT_ATTEMPTS - 1:
                    self._fail(job_id, error, retryable=True)
                    return "failed"
                reason = f"retry after a transient error: {error}"
                time.sleep(self.backoff(transient_attempt))
            finally:
                if self.heartbeat is not None:
                    self.heartbeat.stop(job_id)
                if self.activity is not None:
                    self.activity.job_finished(job_id)
        return self.studio.job(job_id).status

    def _attempt(self, job: Job, reason: str | None) -> str:
        job_id, request = job.id.hex, job.request
        queued_at = job.requested_at.timestamp()
        load_started = self.clock()
        try:
            backend, resident, load_seconds = self.loader.load(request["backend"], request["model"])
        except TransientError:
            raise
        except Exception as error:
            self._fail(job_id, error, retryable=False)
            return "failed"
        self.studio.edit_job(
            job_id,
            lambda j: j.start(
                self.studio.actor,
                {**self.worker, "device": self.loader.device()},
                request["backend"],
                backend.model_info(),
                resident,
                load_seconds,
                reason,
            ),
        )
        swap = self.loader.last_swap if isinstance(self.loader, ReportsModelSwaps) else None
        if swap and not resident:
            self.studio.edit_job(job_id, lambda j: j.record_model_swap(self.studio.actor, swap))
        if self.activity is not None:
            self.activity.job_started(job_id, job.kind, job.shot_id, job.project_id)
        started = self.clock()
        progress = _Progress(self, job_id, started)
        output_path = self.media.output_path(job.project_id, job_id, job.kind)
        try:
            output = self.generation.generate(
                job, backend, output_path, progress.on_step, progress.cancelled
            )
        except GenerationCancelled as stop:
            at_step = stop.step
            self.studio.edit_job(job_id, lambda j: j.cancelled(self.studio.actor, at_step))
            return "cancelled"
        except TransientError:
            raise
        except Exception as error:
            self._fail(job_id, error, retryable=False)
            return "failed"
        finished = self.clock()
        record: dict[str, Any] = {
            "path": output.path,
            "sha256": self.media.sha256(output.path),
            "width": output.width,
            "height": output.height,
            "frames": output.frames,
            "fps": output.fps,
            "duration": round(output.duration, 4),
            **output.extra,
        }
        timings = {
            "queue_wait": round(max(0.0, time.time() - queued_at - (finished - load_started)), 4),
            "load": round(load_seconds, 4),
            "inference": round(output.inference_seconds, 4),
            "encode": round(output.encode_seconds, 4),
            "total": round(finished - load_started, 4),
            "gpu_seconds": round(finished - started, 4) if self.loader.device() != "cpu" else 0.0,
        }
        if job.kind in TAKE_KINDS and job.shot_id:
            record.update(self._thumbnail(job, record["path"], output.poster))
        if job.kind == "video" and job.shot_id and self.meter is not None:
            record["quality"], timings["measure"] = self._measure(record["path"])
        result: ProjectCommand | None
        if job.kind in TAKE_KINDS and job.shot_id:
            result = self._take(job, record)
        elif job.kind == "concept" and job.shot_id:
            result = self._concept_art(job, record)
        elif job.kind == "image" and job.request.get("element_id"):
            result = self._look(job, record)
        else:
            result = self._asset(job, record)
        self.studio.edit_job_and_project(
            job_id,
            lambda j: j.complete(self.studio.actor, record, timings),
            job.project_id,
            result,
        )
        return "completed"

    # What a finished job adds to its project, saved with its JobCompleted.

    def _take(self, job: Job, record: dict[str, Any]) -> ProjectCommand:
        take = {
            "id": job.id.hex,
            "job_id": job.id.hex,
            "path": record["path"],
            "sha256": record["sha256"],
            "num_frames": record["frames"],
            "width": record["width"],
            "height": record["height"],
            "element_versions": job.request.get("element_versions", {}),
            "thumbnail": record.get("thumbnail"),
            "seed": job.request.get("seed"),
            "group": job.group,
            "variant": job.variant,
            "quality": record.get("quality"),
        }
        shot_id = job.shot_id
        assert shot_id is not None
        return lambda p: p.add_take(self.studio.actor, shot_id, take)

    def _thumbnail(self, job: Job, path: str, poster: Any) -> dict[str, Any]:
        """The take's thumbnail, or why there is none: a failed thumbnail never fails a job."""
        if self.thumbnailer is None:
            return {"thumbnail": None}
        try:
            made = self.thumbnailer.thumbnail(path, job.project_id, job.id.hex, poster)
            return {"thumbnail": made}
        except Exception as error:
            reason = f"{type(error).__name__}: {error}"[:500]
            return {"thumbnail": None, "thumbnail_error": reason}

    def _measure(self, path: str) -> tuple[dict[str, Any], float]:
        """The take's quality and the seconds it took; a failed measurement never fails a job:
        the take lands with no figures, flagged unmeasured, and the reason."""
        assert self.meter is not None
        began = self.clock()
        try:
            quality = self.meter.measure(path)
        except Exception as error:
            quality = {
                **dict.fromkeys(("temporal_consistency", "motion", "sharpness", "exposure")),
                "flags": ["unmeasured"],
                "error": f"{type(error).__name__}: {error}"[:500],
            }
        return quality, round(self.clock() - began, 4)

    def _concept_art(self, job: Job, record: dict[str, Any]) -> ProjectCommand:
        shot_id, path = job.shot_id, record["path"]
        assert shot_id is not None
        return lambda p: p.add_concept_art(self.studio.actor, shot_id, job.id.hex, path)

    def _look(self, job: Job, record: dict[str, Any]) -> ProjectCommand:
        """An element's visualize or edit-look image becomes one of its looks."""
        element_id, look = job.request["element_id"], look_of_job(job.id.hex, job.request, record)
        return lambda p: p.add_look(self.studio.actor, element_id, look)

    def _asset(self, job: Job, record: dict[str, Any]) -> ProjectCommand | None:
        """A mask, an inpainted image or a shot-less image joins the project's assets."""
        prompt = str(job.request.get("prompt") or "")
        fields = asset_of_job(job.kind, job.id.hex, record, prompt)
        if fields is None:
            return None
        return lambda p: p.add_asset(self.studio.actor, **fields)

    def _fail(self, job_id: str, error: BaseException, retryable: bool) -> None:
        message = OOM_ADVICE if is_out_of_memory(error) else str(error) or type(error).__name__
        self.studio.edit_job(
            job_id,
            lambda j: j.fail(self.studio.actor, type(error).__name__, message, retryable),
        )


class _Progress:
    """The backend's per-step callbacks: publish live, store throttled, check for cancel."""

    def __init__(self, runner: JobRunner, job_id: str, started: float):
        self.runner = runner
        self.job_id = job_id
        self.started = started
        self.last_stored = -1e9
        self.step: int | None = None

    def on_step(self, step: int, total: int, frames_done: int | None) -> None:
        self.step = step
        now = self.runner.clock()
        elapsed = now - self.started
        eta = elapsed / step * (total - step) if step else None
        message = {
            "step": step,
            "total": total,
            "frames_done": frames_done,
            "elapsed": elapsed,
            "eta": eta,
        }
        if self.runner.live is not None:
            self.runner.live.publish(self.job_id, message)
        if self.runner.activity is not None:
            self.runner.activity.job_progress(self.job_id, step, total)
        if step in (1, total) or now - self.last_stored >= STORE_EVERY:
            self.last_stored = now
            actor = self.runner.studio.actor
            self.runner.studio.edit_job(
                self.job_id,
                lambda j: j.record_progress(actor, step, total, frames_done, elapsed, eta),
            )

    def cancelled(self) -> bool:
        return self.runner.studio.job(self.job_id).cancel_requested
