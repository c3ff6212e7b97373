"""auto_continue: a shot whose first frame is the previous shot's last frame.

The previous shot is the one before it on V1, in timeline order. At request time its active
take's last frame becomes an image conditioning item at frame 0, with the still's sha256 and
where it came from. When that shot is generated in the same batch, its take does not exist yet:
the request records `continue_from` (its shot and job), and the worker resolves it once that job
has finished (ContinueFrom, below), recording what it used for the audit.
"""

import time
from collections.abc import Callable
from typing import Any

from application.engine.ports import GenerationCancelled, MediaStore, MediaTools, ShouldCancel
from application.studio import Studio
from domain.errors import DomainError
from domain.job.aggregate import Job
from domain.project.shot import Shot
from domain.project.state import ProjectState
from domain.project.track import MAGNETIC
from domain.timeline import active_take, track_shots

WAIT_SECONDS = 3600.0  # the longest a shot waits for the shot it continues
POLL_SECONDS = 0.5


class ContinuationUnavailable(DomainError):
    """The previous shot's take cannot give its last frame (the message says what to do)."""


def previous_shot(state: ProjectState, shot: Shot) -> Shot | None:
    if shot.track != MAGNETIC:
        return None
    order = track_shots(state, MAGNETIC)
    at = next(i for i, s in enumerate(order) if s.id == shot.id)
    return order[at - 1] if at else None


def continued(
    request: dict[str, Any],
    state: ProjectState,
    shot: Shot,
    media: MediaStore,
    tools: MediaTools | None,
    batch: dict[str, str],
) -> dict[str, Any]:
    """The request with what auto_continue adds: an image conditioning item at frame 0, or
    `continue_from`. Nothing when the shot does not continue, its own conditioning already fixes
    its first frame, or nothing before it has a take or is being generated."""
    if not shot.auto_continue or any(c.frame_index == 0 for c in shot.conditioning):
        return request
    previous = previous_shot(state, shot)
    if previous is None:
        return request
    if previous.id in batch:
        return {**request, "continue_from": {"shot_id": previous.id, "job_id": batch[previous.id]}}
    take = active_take(previous)
    if take is None:
        return request
    if tools is None or media.sha256(take.path) is None:
        raise ContinuationUnavailable(
            f"shot {shot.id[:8]} continues shot {previous.id[:8]}, whose active take's file "
            f"{take.path} is missing: generate that shot again, or set auto_continue=false"
        )
    source = {"shot_id": previous.id, "take_id": take.id}
    return with_item(request, still_item(tools.last_frame_still(take.path), media, source))


def still_item(still: str, media: MediaStore, source: dict[str, Any]) -> dict[str, Any]:
    return {
        "asset": still,
        "frame_index": 0,
        "strength": 1.0,
        "type": "image",
        "sha256": media.sha256(still),
        "source": source,
    }


def with_item(request: dict[str, Any], item: dict[str, Any] | None) -> dict[str, Any]:
    if item is None:
        return request
    return {**request, "conditioning": [*request.get("conditioning", []), item]}


class ContinueFrom:
    """Worker side of `continue_from`: wait (bounded, cancellable) for the job of the previous
    shot, then condition on its last frame, or run unconditioned if it did not complete."""

    def __init__(
        self,
        studio: Studio,
        media: MediaStore,
        tools: MediaTools | None,
        wait_seconds: float = WAIT_SECONDS,
        poll_seconds: float = POLL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.studio, self.media, self.tools = studio, media, tools
        self.wait_seconds, self.poll_seconds = wait_seconds, poll_seconds
        self.clock, self.sleep = clock, sleep

    def resolve(self, job: Job, cancelled: ShouldCancel) -> dict[str, Any]:
        """The job's request with its continuation item in place (recorded once per job)."""
        source = job.request.get("continue_from")
        if not source:
            return job.request
        resolved = job.continued_from
        if resolved is None or not self._still_there(resolved["item"]):
            item, note = self._wait_and_extract(source, cancelled)
            actor = self.studio.actor
            self.studio.edit_job(
                job.id, lambda j: j.resolve_conditioning(actor, source, item, note)
            )
            resolved = {"item": item}
        return with_item(job.request, resolved["item"])

    def _still_there(self, item: dict[str, Any] | None) -> bool:
        return item is None or self.media.sha256(item["asset"]) == item["sha256"]

    def _wait_and_extract(
        self, source: dict[str, Any], cancelled: ShouldCancel
    ) -> tuple[dict[str, Any] | None, str]:
        job_id = str(source["job_id"])
        deadline = self.clock() + self.wait_seconds
        while True:
            other = self.studio.job(job_id)
            if other.finished:
                break
            if cancelled():
                raise GenerationCancelled(None)
            if self.clock() >= deadline:
                return None, (
                    f"job {job_id[:8]} of the previous shot was still {other.status} after "
                    f"{self.wait_seconds:.0f} s: ran unconditioned"
                )
            self.sleep(self.poll_seconds)
        output = other.output or {}
        path = output.get("path")
        if other.status != "completed" or not path or self.tools is None:
            why = other.status if other.status != "completed" else "completed without a file"
            return None, f"job {job_id[:8]} of the previous shot {why}: ran unconditioned"
        if self.media.sha256(path) != output.get("sha256"):
            return None, f"the take of job {job_id[:8]} changed on disk: ran unconditioned"
        still = self.tools.last_frame_still(path)
        item = still_item(still, self.media, {"shot_id": source["shot_id"], "job_id": job_id})
        return item, f"continues from the last frame of job {job_id[:8]}"
