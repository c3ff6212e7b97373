"""When a render may copy the takes' H.264 as it is: a concat-demuxer list instead of a
re-encode. Copying cuts only on keyframes (elsewhere it snaps to one), so every other case
re-encodes; the caller still counts the frames and re-encodes if the copy came out wrong."""

from fractions import Fraction
from typing import Any

from models.render.probe import MediaInfo


def copy_blocker(request: dict[str, Any], probes: dict[str, MediaInfo]) -> str | None:
    """Why the picture cannot be stream-copied, or None when it can."""
    clips = [c for c in request["clips"] if c["video"]]
    v1 = [c for c in clips if c["track"] == "V1"]
    if not v1:
        return "nothing is drawn on V1"
    if len(v1) != len(clips):
        return "V2 overlays are drawn"
    if sum(c["length"] for c in v1) != request["total_frames"]:
        return "the timeline runs past V1 (black to add)"
    size, fps = (request["width"], request["height"]), Fraction(request["fps"])
    extradata = {probes[c["path"]].extradata for c in v1}
    for clip in v1:
        info = probes[clip["path"]]
        if info.codec != "h264" or info.pix_fmt != "yuv420p":
            return f"take of shot {clip['shot_id'][:8]} is {info.codec} {info.pix_fmt}"
        if (info.width, info.height) != size or info.fps != fps:
            return f"take of shot {clip['shot_id'][:8]} needs conforming to the project"
        if clip["source_in"] not in info.keyframes:
            return f"shot {clip['shot_id'][:8]} starts between keyframes"
        if clip["source_in"] + clip["length"] < info.frames and info.reordered:
            return f"shot {clip['shot_id'][:8]} ends inside a stream with B-frames"
    if len(extradata) != 1:
        return "the takes were encoded with different settings"
    return None


def _quoted(path: str) -> str:
    return "'" + path.replace("'", "'\\''") + "'"


def concat_list(request: dict[str, Any], probes: dict[str, MediaInfo]) -> str:
    """The concat demuxer's script: each V1 clip's file with its in and out points. The out
    point sits half a frame before the first frame left out, so rounding cannot keep it."""
    lines = ["ffconcat version 1.0"]
    for clip in (c for c in request["clips"] if c["video"]):
        info = probes[clip["path"]]
        lines.append(f"file {_quoted(clip['path'])}")
        if clip["source_in"]:
            lines.append(f"inpoint {float(clip['source_in'] / info.fps):.6f}")
        end = clip["source_in"] + clip["length"]
        if end < info.frames:
            lines.append(f"outpoint {float((end - Fraction(1, 2)) / info.fps):.6f}")
    return "\n".join(lines) + "\n"
