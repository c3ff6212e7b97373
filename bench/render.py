"""Render measurement (issue 4, 12a): Milimo's render of a 20-shot timeline with trims vs one
hand-written ffmpeg command producing the same cut, measured in the same run.

- render_vs_ffmpeg: the median time of Milimo's render (the render job's backend on the request
  the render command records: probing the takes, the filter graph, the frame-count check, the
  sidecar) over the median time of the hand-written command (trim + concat + a silent AAC track).
  Both use x264 preset veryfast, CRF 20 — Milimo's render setting — so the ratio measures
  Milimo's overhead, not a choice of encoder speed. Runs alternate, so drift hits both alike.
- render_seconds / render_baseline_seconds: those medians, without a goal.

The takes are animatic clips at 768x512, 25 fps, 2.3 to 3.6 s each, trimmed by 2 to 11 frames
at either end (cuts between keyframes, so both sides re-encode).
"""

from __future__ import annotations

import hashlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for path in (str(ROOT), str(Path(__file__).resolve().parent)):
    if path not in sys.path:
        sys.path.insert(0, path)

from store import Metric, log  # noqa: E402

ACTOR = "bench@localhost"
SHOTS, WIDTH, HEIGHT, FPS = 20, 768, 512, 25
FRAMES = (57, 73, 89, 65, 81)  # 8k+1 frames: 2.3 to 3.6 s
ROUNDS = 3


def sha256(path: str) -> str | None:
    file = Path(path)
    return hashlib.sha256(file.read_bytes()).hexdigest() if file.is_file() else None


def build_timeline(folder: Path) -> dict[str, Any]:
    """Twenty animatic takes on V1 with trims; returns the recorded render request."""
    from application.render_request import render_request
    from domain.project.aggregate import Project
    from models.animatic.backend import AnimaticBackend

    animatic = AnimaticBackend()
    project = Project.create(ACTOR, "Bench Reel", width=WIDTH, height=HEIGHT, fps=FPS)
    scene = project.add_scene(ACTOR, "Everything")
    for n in range(SHOTS):
        frames = FRAMES[n % len(FRAMES)]
        shot = project.add_shot(ACTOR, scene, num_frames=frames, prompt=f"shot {n}")
        request = {"width": WIDTH, "height": HEIGHT, "num_frames": frames, "fps": FPS,
                   "seed": n, "prompt": f"shot {n} of the bench reel",
                   "storyboard": {"shot_type": ("wide", "medium", "close_up")[n % 3],
                                  "scene": "Everything", "shot_index": n}}  # fmt: skip
        path = str(folder / f"take{n:02d}.mp4")
        animatic.generate(request, path, lambda *_: None, lambda: False)
        take = {"id": f"take{n}", "job_id": f"take{n}", "path": path, "sha256": sha256(path),
                "num_frames": frames, "width": WIDTH, "height": HEIGHT}  # fmt: skip
        project.add_take(ACTOR, shot, take)
        project.trim_shot(ACTOR, shot, trim_in=2 + n % 9, trim_out=3 + (n * 5) % 9)
    state = project.state
    request = render_request(project.id.hex, int(project.version), state, sha256)
    return {**request, "kind": "render", "backend": "render", "model": "ffmpeg"}


def baseline_command(request: dict[str, Any], output: str) -> list[str]:
    """What a person would write by hand for the same cut: trim each take, concatenate, add a
    silent AAC track as long as the picture."""
    from models.media import ffmpeg_exe
    from models.render.backend import CRF, PRESET

    clips = request["clips"]
    chains = [
        f"[{i}:v]trim=start_frame={c['source_in']}:end_frame={c['source_in'] + c['length']},"
        f"setpts=PTS-STARTPTS[v{i}]"
        for i, c in enumerate(clips)
    ]
    seconds = request["total_frames"] / request["fps"]
    graph = ";".join(
        [
            *chains,
            "".join(f"[v{i}]" for i in range(len(clips))) + f"concat=n={len(clips)}:v=1:a=0[v]",
            f"anullsrc=r=48000:cl=stereo,atrim=duration={seconds}[a]",
        ]
    )
    inputs = [arg for c in clips for arg in ("-i", c["path"])]
    return [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *inputs,
        "-filter_complex", graph, "-map", "[v]", "-map", "[a]",
        "-c:v", "libx264", "-preset", PRESET, "-crf", CRF, "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart", output,
    ]  # fmt: skip


def time_milimo(request: dict[str, Any], output: str) -> tuple[float, int]:
    from models.render.backend import RenderBackend

    started = time.perf_counter()
    out = RenderBackend().generate(request, output, lambda *_: None, lambda: False)
    return time.perf_counter() - started, out.frames


def time_baseline(request: dict[str, Any], output: str) -> tuple[float, int]:
    from models.render.probe import count_frames

    started = time.perf_counter()
    subprocess.run(baseline_command(request, output), check=True)
    elapsed = time.perf_counter() - started
    return elapsed, count_frames(output)


def measure_render() -> list[Metric]:
    with tempfile.TemporaryDirectory(prefix="milimo-bench-render-") as tmp:
        folder = Path(tmp)
        log(f"render: {SHOTS} animatic takes at {WIDTH}x{HEIGHT}")
        request = build_timeline(folder)
        total = int(request["total_frames"])
        mine, theirs = [], []
        note = None
        for n in range(ROUNDS):
            log(f"render: round {n + 1} of {ROUNDS} ({total} frames)")
            seconds, frames = time_milimo(request, str(folder / "milimo.mp4"))
            mine.append(seconds)
            base_seconds, base_frames = time_baseline(request, str(folder / "baseline.mp4"))
            theirs.append(base_seconds)
            if frames != total or base_frames != total:
                note = f"frames: Milimo {frames}, hand-written {base_frames}, timeline {total}"
        render, baseline = statistics.median(mine), statistics.median(theirs)
        return [
            Metric("render_vs_ffmpeg", render / baseline, "ratio", 1.3, "<=", note),
            Metric("render_seconds", render, "s"),
            Metric("render_baseline_seconds", baseline, "s"),
        ]


if __name__ == "__main__":
    for metric in measure_render():
        print(metric.as_json())
