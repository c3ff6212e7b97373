"""Requesting, cancelling and retrying generations: the commands of the engine."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError

from application.batches import BatchNotFound
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
from domain.job.batch import Batch
from domain.job.priority import DEFAULT_PRIORITY, check_priority, queue_name
from domain.job.status import QUEUES
from domain.job.variants import check_variants, variant_seed


@dataclass(frozen=True)
class Generation:
    batch_id: str | None  # None for a single job
    job_ids: list[str]


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

    def generate(
        self,
        project_id: str,
        shot_refs: list[str],
        all_shots: bool = False,
        variants: int = 1,
        priority: str = DEFAULT_PRIORITY,
    ) -> list[str]:
        """The job ids of `request_generation`, in order."""
        return self.request_generation(project_id, shot_refs, all_shots, variants, priority).job_ids

    def request_generation(
        self,
        project_id: str,
        shot_refs: list[str],
        all_shots: bool = False,
        variants: int = 1,
        priority: str = DEFAULT_PRIORITY,
    ) -> "Generation":
        """Video jobs for the shots (every V1/V2 shot with `all_shots`), `variants` seeds of
        each, recorded, then dispatched. More than one job makes a batch, recorded with them."""
        check_variants(variants)
        check_priority(priority)
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
        batch_id = uuid4() if len(shots) * variants > 1 else None
        jobs = []
        # Per variant, the jobs already requested here by shot: variant i of a shot that
        # continues the previous one continues variant i of it.
        chains: list[dict[str, str]] = [{} for _ in range(variants)]
        for shot in shots:
            group = uuid4().hex if variants > 1 else None
            for index in range(variants):
                request = video_request(
                    state, shot, self.catalog, self.media, self.enhancer, self.tools, chains[index]
                )
                request["seed"] = variant_seed(shot.seed, index)
                job = Job.request_generation(
                    self.studio.actor,
                    project.id.hex,
                    shot.id,
                    "video",
                    request,
                    batch_id=batch_id.hex if batch_id else None,
                    group=group,
                    variant=index if group else None,
                    priority=priority,
                )
                jobs.append(job)
                chains[index][shot.id] = job.id.hex
        ids = [j.id.hex for j in jobs]
        batch = None
        if batch_id is not None:
            batch = Batch.request(
                batch_id,
                self.studio.actor,
                project.id.hex,
                ids,
                [s.id for s in shots],
                variants,
                priority,
                all_shots,
            )
        self.studio.save(*jobs, *([batch] if batch else []))
        self.dispatch(ids)
        return Generation(batch_id.hex if batch_id else None, ids)

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
            job = self.studio.job(job_id)
            queues[job_id] = queue_name(QUEUES.get(job.kind, "cpu"), job.priority)
            self.studio.edit_job(job_id, lambda j: j.queue(self.studio.actor, queues[j.id.hex]))
        self.dispatcher.dispatch(job_ids, queues)

    def cancel(self, job_id: str) -> CancelOutcome:
        before = self.studio.job(job_id).status
        status = self.studio.edit_job(job_id, lambda j: j.cancel(self.studio.actor))
        return CancelOutcome(job_id, status, changed=status != before)

    def cancel_batch(self, batch_id: str) -> list[CancelOutcome]:
        """Cancel every unfinished job of a batch (a running one stops at its next step); the
        batch records who cancelled which, when anything was left to cancel."""
        batch = self.batch(batch_id)
        outcomes = [self.cancel(job_id) for job_id in batch.job_ids]
        changed = [o.job_id for o in outcomes if o.changed]
        if changed:
            batch.cancelled(self.studio.actor, changed)
            self.studio.save(batch)
        return outcomes

    def batch(self, batch_id: str) -> Batch:
        try:
            batch: Batch = self.studio.repository.get(UUID(batch_id))
        except (AggregateNotFoundError, ValueError):
            raise BatchNotFound(f"no batch {batch_id!r}") from None
        if not isinstance(batch, Batch):
            raise BatchNotFound(f"{batch_id} is not a batch")
        return batch

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
            group=old.group,
            variant=old.variant,
            priority=old.priority,
        )
        self.studio.edit_job(job_id, lambda j: j.retried_as(self.studio.actor, new.id.hex))
        self.studio.save(new)
        self.dispatch([new.id.hex])
        return new.id.hex

    def reproduce(self, job_id: str) -> str:
        """A new job from the identical resolved request of a past one."""
        old = self.studio.job(job_id)
        new = Job.request_generation(
            self.studio.actor,
            old.project_id,
            old.shot_id,
            old.kind,
            dict(old.request),
            priority=old.priority,
        )
        self.studio.save(new)
        self.dispatch([new.id.hex])
        return new.id.hex
