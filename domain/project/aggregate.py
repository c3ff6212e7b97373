"""The Project aggregate: one consistency boundary for the timeline (see docs/adr/0002)."""

from collections.abc import Callable
from typing import Any
from uuid import uuid4

from eventsourcing.domain import Aggregate

from domain.errors import InvalidValue, TrackLocked, UnknownKey
from domain.project.asset_commands import AssetCommands
from domain.project.changes import Change, diff, reverse
from domain.project.element_commands import ElementCommands
from domain.project.events import (
    EditRedone,
    EditUndone,
    ProjectArchived,
    ProjectBranched,
    ProjectCreated,
    ProjectRestored,
    ProjectSettingsChanged,
    TrackChanged,
)
from domain.project.lookup import find_shot
from domain.project.lora_commands import LoraCommands
from domain.project.removed import Removed
from domain.project.rules import MIN_FRAMES
from domain.project.scene_commands import SceneCommands
from domain.project.script_commands import ScriptCommands
from domain.project.settings import ProjectSettings, check_name, check_settings
from domain.project.shot import Shot, Take
from domain.project.shot_commands import ShotCommands, TakeCommands
from domain.project.state import ProjectState
from domain.project.track import TRACKS
from domain.project.value import validated
from domain.project.version_stack import VersionStack

SETTING_KEYS = ("name", "width", "height", "fps", "seed", "style")
TRACK_FLAGS = ("muted", "locked", "hidden")

# What an undo or redo needs from history: the type of the edit at a version and its changes.
EditLookup = Callable[[int], tuple[str, list[Change]]]


def new_id() -> str:
    return uuid4().hex


class Project(
    ShotCommands,
    TakeCommands,
    SceneCommands,
    ElementCommands,
    AssetCommands,
    ScriptCommands,
    LoraCommands,
    Aggregate,
):
    # The removed shots and elements as the engine left them; a class default, so projects
    # snapshotted before it was kept read too.
    removed: Removed = Removed()

    def __init__(self) -> None:
        # The created event's apply sets the state; declared here for readers and mypy.
        self.state: ProjectState
        self.undo_stack: VersionStack
        self.redo_stack: VersionStack

    @classmethod
    def create(cls, actor: str, name: str, **settings: Any) -> "Project":
        values = validated(ProjectSettings, {**settings, "name": check_name("project", name)})
        check_settings(values)
        return cls._create(ProjectCreated, actor=actor, settings=values.model_dump())

    @classmethod
    def branch(cls, origin_id: str, at: "Project", actor: str, name: str) -> "Project":
        """A new project equal to `at` (an origin project loaded at some version)."""
        settings = at.state.settings.replace(name=check_name("project", name), archived=False)
        state = at.state.model_dump(mode="json", exclude={"settings", "origin"})
        return cls._create(
            ProjectBranched,
            actor=actor,
            settings=settings.model_dump(),
            state={"settings": settings.model_dump(), **state},
            origin_project_id=origin_id,
            origin_version=at.version,
        )

    # -- settings and tracks ------------------------------------------------------------------

    def change_settings(self, actor: str, **changes: Any) -> None:
        unknown = set(changes) - set(SETTING_KEYS)
        if unknown:
            raise UnknownKey(
                f"unknown project setting {', '.join(sorted(unknown))}; "
                f"settings are {', '.join(SETTING_KEYS)}"
            )
        if changes.get("style") in ("", "none"):
            changes["style"] = None
        if "name" in changes:
            changes["name"] = check_name("project", str(changes["name"]))
        current = self.state.settings
        updated = validated(ProjectSettings, {**current.model_dump(), **changes})
        check_settings(updated)
        if updated.style is not None and updated.style not in self.state.styles:
            known = ", ".join(sorted(self.state.styles)) or "none defined yet"
            raise InvalidValue(
                f"no style preset {updated.style!r} (known: {known}); add it with "
                "`milimo style add`"
            )
        changes = {
            k: getattr(updated, k) for k in changes if getattr(current, k) != getattr(updated, k)
        }
        if changes:
            previous = {k: getattr(current, k) for k in changes}
            self.trigger_event(
                ProjectSettingsChanged, actor=actor, changes=changes, previous=previous
            )

    def archive(self, actor: str, archived: bool = True) -> None:
        if self.state.settings.archived != archived:
            self.trigger_event(ProjectArchived, actor=actor, archived=archived)

    def set_track(self, actor: str, track: str, **flags: bool) -> None:
        if track not in TRACKS:
            raise InvalidValue(f"track must be one of {', '.join(TRACKS)}: got {track!r}")
        unknown = set(flags) - set(TRACK_FLAGS)
        if unknown:
            raise UnknownKey(f"unknown track flag {', '.join(sorted(unknown))}")
        current = self.state.tracks[track]
        changes = {k: bool(v) for k, v in flags.items() if getattr(current, k) != bool(v)}
        if changes:
            previous = {k: getattr(current, k) for k in changes}
            self.trigger_event(
                TrackChanged, actor=actor, track=track, changes=changes, previous=previous
            )

    def check_unlocked(self, track: str) -> None:
        if self.state.tracks[track].locked:
            raise TrackLocked(
                f"track {track} is locked: unlock it with "
                f"`milimo track set PROJECT {track} --unlock`"
            )

    def shot(self, ref: str) -> Shot:
        return find_shot(self.state, ref)

    def place_asset(
        self, actor: str, scene: str, asset_ref: str, track: str, start_frame: int | None
    ) -> str:
        """A new shot whose media is an imported clip or sound (music on A1, a plate on V2):
        the asset becomes its take, its length the media's (num_frames rounded up to 8k+1, the
        rest trimmed off the end)."""
        asset = self.asset(asset_ref)
        if asset.kind not in ("video", "audio"):
            raise InvalidValue(
                f"asset {asset.id[:8]} is {'an' if asset.kind == 'image' else 'a'} {asset.kind}: "
                "only a clip or a sound can be placed on the timeline; an image conditions a "
                "shot instead (`milimo shot set P S conditioning=...`)"
            )
        if asset.kind == "audio" and track != "A1":
            raise InvalidValue(
                f"asset {asset.id[:8]} is a sound: it goes on the audio track (--track A1)"
            )
        fps = self.state.settings.fps
        if asset.kind == "video" and asset.num_frames and asset.fps == fps:
            frames = asset.num_frames
        else:
            frames = max(1, round((asset.duration or 0.0) * fps))
        num_frames = max(MIN_FRAMES, -(-(frames - 1) // 8) * 8 + 1)
        shot_id = self.add_shot(
            actor,
            scene,
            track=track,
            start_frame=start_frame,
            trim_out=num_frames - frames,
            num_frames=num_frames,
            action=asset.name,
        )
        take = Take(
            id=asset.id,
            job_id=f"asset:{asset.id}",
            path=asset.path,
            sha256=asset.sha256,
            num_frames=frames,
            width=asset.width or 0,
            height=asset.height or 0,
        )
        self.add_take(actor, shot_id, take.model_dump(mode="json"))
        return shot_id

    # -- history -------------------------------------------------------------------------------

    def undo(self, actor: str, edit_at: EditLookup) -> int | None:
        """Reverse the newest edit still in effect; None when there is nothing to undo."""
        version = self.undo_stack.top()
        if version is None:
            return None
        kind, changes = edit_at(version)
        self.trigger_event(
            EditUndone,
            actor=actor,
            undone_version=version,
            undone_type=kind,
            changes=self.removed.returned(reverse(changes)),
        )
        return version

    def redo(self, actor: str, edit_at: EditLookup) -> int | None:
        version = self.redo_stack.top()
        if version is None:
            return None
        kind, changes = edit_at(version)
        self.trigger_event(
            EditRedone,
            actor=actor,
            redone_version=version,
            redone_type=kind,
            changes=self.removed.returned(changes),
        )
        return version

    def restore(self, actor: str, to: "Project") -> list[Change]:
        """Bring the state back to `to` (this project loaded at an earlier version)."""
        if not 1 <= to.version <= self.version:
            raise InvalidValue(f"version must be between 1 and {self.version}: got {to.version}")
        changes = self.removed.returned(diff(self.state, to.state))
        if changes:
            self.trigger_event(ProjectRestored, actor=actor, to_version=to.version, changes=changes)
        return changes
