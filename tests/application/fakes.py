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

    def write(self, projects: list[ProjectRow], position: int) -> None:
        for row in projects:
            self.store._projects[row.id] = copy.deepcopy(row)
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

    def digest(self) -> Iterator[tuple[str, Any]]:
        for pid in sorted(self._projects):
            yield "projects", self._projects[pid].view
