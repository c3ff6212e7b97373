"""What a render needs to know of a media file, read with PyAV (the bundled ffmpeg has no
ffprobe): its video stream's format, its frames and keyframes, and whether it has sound."""

from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise

import av


@dataclass(frozen=True)
class MediaInfo:
    path: str
    codec: str
    pix_fmt: str | None
    width: int
    height: int
    fps: Fraction
    frames: int
    keyframes: frozenset[int]  # frame indices, in presentation order
    reordered: bool  # B-frames: decode order is not presentation order
    extradata: bytes | None
    has_audio: bool


def probe(path: str) -> MediaInfo:
    with av.open(path) as container:
        if not container.streams.video:
            if not container.streams.audio:
                raise ValueError(f"{path} has neither a video nor an audio stream")
            # A sound on A1: timed by its shot's fps (fps 0 says "no pictures of its own").
            name = container.streams.audio[0].codec_context.name
            return MediaInfo(path, name, None, 0, 0, Fraction(0), 0, frozenset(), False, None, True)
        stream = container.streams.video[0]
        context = stream.codec_context
        fps = stream.average_rate or stream.guessed_rate or Fraction(25)
        packets = [
            (p.pts, p.is_keyframe) for p in container.demux(stream) if p.size and p.pts is not None
        ]
        reordered = any(b[0] < a[0] for a, b in pairwise(packets))
        ordered = sorted(packets)
        return MediaInfo(
            path=path,
            codec=context.name,
            pix_fmt=context.pix_fmt,
            width=context.width,
            height=context.height,
            fps=Fraction(fps),
            frames=len(ordered),
            keyframes=frozenset(i for i, (_, key) in enumerate(ordered) if key),
            reordered=reordered,
            extradata=context.extradata,
            has_audio=bool(container.streams.audio),
        )


def count_frames(path: str) -> int:
    """Frames of the first video stream, counted packet by packet (one frame each in MP4)."""
    with av.open(path) as container:
        stream = container.streams.video[0]
        return sum(1 for p in container.demux(stream) if p.size)


def audio_seconds(path: str) -> float | None:
    """Length of the first audio stream in seconds, from its decoded samples; None if silent."""
    with av.open(path) as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        samples = sum(frame.samples for frame in container.decode(stream))
        return samples / (stream.rate or 1)
