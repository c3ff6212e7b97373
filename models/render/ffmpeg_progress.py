"""One ffmpeg run that reports its progress (`-progress pipe:1`) as frames done and stops
as soon as the job is cancelled."""

import queue
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from typing import IO

from application.engine.ports import GenerationCancelled, OnStep, ShouldCancel

POLL_SECONDS = 0.2  # how often a quiet ffmpeg is checked for a cancel
PROGRESS_ARGS = ["-progress", "pipe:1", "-nostats", "-stats_period", "0.25"]


class FfmpegFailed(RuntimeError):
    pass


def _lines(stream: IO[str], sink: "queue.Queue[str | None]") -> None:
    for line in stream:
        sink.put(line)
    sink.put(None)


def _frames(lines: "queue.Queue[str | None]") -> Iterator[int | None]:
    """Frames done at each progress report; None while nothing new came."""
    while True:
        try:
            line = lines.get(timeout=POLL_SECONDS)
        except queue.Empty:
            yield None
            continue
        if line is None:
            return
        key, _, value = line.strip().partition("=")
        if key == "frame" and value.isdigit():
            yield int(value)


def run_ffmpeg(args: list[str], total: int, on_step: OnStep, cancelled: ShouldCancel) -> None:
    """`args`: the whole command line without the progress options, which are added here."""
    with tempfile.TemporaryFile(mode="w+") as errors:
        process = subprocess.Popen(
            [args[0], *PROGRESS_ARGS, *args[1:]],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        assert process.stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_lines, args=(process.stdout, lines), daemon=True).start()
        done = 0
        try:
            for frames in _frames(lines):
                if frames is not None and frames != done:
                    done = min(frames, total)
                    on_step(max(done, 1), total, done)
                if cancelled():
                    raise GenerationCancelled(done)
            if process.wait() != 0:
                errors.seek(0)
                message = errors.read().strip().splitlines()[-5:]
                raise FfmpegFailed("ffmpeg could not render: " + " | ".join(message))
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
