"""The Studio application: every command on a project, with optimistic concurrency.

A command loads the project (a snapshot plus the events after it, or the in-process cache),
runs a domain method that checks every rule before it records anything, and saves. A stale
write is retried on a fresh copy; a rule that no longer holds then rejects the command.
"""

import random
import time
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from application.conditioning_files import check_conditioning_files
from application.errors import ConcurrentEditConflict, JobNotFound, ProjectNotFound
from application.transcodings import ProjectStateAsDict, RemovedAsDict, VersionStackAsList
from domain.job.aggregate import Job
from domain.project.aggregate import Project
from domain.project.changes import Change, diff
from domain.project.events import ProjectEvent
from domain.project.lora import Lora
from domain.project.script_result import ImportResult
from domain.project.state import ProjectState
from domain.script.plan import ScriptPlan

T = TypeVar("T")
A = TypeVar("A", Project, Job)
MAX_ATTEMPTS = 20


def project_uuid(project_id: str | UUID) -> UUID:
    if isinstance(project_id, UUID):
        return project_id
    try:
        return UUID(project_id)
    except ValueError:
        raise ProjectNotFound(f"no project {project_id!r}") from None


class Studio(Application[UUID]):
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Project: 100, Job: 200}
    env: ClassVar[dict[str, str]] = {"AGGREGATE_CACHE_MAXSIZE": "64"}

    def __init__(self, env: dict[str, str] | None = None, actor: str = "unknown@unknown"):
        super().__init__(env)
        self.actor = actor

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(ProjectStateAsDict())
        transcoder.register(VersionStackAsList())
        transcoder.register(RemovedAsDict())

    # -- loading -------------------------------------------------------------------------------

    def project(self, project_id: str | UUID, version: int | None = None) -> Project:
        pid = project_uuid(project_id)
        try:
            project: Project = self.repository.get(pid, version=version)
        except AggregateNotFoundError:
            where = f" at version {version}" if version is not None else ""
            raise ProjectNotFound(f"no project {pid.hex}{where}") from None
        if not isinstance(project, Project):
            raise ProjectNotFound(f"{pid.hex} is not a project")
        return project

    def state_at(
        self, project_id: str | UUID, version: int | None = None
    ) -> tuple[ProjectState, int]:
        project = self.project(project_id, version)
        if version is not None and version > project.version:
            raise ProjectNotFound(
                f"project {project.id.hex} has no version {version} (latest is {project.version})"
            )
        return project.state, project.version

    def edit_at(self, project_id: UUID, version: int) -> tuple[str, list[Change]]:
        """The type of the event at `version` and the changes it made to the state."""
        before = self.project(project_id, version - 1)
        (event,) = self.events.get(project_id, gt=version - 1, lte=version)
        assert isinstance(event, ProjectEvent)
        return type(event).__name__, diff(before.state, event.evolve(before.state))

    def history(
        self, project_id: str | UUID, offset: int = 0, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Events `offset+1 ..` of a project (at most `limit`): version, type, when, who, what.

        Read straight from the store's index by project and version, so a page is instant
        however long the history.
        """
        pid = project_uuid(project_id)
        lte = offset + limit if limit is not None else None
        lines = [
            {
                "version": e.originator_version,
                "type": type(e).__name__,
                "at": e.timestamp.isoformat(),
                "actor": e.actor,
                "summary": e.summary(),
            }
            for e in self.events.get(pid, gt=offset, lte=lte)
            if isinstance(e, ProjectEvent)
        ]
        if not lines and offset == 0:
            self.project(pid)  # raises ProjectNotFound for an unknown project
        return lines

    # -- commands ------------------------------------------------------------------------------

    def create_project(self, name: str, **settings: Any) -> str:
        project = Project.create(self.actor, name, **settings)
        self.save(project)
        return project.id.hex

    def branch(self, project_id: str, version: int, name: str) -> str:
        origin = self.project(project_id, version)
        if version > origin.version or version < 1:
            raise ProjectNotFound(f"project has no version {version} (latest is {origin.version})")
        branch = Project.branch(origin.id.hex, origin, self.actor, name)
        self.save(branch)
        return branch.id.hex

    def edit(self, project_id: str | UUID, command: Callable[[Project], T]) -> T:
        """Run `command` on the latest project and save what it recorded, retrying stale writes."""
        return self._edit(project_uuid(project_id), self.project, command, "project")

    def job(self, job_id: str | UUID) -> Job:
        jid = project_uuid(job_id) if not isinstance(job_id, UUID) else job_id
        try:
            job: Job = self.repository.get(jid)
        except AggregateNotFoundError:
            raise JobNotFound(f"no job {jid.hex}") from None
        if not isinstance(job, Job):
            raise JobNotFound(f"{jid.hex} is not a job")
        return job

    def edit_job(self, job_id: str | UUID, command: Callable[[Job], T]) -> T:
        jid = job_id if isinstance(job_id, UUID) else UUID(job_id)
        return self._edit(jid, self.job, command, "job")

    def edit_job_and_project(
        self,
        job_id: str,
        job_command: Callable[[Job], object],
        project_id: str,
        project_command: Callable[[Project], object] | None,
    ) -> None:
        """A job's events and its project's in one transaction: a job reads completed only once
        its take, concept art or asset is in the project too (a waiter never sees one without
        the other)."""
        jid, pid = UUID(job_id), project_uuid(project_id)
        for attempt in range(MAX_ATTEMPTS):
            job = self.job(jid)
            job_command(job)
            project = self.project(pid) if project_command is not None else None
            if project is not None and project_command is not None:
                project_command(project)
            changed = [a for a in (job, project) if a is not None and a.pending_events]
            if not changed:
                return
            try:
                self.save(*changed)
            except IntegrityError:
                time.sleep(random.uniform(0, 0.005 * (attempt + 1)))
                continue
            return
        raise ConcurrentEditConflict(
            f"job {jid.hex} and its project kept changing under this command ({MAX_ATTEMPTS} "
            "attempts); nothing was recorded, try again"
        )

    def _edit(
        self, aggregate_id: UUID, load: Callable[[UUID], A], command: Callable[[A], T], kind: str
    ) -> T:
        for attempt in range(MAX_ATTEMPTS):
            aggregate = load(aggregate_id)
            result = command(aggregate)
            if not aggregate.pending_events:
                return result
            try:
                self.save(aggregate)
            except IntegrityError:
                time.sleep(random.uniform(0, 0.005 * (attempt + 1)))
                continue
            return result
        raise ConcurrentEditConflict(
            f"{kind} {aggregate_id.hex} kept changing under this command ({MAX_ATTEMPTS} "
            "attempts); nothing was recorded, try again"
        )

    def undo(self, project_id: str) -> int | None:
        return self.edit(project_id, lambda p: p.undo(self.actor, lambda v: self.edit_at(p.id, v)))

    def redo(self, project_id: str) -> int | None:
        return self.edit(project_id, lambda p: p.redo(self.actor, lambda v: self.edit_at(p.id, v)))

    def restore(self, project_id: str, version: int) -> list[Change]:
        def command(project: Project) -> list[Change]:
            if not 1 <= version <= project.version:
                raise ProjectNotFound(
                    f"project has no version {version} (latest is {project.version})"
                )
            return project.restore(self.actor, self.project(project.id, version))

        return self.edit(project_id, command)

    # Named commands, one per domain edit; each is a retried `edit`.

    def change_settings(self, project_id: str, **changes: Any) -> None:
        self.edit(project_id, lambda p: p.change_settings(self.actor, **changes))

    def archive(self, project_id: str, archived: bool = True) -> None:
        self.edit(project_id, lambda p: p.archive(self.actor, archived))

    def set_track(self, project_id: str, track: str, **flags: bool) -> None:
        self.edit(project_id, lambda p: p.set_track(self.actor, track, **flags))

    def add_scene(self, project_id: str, name: str, **fields: Any) -> str:
        return self.edit(project_id, lambda p: p.add_scene(self.actor, name, **fields))

    def rename_scene(self, project_id: str, scene: str, name: str) -> None:
        self.edit(project_id, lambda p: p.rename_scene(self.actor, scene, name))

    def remove_scene(self, project_id: str, scene: str) -> list[str]:
        return self.edit(project_id, lambda p: p.remove_scene(self.actor, scene))

    def reorder_scenes(self, project_id: str, scenes: list[str]) -> None:
        self.edit(project_id, lambda p: p.reorder_scenes(self.actor, scenes))

    def add_shot(self, project_id: str, scene: str, **fields: Any) -> str:
        def command(project: Project) -> str:
            shot_id = project.add_shot(self.actor, scene, **fields)
            check_conditioning_files(c.asset for c in project.state.shots[shot_id].conditioning)
            return shot_id

        return self.edit(project_id, command)

    def place_asset(
        self, project_id: str, scene: str, asset: str, track: str, start_frame: int | None
    ) -> str:
        return self.edit(
            project_id, lambda p: p.place_asset(self.actor, scene, asset, track, start_frame)
        )

    def change_shot(self, project_id: str, shot: str, **changes: Any) -> dict[str, Any]:
        """The fields that changed; a conditioning file is checked before anything is saved."""

        def command(project: Project) -> dict[str, Any]:
            changed = project.change_shot(self.actor, shot, **changes)
            check_conditioning_files(c["asset"] for c in changed.get("conditioning", ()))
            return changed

        return self.edit(project_id, command)

    def trim_shot(
        self, project_id: str, shot: str, trim_in: int | None, trim_out: int | None
    ) -> None:
        self.edit(project_id, lambda p: p.trim_shot(self.actor, shot, trim_in, trim_out))

    def move_shot(self, project_id: str, shot: str, **where: Any) -> None:
        self.edit(project_id, lambda p: p.move_shot(self.actor, shot, **where))

    def split_shot(self, project_id: str, shot: str, at: int) -> str:
        return self.edit(project_id, lambda p: p.split_shot(self.actor, shot, at))

    def remove_shot(self, project_id: str, shot: str) -> None:
        self.edit(project_id, lambda p: p.remove_shot(self.actor, shot))

    def reorder_shots(self, project_id: str, scene: str, shots: list[str]) -> None:
        self.edit(project_id, lambda p: p.reorder_shots(self.actor, scene, shots))

    def add_shot_lora(self, project_id: str, shot: str, path: str, strength: float) -> bool:
        """`path` must name a LoRA file already checked (see models/lora_files.py)."""
        return self.edit(project_id, lambda p: p.add_shot_lora(self.actor, shot, path, strength))

    def remove_shot_lora(self, project_id: str, shot: str, path: str) -> Lora:
        return self.edit(project_id, lambda p: p.remove_shot_lora(self.actor, shot, path))

    def define_element(self, project_id: str, name: str, type: str, **fields: Any) -> str:
        return self.edit(project_id, lambda p: p.define_element(self.actor, name, type, **fields))

    def change_element(self, project_id: str, element: str, **changes: Any) -> dict[str, Any]:
        return self.edit(project_id, lambda p: p.change_element(self.actor, element, **changes))

    def remove_element(self, project_id: str, element: str) -> None:
        self.edit(project_id, lambda p: p.remove_element(self.actor, element))

    def add_element_lora(self, project_id: str, element: str, path: str, strength: float) -> bool:
        return self.edit(
            project_id, lambda p: p.add_element_lora(self.actor, element, path, strength)
        )

    def remove_element_lora(self, project_id: str, element: str, path: str) -> Lora:
        return self.edit(project_id, lambda p: p.remove_element_lora(self.actor, element, path))

    def define_style(self, project_id: str, name: str, **fields: str) -> None:
        self.edit(project_id, lambda p: p.define_style(self.actor, name, **fields))

    def import_script(
        self,
        project_id: str,
        plan: ScriptPlan,
        prune: bool = False,
        source: dict[str, Any] | None = None,
        ai_storyboard: dict[str, Any] | None = None,
    ) -> ImportResult:
        """Merge a screenplay's plan as one undoable step (see domain/project/script_merge)."""

        def command(project: Project) -> ImportResult:
            result = project.import_script(self.actor, plan, prune, source, ai_storyboard)
            return result.replace(version=project.version)

        return self.edit(project_id, command)
