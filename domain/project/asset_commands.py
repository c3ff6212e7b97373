"""A project's assets: media added once, found by id, id prefix or name, and deleted."""

from typing import Any
from uuid import uuid4

from domain.errors import AssetInUse
from domain.project.asset import Asset
from domain.project.asset_references import conditioned_shots, shot_label
from domain.project.core import ProjectCore
from domain.project.events.assets import AssetAdded, AssetDeleted
from domain.project.lookup import find
from domain.project.value import validated


class AssetCommands(ProjectCore):
    def asset(self, ref: str) -> Asset:
        return find("asset", ref, self.state.assets.values(), lambda a: [a.id, a.name])

    def add_asset(self, actor: str, **fields: Any) -> str:
        """Record an asset; the same content is never held twice: for a sha256 the project
        already has, nothing is recorded and the existing asset's id is returned."""
        fields.setdefault("id", uuid4().hex)
        asset = validated(Asset, fields)
        for existing in self.state.assets.values():
            if existing.sha256 == asset.sha256 or existing.id == asset.id:
                return existing.id
        self.trigger_event(AssetAdded, actor=actor, asset=asset.model_dump(mode="json"))
        return asset.id

    def check_deletable(self, asset: Asset) -> None:
        """A shot conditioned on the asset would lose its input: refused, naming the shots."""
        shots = conditioned_shots(self.state, asset.path, asset.id)
        if shots:
            names = ", ".join(shot_label(self.state, s) for s in shots)
            raise AssetInUse(
                f"asset {asset.id[:8]} ({asset.name!r}) conditions {names}: take it out of "
                "their conditioning first (`milimo shot set PROJECT SHOT conditioning=[]`)"
            )

    def delete_asset(self, actor: str, ref: str, file_kept_because: list[str]) -> Asset:
        """Take the asset off the project's list; `file_kept_because` is what else refers to
        its file (the caller looked across the store), recorded with the deletion."""
        asset = self.asset(ref)
        self.check_deletable(asset)
        self.trigger_event(
            AssetDeleted,
            actor=actor,
            asset=asset.model_dump(mode="json"),
            file_kept_because=list(file_kept_because),
        )
        return asset
