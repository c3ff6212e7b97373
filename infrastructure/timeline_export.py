"""The cut as an interchange file: OpenTimelineIO, CMX 3600 EDL or Final Cut Pro X XML.

One OTIO timeline at the project's fps: tracks V1 and V2 (video) and A1 (audio), one clip per
shot named "scene / number / character", gaps where a track has space between clips, and an
audio track for each video track whose takes carry sound. Clips that overlap on V2 or A1 (the
later one plays on top) go to extra tracks above, "V2.2" and so on, since an OTIO track is a
sequence. A shot with no take yet gets a MissingReference. EDL holds one video track: it gets
V1 and the export says what it left out.
"""

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import opentimelineio as otio  # type: ignore[import-untyped]

from domain.errors import DomainError
from domain.project.state import ProjectState
from domain.project.track import TrackName
from domain.timeline import Clip, cut

# Milimo's format names, the OTIO adapter of each and the package that brings the adapter.
ADAPTERS: dict[str, tuple[str, str]] = {
    "otio": ("otio_json", "opentimelineio"),
    "edl": ("cmx_3600", "otio-cmx3600-adapter"),
    "fcpxml": ("fcpx_xml", "otio-fcpx-xml-adapter"),
}
ONE_VIDEO_TRACK = ("edl",)


class ExportUnavailable(DomainError):
    """The adapter for a format is not installed here."""


@dataclass
class Exported:
    path: str
    format: str
    clips: int
    warnings: list[str] = field(default_factory=list)


def export_timeline(state: ProjectState, project_id: str, path: Path, fmt: str) -> Exported:
    adapter, package = ADAPTERS[fmt]
    if adapter not in otio.adapters.available_adapter_names():
        raise ExportUnavailable(
            f"exporting {fmt} needs the OpenTimelineIO adapter {adapter!r}: install the "
            f"package {package} (pip install {package})"
        )
    warnings: list[str] = []
    timeline = build_timeline(state, project_id, warnings)
    if fmt in ONE_VIDEO_TRACK:
        timeline = only_v1(timeline, warnings)
    text = otio.adapters.write_to_string(timeline, adapter)
    write_atomically(path, text)
    clips = sum(1 for track in timeline.tracks for _ in track.find_clips(shallow_search=True))
    return Exported(str(path), fmt, clips, warnings)


def build_timeline(state: ProjectState, project_id: str, warnings: list[str]) -> Any:
    fps = state.settings.fps
    timeline = otio.schema.Timeline(
        name=state.settings.name, global_start_time=otio.opentime.RationalTime(0, fps)
    )
    timeline.metadata["milimo"] = {"project_id": project_id, "fps": fps}
    sound: dict[str, list[Clip]] = {}
    for name, clips in cut(state).items():
        kind = otio.schema.TrackKind.Audio if name == "A1" else otio.schema.TrackKind.Video
        split = lanes(clips)
        if len(split) > 1:
            warnings.append(f"clips overlap on {name}: the later ones are on tracks above it")
        for lane, lane_clips in enumerate(split, start=1):
            label = name if lane == 1 else f"{name}.{lane}"
            timeline.tracks.append(track(state, label, kind, lane_clips))
        voiced = [c for c in clips if c.take is not None and has_audio(c.take.path)]
        if voiced and name != "A1":
            sound[name] = voiced
    for name, clips in sound.items():
        for lane, lane_clips in enumerate(lanes(clips), start=1):
            label = f"{name} audio" if lane == 1 else f"{name}.{lane} audio"
            timeline.tracks.append(track(state, label, otio.schema.TrackKind.Audio, lane_clips))
    return timeline


def lanes(clips: list[Clip]) -> list[list[Clip]]:
    """Clips split into sequences without overlap, the later-starting clip always on a higher
    lane than any earlier clip it overlaps (it plays on top). At least one lane."""
    result: list[list[Clip]] = [[]]
    placed: list[tuple[Clip, int]] = []
    for clip in sorted(clips, key=lambda c: c.start):
        under = [i for c, i in placed if c.start < clip.start + clip.length and clip.start < end(c)]
        lane = max(under) + 1 if under else 0
        while len(result) <= lane:
            result.append([])
        result[lane].append(clip)
        placed.append((clip, lane))
    return result


def end(clip: Clip) -> int:
    return clip.start + clip.length


def track(state: ProjectState, label: str, kind: Any, clips: list[Clip]) -> Any:
    fps = state.settings.fps
    result = otio.schema.Track(name=label, kind=kind)
    position = 0
    for clip in sorted(clips, key=lambda c: c.start):
        if clip.start > position:
            result.append(otio.schema.Gap(source_range=frames(0, clip.start - position, fps)))
        result.append(otio_clip(state, clip))
        position = end(clip)
    return result


def frames(start: int, length: int, fps: int) -> Any:
    return otio.opentime.TimeRange(
        otio.opentime.RationalTime(start, fps), otio.opentime.RationalTime(length, fps)
    )


def otio_clip(state: ProjectState, clip: Clip) -> Any:
    fps = state.settings.fps
    shot = state.shots[clip.shot_id]
    take = clip.take
    reference: Any
    if take is None:
        reference = otio.schema.MissingReference(
            name="no take yet", available_range=frames(0, clip.source_frames, fps)
        )
    else:
        reference = otio.schema.ExternalReference(
            target_url=Path(take.path).as_uri(), available_range=frames(0, take.num_frames, fps)
        )
    result = otio.schema.Clip(
        name=clip_name(state, clip.shot_id, clip.track),
        media_reference=reference,
        source_range=frames(clip.source_in, clip.length, fps),
    )
    result.metadata["milimo"] = {
        "shot_id": shot.id,
        "take_id": take.id if take else None,
        "sha256": take.sha256 if take else None,
        "prompt": shot.prompt,
    }
    return result


def clip_name(state: ProjectState, shot_id: str, track_name: TrackName) -> str:
    shot = state.shots[shot_id]
    scene = state.scenes.get(shot.scene_id)
    parts = [scene.name if scene else track_name, str(shot.index + 1)]
    if shot.character:
        parts.append(shot.character)
    return " / ".join(parts)


def only_v1(timeline: Any, warnings: list[str]) -> Any:
    result = otio.schema.Timeline(name=timeline.name, global_start_time=timeline.global_start_time)
    result.metadata.update(timeline.metadata)
    for item in timeline.tracks:
        if item.name == "V1":
            result.tracks.append(item.deepcopy())
            continue
        count = sum(1 for _ in item.find_clips(shallow_search=True))
        if count:
            warnings.append(
                f"an EDL (CMX 3600) holds one video track: track {item.name} ({count} clips) "
                "is left out; export otio or fcpxml to keep it"
            )
    return result


def has_audio(path: str) -> bool:
    import av

    try:
        with av.open(path) as container:
            return bool(container.streams.audio)
    except (av.FFmpegError, OSError):
        return False


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(partial, 0o644)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
