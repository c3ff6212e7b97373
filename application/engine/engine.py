"""Requesting, cancelling and retrying generations: the commands of the engine."""

from dataclasses import dataclass
from typing import Any

from application.engine.concept_art import concept_request
from application.engine.enhance_rules import RuleBasedEnhancer
from application.engine.ports import (
    BackendCatalog,
    Dispatcher,
    MediaStore,
    MediaTools,
    PromptEnhancer,
)
from application.engine.requests import video_request
from application.studio import Studio
from domain.errors import InvalidValue
from domain.job.aggregate import Job
from domain.job.status import QUEUES


@dataclass(frozen=True)
class CancelOutcome:
    job_id: str
    status: str  # "cancelled", "cancelling", or the final status it already had
    changed: bool


class Engine:
    def __init__(
        self,
        studio: Studio,
        catalog: BackendCatalog,
        media: MediaStore,
        dispatcher: Dispatcher,
        enhancer: PromptEnhancer | None = None,
        tools: MediaTools | None = None,
    ):
        self.studio = studio
        self.tools = tools  # auto_continue takes the previous shot's last frame with them
        self.catalog = catalog
        self.media = media
        self.dispatcher = dispatcher
        # Shots with enhance_prompt get their prompt rewritten; the rules when no model is set.
        self.enhancer: PromptEnhancer = enhancer or RuleBasedEnhancer()

    def generate(self, project_id: str, shot_refs: list[str], all_shots: bool = False) -> list[str]:
        """One video job per shot (every V1/V2 shot with `all_shots`), recorded, then dispatched."""
        project = self.studio.project(project_id)
        state = project.state
        if all_shots:
            shots = [s for s in state.shots.values() if s.track != "A1"]
            shots.sort(key=lambda s: (state.scenes[s.scene_id].index, s.index))
        else:
            shots = [project.shot(ref) for ref in shot_refs]
        if not shots:
            raise InvalidValue(
                "nothing to generate: name shots, or use --all on a project with shots"
            )
        jobs = []
        batch: dict[str, str] = {}  # shot → its job here: a later shot may continue it
        for shot in shots:
            request = video_request(
                state, shot, self.catalog, self.media, self.enhancer, self.tools, batch
            )
            jobs.append(
                Job.request_generation(self.studio.actor, project.id.hex, shot.id, "video", request)
            )
            batch[shot.id] = jobs[-1].id.hex
        self.studio.save(*jobs)
        ids = [j.id.hex for j in jobs]
        self.dispatch(ids)
        return ids

    def request(
        self,
        project_id: str,
        kind: str,
        request: dict[str, Any],
        shot_id: str | None = None,
        pipeline: str = "ti2vid",
    ) -> str:
        """Any other kind of job (image, inpaint, segment, thumbnail): the backend and model in
        force are added to the request, which is recorded, then dispatched."""
        project = self.studio.project(project_id)
        backend, model = self.catalog.choose(kind, pipeline)
        resolved = {**request, "kind": kind, "backend": backend, "model": model}
        for key in ("image", "mask"):
            if key in resolved:
                resolved[f"{key}_sha256"] = self.media.sha256(str(resolved[key]))
        refs = resolved.get("reference_images") or []
        resolved["reference_sha256"] = [self.media.sha256(str(r)) for r in refs]
        job = Job.request_generation(self.studio.actor, project.id.hex, shot_id, kind, resolved)
        self.studio.save(job)
        self.dispatch([job.id.hex])
        return job.id.hex

    def concept_art(self, project_id: str, shot_ref: str) -> str:
        """An image job for a shot's concept art (its storyboard still); returns the job id."""
        project = self.studio.project(project_id)
        shot = project.shot(shot_ref)
        request = concept_request(project.state, shot)
        return self.request(project.id.hex, "concept", request, shot_id=shot.id)

    def dispatch(self, job_ids: list[str]) -> None:
        """Queue and hand over; safe to repeat (a queued job is not queued again, and a worker
        runs a job only while the store says it still needs to run)."""
        queues = {}
        for job_id in job_ids:
            queues[job_id] = QUEUES.get(self.studio.job(job_id).kind, "cpu")
            self.studio.edit_job(job_id, lambda j: j.queue(self.studio.actor, queues[j.id.hex]))
        self.dispatcher.dispatch(job_ids, queues)

    def cancel(self, job_id: str) -> CancelOutcome:
        before = self.studio.job(job_id).status
        status = self.studio.edit_job(job_id, lambda j: j.cancel(self.studio.actor))
        return CancelOutcome(job_id, status, changed=status != before)

    def retry(self, job_id: str) -> str:
        """Run a failed or cancelled job again as a new job linked to the first."""
        old = self.studio.job(job_id)
        new = Job.request_generation(
            self.studio.actor,
            old.project_id,
            old.shot_id,
            old.kind,
            old.request,
            retry_of=old.id.hex,
        )
        self.studio.edit_job(job_id, lambda j: j.retried_as(self.studio.actor, new.id.hex))
        self.studio.save(new)
        self.dispatch([new.id.hex])
        return new.id.hex

    def reproduce(self, job_id: str) -> str:
        """A new job from the identical resolved request of a past one."""
        old = self.studio.job(job_id)
        new = Job.request_generation(
            self.studio.actor, old.project_id, old.shot_id, old.kind, dict(old.request)
        )
        self.studio.save(new)
        self.dispatch([new.id.hex])
        return new.id.hex
