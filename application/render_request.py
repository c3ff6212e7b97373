"""From a project's timeline to the fully resolved request a render job records.

Pure: the state, the project's id and version, and a way to hash a file in, a request out. What a
render reads is fixed here, so the job's record says exactly which take of each shot it used.
"""

from collections.abc import Callable
from typing import Any

from application.engine.engine import Engine
from domain.errors import DomainError
from domain.project.state import ProjectState
from domain.timeline import Clip, cut, total_frames


class NothingToRender(DomainError):
    """The timeline has no clip that would show or sound."""


class TakesMissing(DomainError):
    """Shots the render needs have no usable take."""


def request_render(engine: Engine, project_id: str, destination: str | None = None) -> str:
    """Resolve the project's timeline as it is now into a render job, recorded and dispatched."""
    project = engine.studio.project(project_id)
    request = render_request(
        project.id.hex, int(project.version), project.state, engine.media.sha256, destination
    )
    return engine.request(project.id.hex, "render", request)


def render_request(
    project_id: str,
    version: int,
    state: ProjectState,
    sha256: Callable[[str], str | None],
    destination: str | None = None,
) -> dict[str, Any]:
    """`destination`: an absolute path, or None for the media store's place for the job."""
    settings = state.settings
    flags = {name: track.model_dump() for name, track in state.tracks.items()}
    clips = [clip for track in cut(state).values() for clip in track]
    if not clips:
        raise NothingToRender(
            f"project {settings.name!r} has no shots on its timeline: add shots, "
            "`milimo generate` them, then render"
        )
    used = [c for c in clips if _plays(c, flags)]
    _check_takes(used, sha256)
    frames = total_frames(state)
    return {
        "project_id": project_id,
        "name": settings.name,
        "version": version,
        "width": settings.width,
        "height": settings.height,
        "fps": settings.fps,
        "total_frames": frames,
        "num_frames": frames,  # as every job's request says how many frames it makes
        "tracks": flags,
        "clips": [_clip(c, flags, state) for c in used if c.take is not None],
        "destination": destination,
    }


def left_out(state: ProjectState) -> list[str]:
    """What a render of the timeline leaves out by its tracks' flags, in words (empty: nothing).
    A1 has no pictures, so hiding it leaves nothing out."""
    notes = []
    for name, track in state.tracks.items():
        shots = sum(1 for s in state.shots.values() if s.track == name)
        hidden = track.hidden and name != "A1"
        if not shots or not (hidden or track.muted):
            continue
        if hidden and track.muted:
            notes.append(f"{name} is hidden and muted: its {shots} shot(s) are left out")
        elif hidden:
            notes.append(f"{name} is hidden: its pictures are left out (its sound plays)")
        else:
            notes.append(f"{name} is muted: its sound is left out")
    return notes


def untaken(state: ProjectState) -> list[str]:
    """The shots a render would play that have no take yet (ids, in the cut's order): a render
    is refused until they have one (A1 without a take is silence, not a hole)."""
    flags = {name: track.model_dump() for name, track in state.tracks.items()}
    clips = [c for track in cut(state).values() for c in track if _plays(c, flags)]
    return [c.shot_id for c in clips if _a_hole(c)]


def _a_hole(clip: Clip) -> bool:
    """A picture with no take leaves a hole in the film; A1 without one is silence there."""
    return clip.take is None and clip.track != "A1"


def _plays(clip: Clip, flags: dict[str, dict[str, bool]]) -> bool:
    """A clip counts when its track is drawn (V1, V2) or heard; hidden and muted, it is not."""
    track = flags[clip.track]
    return not track["muted"] or (clip.track != "A1" and not track["hidden"])


def _check_takes(clips: list[Clip], sha256: Callable[[str], str | None]) -> None:
    missing, gone, short = [], [], []
    for clip in clips:
        take = clip.take
        if take is None:
            if _a_hole(clip):
                missing.append(f"{clip.shot_id[:8]} ({clip.track})")
            continue
        if sha256(take.path) != take.sha256:
            gone.append(f"{clip.shot_id[:8]} ({take.path})")
        elif clip.source_in + clip.length > take.num_frames:
            short.append(
                f"{clip.shot_id[:8]} plays frames {clip.source_in}-"
                f"{clip.source_in + clip.length - 1} of a {take.num_frames}-frame take"
            )
    if missing:
        raise TakesMissing(
            f"{len(missing)} shot(s) have no take yet: {', '.join(missing)}; "
            "`milimo generate` them first"
        )
    if gone:
        raise TakesMissing(
            f"the media of {len(gone)} take(s) is missing or changed since it was generated: "
            f"{', '.join(gone)}; `milimo generate` those shots again"
        )
    if short:
        raise TakesMissing(
            f"{len(short)} shot(s) play more frames than their take has: {'; '.join(short)}; "
            "`milimo generate` them again or trim them"
        )


def _clip(clip: Clip, flags: dict[str, dict[str, bool]], state: ProjectState) -> dict[str, Any]:
    take = clip.take
    assert take is not None
    track = flags[clip.track]
    return {
        "shot_id": clip.shot_id,
        "track": clip.track,
        "take_id": take.id,
        "path": take.path,
        "sha256": take.sha256,
        "start": clip.start,
        "length": clip.length,
        "source_in": clip.source_in,
        "source_frames": take.num_frames,
        "source_fps": state.shots[clip.shot_id].fps,
        "video": clip.track != "A1" and not track["hidden"],
        "audio": not track["muted"],
    }
