"""How snapshots store the project's immutable values."""

from typing import Any

from eventsourcing.persistence import Transcoding

from domain.project.removed import Removed
from domain.project.state import ProjectState
from domain.project.version_stack import VersionStack


class ProjectStateAsDict(Transcoding):
    type = ProjectState
    name = "milimo_project_state"

    def encode(self, obj: ProjectState) -> dict[str, Any]:
        return obj.model_dump(mode="json")

    def decode(self, data: dict[str, Any]) -> ProjectState:
        return ProjectState.model_validate(data)


class VersionStackAsList(Transcoding):
    type = VersionStack
    name = "milimo_version_stack"

    def encode(self, obj: VersionStack) -> list[list[int]]:
        return [list(run) for run in obj.runs]

    def decode(self, data: list[list[int]]) -> VersionStack:
        return VersionStack(runs=tuple((a, b) for a, b in data))


class RemovedAsDict(Transcoding):
    type = Removed
    name = "milimo_removed"

    def encode(self, obj: Removed) -> dict[str, Any]:
        return obj.model_dump(mode="json")

    def decode(self, data: dict[str, Any]) -> Removed:
        return Removed.model_validate(data)
