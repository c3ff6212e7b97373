"""Imported media: checked with PyAV, kept once per content under `<media>/assets/`.

A file is copied (and hashed on the way) before it is probed, so what was validated is exactly
what is stored. It must lie where the user may read: a regular file, not under /proc, /sys or
/dev, readable, and (symlinks resolved) under home, the current dir, the temp dir, the data or
media dir, or a configured import root.
"""

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from application.engine.ports import MediaMissing, MediaRejected, StoredMedia

SYSTEM_DIRS = (Path("/proc"), Path("/sys"), Path("/dev"))
IMAGE_FORMATS = ("image2", "apng", "gif_pipe", "webp_pipe")  # besides every "*_pipe" demuxer
ANIMATED = ("gif", "apng")
DEFAULT_SUFFIX = {"image": ".png", "video": ".mp4", "audio": ".wav"}
SUFFIX = re.compile(r"^\.[a-z0-9]{1,5}$")
CHUNK = 1 << 20


class LocalAssetStore:
    def __init__(self, media_dir: Path, roots: Iterable[Path]):
        self.media_dir = media_dir
        self.roots = [Path(r).expanduser().resolve() for r in roots]

    def store(self, source: str) -> StoredMedia:
        path = self.readable(source)
        folder = self.media_dir / "assets"
        folder.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=folder, prefix=".import-")
        try:
            with os.fdopen(handle, "wb") as out, path.open("rb") as src:
                digest = hashlib.sha256()
                for block in iter(lambda: src.read(CHUNK), b""):
                    digest.update(block)
                    out.write(block)
            sha = digest.hexdigest()
            stored = self._existing(sha)
            if stored is not None:
                media = probe(str(stored), path.name)
                return replace(media, path=str(stored), sha256=sha, origin=str(path))
            media = probe(partial, path.name)
            suffix = path.suffix.lower() if SUFFIX.match(path.suffix.lower()) else ""
            stored = self._target(sha, suffix or DEFAULT_SUFFIX[media.kind])
            stored.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(partial, 0o644)
            os.replace(partial, stored)
            return replace(media, path=str(stored), sha256=sha, origin=str(path))
        finally:
            Path(partial).unlink(missing_ok=True)

    def readable(self, source: str) -> Path:
        """The resolved path of `source`, once it is a readable regular file a user may import."""
        given = Path(source).expanduser()
        if not os.path.lexists(given):
            raise MediaMissing(f"no file at {given.absolute()}")
        try:
            path = given.resolve(strict=True)
        except (OSError, RuntimeError):
            raise MediaMissing(f"{given} is a link to nothing") from None
        if any(path.is_relative_to(d) for d in SYSTEM_DIRS):
            raise MediaRejected(f"{path} is a system file, not media")
        if not path.is_file():
            raise MediaRejected(f"{path} is not a regular file")
        if not any(path.is_relative_to(root) for root in self.roots):
            raise MediaRejected(
                f"{path} is outside the folders Milimo imports from ({self._roots_text()}); "
                "add its folder to MILIMO_IMPORT_ROOTS to allow it"
            )
        if not os.access(path, os.R_OK):
            raise MediaRejected(f"{path} is not readable by this user")
        if path.stat().st_size == 0:
            raise MediaRejected(f"{path} is empty")
        return path

    def remove(self, path: str) -> bool:
        """Remove a stored file (an import or a job's output); never one outside the media dir,
        such as a user's own file. False when nothing was removed."""
        target = Path(path).resolve()
        if not target.is_relative_to(self.media_dir.resolve()) or not target.is_file():
            return False
        target.unlink(missing_ok=True)
        return True

    def _existing(self, sha: str) -> Path | None:
        folder = self.media_dir / "assets" / sha[:2]
        return next((p for p in sorted(folder.glob(f"{sha}.*")) if p.is_file()), None)

    def _target(self, sha: str, suffix: str) -> Path:
        return self.media_dir / "assets" / sha[:2] / f"{sha}{suffix}"

    def _roots_text(self) -> str:
        return ", ".join(str(r) for r in self.roots)


def default_roots(data_dir: Path, media_dir: Path, extra: Iterable[Path]) -> list[Path]:
    roots = [Path.home(), Path.cwd(), Path(tempfile.gettempdir()), data_dir, media_dir, *extra]
    return list(dict.fromkeys(root.resolve() for root in roots))


def probe(path: str, name: str | None = None) -> StoredMedia:
    """What a file holds, read by decoding its first frame; MediaRejected when it is not media
    (or is cut short)."""
    import av

    label = name or Path(path).name
    try:
        with av.open(path) as container:
            return _measure(container, path, label)
    except av.FFmpegError as error:
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise MediaRejected(f"{label} is not a media file PyAV can read ({reason})") from None
    except (StopIteration, EOFError):
        raise MediaRejected(f"{label} holds no frame that can be decoded") from None


def _measure(container: Any, path: str, label: str) -> StoredMedia:
    video = next(iter(container.streams.video), None)
    audio = next(iter(container.streams.audio), None)
    if video is None and audio is None:
        raise MediaRejected(f"{label} has no video, image or audio stream")
    if video is None:
        next(container.decode(audio))
        duration = _seconds(container, audio)
        return StoredMedia(path, "", "audio", None, None, None, None, duration, True)
    first = next(container.decode(video))
    width, height = int(first.width), int(first.height)
    format_name = str(container.format.name)
    still = format_name.endswith("_pipe") or format_name == "image2"
    if still and not any(a in format_name for a in ANIMATED):
        return StoredMedia(path, "", "image", width, height, 1, None, None, False)
    container.seek(0)
    packets = sum(1 for p in container.demux(video) if p.size)
    declared = int(video.frames or 0)
    if declared and packets < declared:
        raise MediaRejected(f"{label} is cut short: {packets} of its {declared} frames are there")
    fps = float(video.average_rate) if video.average_rate else None
    return StoredMedia(
        path,
        "",
        "video",
        width,
        height,
        packets,
        fps,
        _seconds(container, video),
        audio is not None,
    )


def _seconds(container: Any, stream: Any) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return round(float(stream.duration * stream.time_base), 4)
    if container.duration is not None:
        return round(float(container.duration) / 1_000_000, 4)
    return None
