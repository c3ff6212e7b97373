"""The ffmpeg filter graph of a render, built from the resolved request and the probed takes.

Video: V1 clips trimmed by frame number and joined, conformed to the project's size (scaled with
the aspect kept, then padded) and to its fps frame for frame — one media frame is one timeline
frame, as the timeline counts them (a PAL-style conform: a 24 fps take plays at 25); black
after V1 where V2 or A1 run longer; V2 clips overlaid from their start frame. Timestamps are
frame numbers in a 1/fps time base, so every cut lands on an exact frame.

Audio: every clip's own sound (from the same trimmed range, retimed like its picture) and the A1
clips', delayed to their start by a whole number of samples and summed without normalisation over
a silent bed as long as the timeline, so there is always an AAC track of the right length.
"""

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from models.render.probe import MediaInfo

RATE = 48000  # audio sample rate of every render


@dataclass
class Graph:
    inputs: list[str] = field(default_factory=list)
    filters: list[str] = field(default_factory=list)
    opened: dict[str, int] = field(default_factory=dict)  # shot id → its input
    first: int = 0  # the number of inputs ffmpeg is given before these

    def input(self, clip: dict[str, Any]) -> int:
        """The clip's media as an input, opened once for its picture and its sound."""
        if clip["shot_id"] not in self.opened:
            self.inputs.append(clip["path"])
            self.opened[clip["shot_id"]] = self.first + len(self.inputs) - 1
        return self.opened[clip["shot_id"]]

    @property
    def text(self) -> str:
        return ";".join(self.filters)


def samples(frames: int, fps: int) -> int:
    return round(frames * RATE / fps)


def _conform(info: MediaInfo, width: int, height: int, alpha: bool) -> str:
    """Scale into the frame with the aspect kept, then pad; transparent bars over V1 for V2."""
    if (info.width, info.height) == (width, height):
        return "format=yuva420p" if alpha else "format=yuv420p"
    pixel = "yuva420p" if alpha else "yuv420p"
    colour = "black@0" if alpha else "black"
    return (
        f"scale={width}:{height}:force_original_aspect_ratio=decrease,format={pixel},"
        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2:color={colour},setsar=1"
    )


def _picture(
    graph: Graph, index: int, clip: dict[str, Any], info: MediaInfo, size: tuple[int, int], v2: bool
) -> str:
    label = f"v{index}"
    first = clip["source_in"]
    graph.filters.append(
        f"[{index}:v:0]trim=start_frame={first}:end_frame={first + clip['length']},"
        f"setpts=PTS-STARTPTS,{_conform(info, *size, alpha=v2)}[{label}]"
    )
    return label


def _sound(graph: Graph, index: int, clip: dict[str, Any], info: MediaInfo, fps: int) -> str:
    label = f"a{index}"
    source_fps = info.fps or Fraction(clip["source_fps"])
    begin = Fraction(clip["source_in"]) / source_fps
    end = begin + Fraction(clip["length"]) / source_fps
    tempo = float(Fraction(fps) / source_fps)
    retime = f"atempo={tempo:.6f}," if abs(tempo - 1) > 1e-6 else ""
    length = samples(clip["length"], fps)
    graph.filters.append(
        f"[{index}:a:0]atrim=start={float(begin):.6f}:end={float(end):.6f},"
        f"asetpts=PTS-STARTPTS,{retime}aresample={RATE},"
        f"aformat=sample_fmts=fltp:channel_layouts=stereo,"
        f"apad=whole_len={length},atrim=end_sample={length},"
        f"adelay=delays={samples(clip['start'], fps)}S:all=1[{label}]"
    )
    return label


def video_graph(graph: Graph, request: dict[str, Any], probes: dict[str, MediaInfo]) -> str:
    """Adds the picture to `graph`; returns the label of the finished video stream."""
    fps, total = int(request["fps"]), int(request["total_frames"])
    size = (int(request["width"]), int(request["height"]))
    clips = [c for c in request["clips"] if c["video"]]
    v1 = [c for c in clips if c["track"] == "V1"]
    retime = f"settb=expr=1/{fps},setpts=N"
    if v1:
        labels = [_picture(graph, graph.input(c), c, probes[c["path"]], size, v2=False) for c in v1]
        shown = sum(c["length"] for c in v1)
        tail = f",tpad=stop={total - shown}:color=black" if total > shown else ""
        joined = "".join(f"[{label}]" for label in labels)
        graph.filters.append(f"{joined}concat=n={len(labels)}:v=1:a=0,{retime}{tail}[base]")
    else:
        graph.filters.append(
            f"color=c=black:s={size[0]}x{size[1]}:r={fps},trim=end_frame={total},"
            f"format=yuv420p,{retime}[base]"
        )
    under = "base"
    for n, clip in enumerate(c for c in clips if c["track"] == "V2"):
        label = _picture(graph, graph.input(clip), clip, probes[clip["path"]], size, True)
        graph.filters.append(
            f"[{label}]settb=expr=1/{fps},setpts=N+{clip['start']}[{label}t];"
            f"[{under}][{label}t]overlay=eof_action=pass:format=auto[over{n}]"
        )
        under = f"over{n}"
    graph.filters.append(f"[{under}]format=yuv420p[vout]")
    return "vout"


def audio_graph(graph: Graph, request: dict[str, Any], probes: dict[str, MediaInfo]) -> str:
    """Adds the sound to `graph`; returns the label of the finished audio stream."""
    fps, total = int(request["fps"]), int(request["total_frames"])
    labels = []
    for clip in request["clips"]:
        info = probes[clip["path"]]
        if not (clip["audio"] and info.has_audio):
            continue
        labels.append(_sound(graph, graph.input(clip), clip, info, fps))
    bed = f"anullsrc=r={RATE}:cl=stereo,atrim=end_sample={samples(total, fps)}"
    if not labels:
        graph.filters.append(f"{bed}[aout]")
        return "aout"
    graph.filters.append(f"{bed}[bed]")
    mixed = "".join(f"[{label}]" for label in ["bed", *labels])
    graph.filters.append(
        f"{mixed}amix=inputs={len(labels) + 1}:duration=first:normalize=0:"
        f"dropout_transition=0[aout]"
    )
    return "aout"
