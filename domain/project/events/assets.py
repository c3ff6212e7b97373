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


class AssetDeleted(ProjectEvent):
    """An asset left the project's list. Not an edit, like AssetAdded: undo and restore never
    bring it back (its file may be gone). `asset` is what it was; `file_kept_because` says what
    still referred to its file when it was deleted (empty: nothing did, and the file went)."""

    asset: dict[str, Any]
    file_kept_because: list[str]
    undoable: ClassVar[bool] = False

    def evolve(self, state: ProjectState) -> ProjectState:
        gone = self.asset["id"]
        return state.replace(assets={k: a for k, a in state.assets.items() if k != gone})

    def summary(self) -> str:
        a = self.asset
        file = "file kept" if self.file_kept_because else "file removed"
        return f"{a['kind']} asset {short(a['id'])} {a['name']!r} deleted, {file}"
