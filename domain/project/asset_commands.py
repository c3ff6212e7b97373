"""A project's assets: media added once, found by id, id prefix or name."""

from typing import Any
from uuid import uuid4

from domain.project.asset import Asset
from domain.project.core import ProjectCore
from domain.project.events.assets import AssetAdded
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
