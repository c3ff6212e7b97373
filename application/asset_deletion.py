"""Deleting an asset: it leaves its project's list at once (an AssetDeleted event); its file
goes only when nothing in any project of the store refers to it any more (another asset of the
same content, a take, an element's reference image, a shot's conditioning or concept art) and no
unfinished job reads it.

The deletion is recorded before the file is removed, so a crash between the two leaves a file
nothing names, never a name without its file.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from application.queries import Queries
from application.studio import Studio
from domain.project.asset import Asset
from domain.project.asset_references import references


class MediaFiles(Protocol):
    def remove(self, path: str) -> bool:
        """Remove a file Milimo stored; False when it was not there or is not Milimo's."""
        ...


@dataclass(frozen=True)
class Deleted:
    asset: Asset
    kept_because: list[str]  # what still refers to the file; empty when nothing does
    file_removed: bool


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def file_users(studio: Studio, queries: Queries, project_id: str, asset: Asset) -> list[str]:
    """Everything else in the store that refers to the asset's file."""
    found: list[str] = []
    for row in queries.projects(include_archived=True):
        state = studio.project(row["id"]).state
        found += references(state, asset.path, asset.id if row["id"] == project_id else "")
    for job in queries.jobs(None, active=True):
        if asset.path in strings(job.get("request") or {}):
            found.append(f"{job['kind']} job {job['id'][:8]} ({job['status']})")
    return found


def delete_asset(
    studio: Studio, queries: Queries, files: MediaFiles, project_id: str, ref: str
) -> Deleted:
    """Delete the asset `ref` (id, prefix or name) of the project. Refused, with nothing
    recorded, while a shot of the project is conditioned on it."""
    project = studio.project(project_id)
    asset = project.asset(ref)
    project.check_deletable(asset)
    kept = file_users(studio, queries, project.id.hex, asset)
    studio.edit(project.id.hex, lambda p: p.delete_asset(studio.actor, asset.id, kept))
    removed = not kept and files.remove(asset.path)
    return Deleted(asset, kept, removed)
