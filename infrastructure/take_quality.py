"""A take's quality, measured on the CPU: decode with PyAV, sample frame pairs, measure them.

Cheap by design: every frame is decoded (a video cannot be cut without it), but only the
sampled ones are converted, straight to grey at most 256 px wide in the decoder's scaler, and
at most 48 pairs of consecutive frames are measured, spread evenly over the take.
"""

from pathlib import Path
from typing import Any

import numpy as np

from infrastructure.frame_metrics import PairMeasure, measure_pair, summarize

MEASURE_WIDTH = 256
MAX_PAIRS = 48
VERSION = "quality-1"


class TakeUnreadable(Exception):
    """The take is not a video this meter can decode."""


def pair_starts(count: int, max_pairs: int = MAX_PAIRS) -> list[int]:
    """First frames of the consecutive pairs to measure, evenly spread over `count` frames."""
    if count < 2:
        return []
    pairs = min(max_pairs, count - 1)
    if pairs == 1:
        return [0]
    last = count - 2
    return sorted({round(k * last / (pairs - 1)) for k in range(pairs)})


def measuring_size(width: int, height: int) -> tuple[int, int]:
    scale = min(1.0, MEASURE_WIDTH / width)
    return max(2, round(width * scale) // 2 * 2), max(2, round(height * scale) // 2 * 2)


class FrameQualityMeter:
    """Implements the engine's TakeMeter port."""

    def __init__(self, max_pairs: int = MAX_PAIRS):
        self.max_pairs = max_pairs

    def measure(self, path: str) -> dict[str, Any]:
        frames, count, size = self._sampled_frames(path)
        starts = [i for i in pair_starts(count, self.max_pairs) if i + 1 in frames]
        pairs: list[PairMeasure] = [measure_pair(frames[i], frames[i + 1]) for i in starts]
        quality = summarize(list(frames.values()), pairs)
        quality["sampled"] = {
            "frames": len(frames),
            "pairs": len(pairs),
            "of_frames": count,
            "width": size[0],
            "height": size[1],
        }
        quality["version"] = VERSION
        return quality

    def _sampled_frames(self, path: str) -> tuple[dict[int, np.ndarray], int, tuple[int, int]]:
        import av

        if not Path(path).is_file():
            raise TakeUnreadable(f"no take at {path}")
        try:
            with av.open(path) as container:
                if not container.streams.video:
                    raise TakeUnreadable(f"{path} has no video stream")
                stream = container.streams.video[0]
                stream.thread_type = "AUTO"
                count = stream.frames or self._count(path)
                size = measuring_size(stream.codec_context.width, stream.codec_context.height)
                wanted = {i + d for i in pair_starts(count, self.max_pairs) for d in (0, 1)}
                if count == 1:
                    wanted = {0}
                frames: dict[int, np.ndarray] = {}
                for index, frame in enumerate(container.decode(stream)):
                    if index in wanted:
                        frames[index] = frame.to_ndarray(
                            format="gray", width=size[0], height=size[1]
                        )
                    if index >= max(wanted, default=0):
                        break
        except av.FFmpegError as error:
            raise TakeUnreadable(f"{path} is not a video: {error}") from error
        if not frames:
            raise TakeUnreadable(f"{path} has no frames")
        return frames, count, size

    @staticmethod
    def _count(path: str) -> int:
        """Frames of a container that does not say (some muxers leave the count out)."""
        import av

        with av.open(path) as container:
            return sum(1 for _ in container.demux(video=0) if _.size)
