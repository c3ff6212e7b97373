"""Take thumbnails: a small JPEG of the middle frame of a video, or of the image itself."""

import os
from pathlib import Path
from typing import Any

import av
from PIL import Image, UnidentifiedImageError

WIDTH = 320
QUALITY = 85


class ThumbnailError(Exception):
    """The take could not be read as an image or a video."""


def middle_frame(path: str) -> Image.Image:
    """The frame at the middle of a video's first video stream, decoded frame-exactly."""
    try:
        with av.open(path) as container:
            if not container.streams.video:
                raise ThumbnailError(f"{path} has no video stream")
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"  # decodes the frames before the middle on every core
            count = stream.frames
            if not count and stream.duration and stream.average_rate and stream.time_base:
                count = int(stream.duration * stream.time_base * stream.average_rate)
            target = count // 2 if count else 0
            chosen = None
            for index, frame in enumerate(container.decode(stream)):
                chosen = frame
                if index >= target:
                    break
            if chosen is None:
                raise ThumbnailError(f"{path} has no frames")
            return Image.fromarray(chosen.to_ndarray(format="rgb24"))
    except av.FFmpegError as error:
        raise ThumbnailError(f"{path} is neither an image nor a video: {error}") from error


def representative(path: str) -> Image.Image:
    try:
        with Image.open(path) as image:
            image.load()
            return image.convert("RGB")
    except UnidentifiedImageError:
        return middle_frame(path)


def shrink(image: Image.Image, width: int = WIDTH) -> Image.Image:
    """At most `width` pixels wide, keeping the aspect ratio (never enlarged)."""
    if image.width <= width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


class FrameThumbnailer:
    """Writes media_dir/projects/<project>/thumbnails/<take>.jpg."""

    def __init__(self, media_dir: Path, width: int = WIDTH):
        self.media_dir = media_dir
        self.width = width

    def thumbnail(self, source: str, project_id: str, take_id: str, poster: Any = None) -> str:
        if not Path(source).is_file():
            raise ThumbnailError(f"{source} does not exist")
        frame = Image.fromarray(poster) if poster is not None else representative(source)
        picture = shrink(frame.convert("RGB"), self.width)
        folder = self.media_dir / "projects" / project_id / "thumbnails"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{take_id}.jpg"
        partial = folder / f".{take_id}.{os.getpid()}.jpg"
        picture.save(partial, format="JPEG", quality=QUALITY)
        partial.replace(target)  # a reader never sees half a file
        return str(target.resolve())
