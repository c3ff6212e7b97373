"""An in-memory read-model store: the port's contract without a database, for scenarios."""

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from application.read_models import ProjectRow


class InMemoryTransaction:
    def __init__(self, store: "InMemoryReadModels"):
        self.store = store

    def position(self) -> int:
        return self.store._position

    def load(self, project_ids: list[str]) -> dict[str, ProjectRow]:
        return {i: self.store._projects[i] for i in project_ids if i in self.store._projects}

    def load_jobs(self, job_ids: list[str]) -> dict[str, dict[str, Any]]:
        return {i: copy.deepcopy(self.store._jobs[i]) for i in job_ids if i in self.store._jobs}

    def write(self, projects: list[ProjectRow], jobs: list[dict[str, Any]], position: int) -> None:
        for row in projects:
            self.store._projects[row.id] = copy.deepcopy(row)
        for job in jobs:
            self.store._jobs[job["id"]] = copy.deepcopy(job)
        self.store._position = position


class InMemoryReadModels:
    def __init__(self) -> None:
        self.reset()

    @contextmanager
    def transaction(self) -> Iterator[InMemoryTransaction]:
        yield InMemoryTransaction(self)

    def position(self) -> int:
        return self._position

    def reset(self) -> None:
        self._position = 0
        self._projects: dict[str, ProjectRow] = {}
        self._jobs: dict[str, dict[str, Any]] = {}

    def projects(self, include_archived: bool = False) -> list[dict[str, Any]]:
        rows = sorted(self._projects.values(), key=lambda r: (r.created_at, r.id))
        return [
            {"id": r.id, "name": r.name, "archived": r.archived, "version": r.version}
            for r in rows
            if include_archived or not r.archived
        ]

    def project_view(self, project_id: str) -> dict[str, Any] | None:
        row = self._projects.get(project_id)
        return copy.deepcopy(row.view) if row else None

    def shots(self, project_id: str) -> list[dict[str, Any]]:
        view = self.project_view(project_id)
        return view["shots"] if view else []

    def jobs(
        self, project_id: str | None = None, statuses: tuple[str, ...] = ()
    ) -> list[dict[str, Any]]:
        jobs = sorted(self._jobs.values(), key=lambda j: (j["requested_at"], j["id"]))
        return [
            copy.deepcopy(j)
            for j in jobs
            if (project_id is None or j["project_id"] == project_id)
            and (not statuses or j["status"] in statuses)
        ]

    def job(self, job_id: str) -> dict[str, Any] | None:
        return copy.deepcopy(self._jobs.get(job_id))

    def job_ids(self) -> list[str]:
        return list(self._jobs)

    def digest(self) -> Iterator[tuple[str, Any]]:
        for pid in sorted(self._projects):
            yield "projects", self._projects[pid].view
        for job_id in sorted(self._jobs):
            yield "jobs", self._jobs[job_id]
