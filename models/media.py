"""The ffmpeg binary backends and renders use: a system one when present, else the one the
imageio-ffmpeg package ships (it has libx264)."""

import shutil
from functools import lru_cache


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    bundled: str = imageio_ffmpeg.get_ffmpeg_exe()
    return bundled or shutil.which("ffmpeg") or "ffmpeg"


def raw_video_input(width: int, height: int, pix_fmt: str, rate: str) -> list[str]:
    """ffmpeg reading raw frames of one size and rate from its standard input."""
    return [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", pix_fmt, "-s", f"{width}x{height}", "-r", rate, "-i", "-",
    ]  # fmt: skip


def h264_output(
    preset: str, crf: str, threads: str, path: str, x264_params: str | None = None
) -> list[str]:
    """H.264 yuv420p with bit-exact flags and a fixed thread count: the same frames give the
    same bytes every time (x264's output depends on its thread count)."""
    tuning = ["-x264-params", x264_params] if x264_params else []
    return [
        "-c:v", "libx264", "-preset", preset, *tuning, "-crf", crf, "-pix_fmt", "yuv420p",
        "-threads", threads, "-fflags", "+bitexact", "-flags:v", "+bitexact",
        "-flags:a", "+bitexact", "-map_metadata", "-1", "-movflags", "+faststart", path,
    ]  # fmt: skip
