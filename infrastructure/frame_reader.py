"""Frames of a take or a render for the editor's preview player, decoded with PyAV and scaled
down on the way (a terminal shows a few thousand pixels, not a 768×512 frame)."""

from collections.abc import Iterator
from pathlib import Path

from PIL.Image import Image


def read_frames(path: str, width: int, height: int) -> tuple[float, Iterator[Image]]:
    """(fps, frames fitted into width × height). Raises FileNotFoundError for a missing file."""
    import av

    if not Path(path).is_file():
        raise FileNotFoundError(f"no video at {path}")
    container = av.open(path)
    stream = container.streams.video[0]
    fps = float(stream.average_rate or stream.guessed_rate or 25)
    src_w, src_h = stream.codec_context.width, stream.codec_context.height
    scale = min(width / src_w, height / src_h, 1.0)
    size = (max(1, round(src_w * scale)), max(1, round(src_h * scale)))
    # Frames are scaled in the decoder's own converter: far cheaper than a full-size RGB copy.
    stream.thread_type = "AUTO"

    def frames() -> Iterator[Image]:
        try:
            for frame in container.decode(stream):
                yield frame.to_image(width=size[0], height=size[1])  # type: ignore[no-untyped-call]
        finally:
            container.close()

    return fps, frames()
