from typing import Any, ClassVar

from domain.project.asset import Asset
from domain.project.events.base import ProjectEvent, short
from domain.project.state import ProjectState


class AssetAdded(ProjectEvent):
    """Media joined the project's assets. Not an edit: undo and restore never remove an asset."""

    asset: dict[str, Any]
    undoable: ClassVar[bool] = False

    def evolve(self, state: ProjectState) -> ProjectState:
        asset = Asset.model_validate(self.asset)
        return state.replace(assets={**state.assets, asset.id: asset})

    def summary(self) -> str:
        a = self.asset
        origin = f"from job {a['source']['job_id'][:8]}" if "job_id" in a["source"] else "imported"
        return f"{a['kind']} asset {short(a['id'])} {a['name']!r} {origin}"
