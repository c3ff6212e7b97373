"""Queries, answered from the read models after they have caught up with the store."""

from typing import Any

from application.errors import JobNotFound, ProjectNotFound
from application.projection import ProjectProjection
from application.read_models import ReadModels
from domain.errors import AmbiguousReference


class Queries:
    def __init__(self, read_models: ReadModels, projection: ProjectProjection):
        self.read_models = read_models
        self.projection = projection
        self.studio = projection.studio

    def refresh(self) -> None:
        self.projection.catch_up()

    def resolve_project(self, ref: str) -> str:
        """A project id from an exact name, an id or a unique id prefix."""
        self.refresh()
        name = ref.strip()
        projects = self.read_models.projects(include_archived=True)
        named = [p for p in projects if p["name"] == name]
        live = [p for p in named if not p["archived"]] or named
        if len(live) == 1:
            return str(live[0]["id"])
        if len(live) > 1:
            ids = ", ".join(p["id"][:12] for p in live)
            raise AmbiguousReference(f"several projects are named {name!r}: {ids}; use an id")
        key = name.lower().replace("-", "")
        if not key:
            raise ProjectNotFound("no project named ''")
        by_id = [p for p in projects if p["id"] == key]
        if by_id:
            return str(by_id[0]["id"])
        prefixed = [p for p in projects if p["id"].startswith(key)]
        if len(prefixed) == 1:
            return str(prefixed[0]["id"])
        if len(prefixed) > 1:
            ids = ", ".join(p["id"][:12] for p in prefixed[:5])
            raise AmbiguousReference(f"project {name!r} is ambiguous: it matches {ids}")
        raise ProjectNotFound(f"no project {name!r} (see `milimo project list`)")

    def projects(self, include_archived: bool = False) -> list[dict[str, Any]]:
        self.refresh()
        return self.read_models.projects(include_archived)

    def project(self, project_id: str) -> dict[str, Any]:
        self.refresh()
        view = self.read_models.project_view(project_id)
        if view is None:
            raise ProjectNotFound(f"no project {project_id!r}")
        with_job_status(view["shots"], self.read_models.jobs(project_id))
        return view

    def shots(self, project_id: str, status: str | None = None) -> list[dict[str, Any]]:
        self.refresh()
        shots = self.read_models.shots(project_id)
        with_job_status(shots, self.read_models.jobs(project_id))
        if status:
            shots = [s for s in shots if s["status"] == status]
        return shots

    def jobs(self, project_id: str | None = None, active: bool = False) -> list[dict[str, Any]]:
        self.refresh()
        statuses = ("pending", "queued", "running") if active else ()
        return self.read_models.jobs(project_id, statuses)

    def job(self, ref: str) -> dict[str, Any]:
        """A job from its id or a unique id prefix."""
        self.refresh()
        key = ref.strip().lower().replace("-", "")
        matches = [i for i in self.read_models.job_ids() if i.startswith(key)] if key else []
        if len(matches) > 1:
            raise AmbiguousReference(f"job {ref!r} is ambiguous: it matches {len(matches)} jobs")
        doc = self.read_models.job(matches[0]) if matches else None
        if doc is None:
            raise JobNotFound(f"no job {ref!r} (see `milimo jobs`)")
        return doc

    def history(
        self, project_id: str, offset: int = 0, limit: int | None = None
    ) -> list[dict[str, Any]]:
        return self.studio.history(project_id, offset, limit)


# A shot's status and progress are projections of its jobs: its newest job speaks for it.
SHOT_STATUS = {
    "pending": "queued",
    "queued": "queued",
    "running": "generating",
    "completed": "completed",
    "failed": "failed",
    "cancelled": "cancelled",
}


def with_job_status(shots: list[dict[str, Any]], jobs: list[dict[str, Any]]) -> None:
    newest: dict[str, dict[str, Any]] = {}
    for job in jobs:  # oldest first, so the last one seen per shot is the newest
        if job["shot_id"] and job["kind"] in ("video", "image"):
            newest[job["shot_id"]] = job
    for shot in shots:
        if shot["id"] not in newest:
            continue
        job = newest[shot["id"]]
        shot["last_job"] = {"id": job["id"], "status": job["status"]}
        if job["status"] in ("failed", "cancelled") and shot["takes"]:
            continue  # a failed retake leaves the shot with its takes: still completed
        shot["status"] = SHOT_STATUS[job["status"]]
        shot["progress"] = job["progress"]
