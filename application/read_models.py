"""The read-model port: what queries read and what the projection writes, behind one interface."""

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class ProjectRow:
    """One project as the projection leaves it: its state (to continue from) and its view."""

    id: str
    name: str
    archived: bool
    version: int
    created_at: str
    updated_at: str
    state: dict[str, Any]
    view: dict[str, Any]


class ProjectionTransaction(Protocol):
    """One atomic step of the projection: read the position, write rows and the new position."""

    def position(self) -> int: ...

    def load(self, project_ids: list[str]) -> dict[str, ProjectRow]: ...

    def load_jobs(self, job_ids: list[str]) -> dict[str, dict[str, Any]]: ...

    def write(
        self, projects: list[ProjectRow], jobs: list[dict[str, Any]], position: int
    ) -> None: ...


class ReadModels(Protocol):
    def transaction(self) -> AbstractContextManager[ProjectionTransaction]: ...

    def position(self) -> int: ...

    def reset(self) -> None: ...

    def projects(self, include_archived: bool = False) -> list[dict[str, Any]]: ...

    def project_view(self, project_id: str) -> dict[str, Any] | None: ...

    def shots(self, project_id: str) -> list[dict[str, Any]]: ...

    def jobs(
        self, project_id: str | None = None, statuses: tuple[str, ...] = ()
    ) -> list[dict[str, Any]]: ...

    def job(self, job_id: str) -> dict[str, Any] | None: ...

    def job_ids(self) -> list[str]: ...

    def digest(self) -> Iterator[tuple[str, Any]]: ...
