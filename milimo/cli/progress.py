"""Progress bars for commands that wait on jobs, on stderr.

On a terminal, one bar per job is redrawn in place; elsewhere (a pipe, a log file, CI) a line is
written when a job changes status or passes a quarter of its work, so logs stay short.
"""

import sys
from typing import Any, TextIO

BAR_WIDTH = 24
QUARTERS = 4


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def job_label(job: dict[str, Any]) -> str:
    shot = (job.get("shot_id") or "-")[:8]
    return f"{job['id'][:8]} {job['kind']:<7} shot {shot}"


def bar_line(job: dict[str, Any]) -> str:
    status = job["status"]
    tail = ""
    if status == "running" and job.get("step") and job.get("total"):
        tail = f" {job['step']}/{job['total']}"
        if job.get("eta"):
            tail += f" eta {job['eta']:.0f}s"
    elif status == "failed" and job.get("error"):
        tail = f"  {job['error'].get('message', '')}"[:80]
    return f"{job_label(job)} {bar(job['progress'] / 100)} {job['progress']:5.1f}% {status}{tail}"


class ProgressBoard:
    def __init__(self, stream: TextIO | None = None, live: bool | None = None):
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.drawn = 0
        self.logged: dict[str, tuple[str, int]] = {}

    def show(self, jobs: list[dict[str, Any]]) -> None:
        if self.live:
            self._redraw(jobs)
        else:
            self._log(jobs)

    def _redraw(self, jobs: list[dict[str, Any]]) -> None:
        # Move up over the bars drawn last time and draw them again, each line cleared first.
        out = "\x1b[F" * self.drawn + "".join(f"\x1b[2K{bar_line(j)}\n" for j in jobs)
        self.stream.write(out)
        self.stream.flush()
        self.drawn = len(jobs)

    def _log(self, jobs: list[dict[str, Any]]) -> None:
        for job in jobs:
            mark = (job["status"], int(job["progress"] // (100 / QUARTERS)))
            if self.logged.get(job["id"]) != mark:
                self.logged[job["id"]] = mark
                print(bar_line(job), file=self.stream, flush=True)
