"""The ffmpeg binary backends and renders use: a system one when present, else the one the
imageio-ffmpeg package ships (it has libx264)."""

import shutil
from functools import lru_cache


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    bundled: str = imageio_ffmpeg.get_ffmpeg_exe()
    return bundled or shutil.which("ffmpeg") or "ffmpeg"
