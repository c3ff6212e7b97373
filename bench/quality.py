"""Quality measurement (issue 6, point 8): what measuring a take costs beside making it.

Every video take is measured on the CPU inside its job, so the meter's time is added to every
job. Measured on animatic takes (the cheapest backend, so the worst ratio) of the default shot:
768x512, 121 frames, 25 fps, and a 241-frame one (the meter samples at most 48 pairs).

- quality_measure_ms_121f / _241f: the median time of FrameQualityMeter.measure on one take.
- quality_measure_vs_animatic: that median over the median time the animatic took to make the
  121-frame take (inference + encoding), in the same run. On LTX-2 on a GPU a take takes
  minutes, so the same milliseconds are noise there.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (str(ROOT), str(Path(__file__).resolve().parent)):
    if path not in sys.path:
        sys.path.insert(0, path)

from store import Metric, log  # noqa: E402

ROUNDS = 3
SIZE, FPS = (768, 512), 25


def _make(folder: Path, frames: int) -> tuple[str, float]:
    from models.animatic.backend import AnimaticBackend

    request = {"width": SIZE[0], "height": SIZE[1], "num_frames": frames, "fps": FPS,
               "seed": 42, "prompt": "a gull over the harbour at dawn"}  # fmt: skip
    path = str(folder / f"take{frames}.mp4")
    started = time.perf_counter()
    AnimaticBackend().generate(request, path, lambda *_: None, lambda: False)
    return path, time.perf_counter() - started


def measure_quality() -> list[Metric]:
    from infrastructure.take_quality import FrameQualityMeter

    meter = FrameQualityMeter()
    with tempfile.TemporaryDirectory(prefix="milimo-bench-quality-") as tmp:
        folder = Path(tmp)
        made: dict[int, list[float]] = {121: [], 241: []}
        spent: dict[int, list[float]] = {121: [], 241: []}
        for _ in range(ROUNDS):
            for frames in made:
                path, seconds = _make(folder, frames)
                made[frames].append(seconds)
                started = time.perf_counter()
                meter.measure(path)
                spent[frames].append(time.perf_counter() - started)
    short, long = (statistics.median(spent[f]) for f in (121, 241))
    ratio = short / statistics.median(made[121])
    log(f"quality: {short * 1000:.0f} ms for 121 frames, {long * 1000:.0f} ms for 241; "
        f"{ratio:.2f}x the animatic's time to make the take")  # fmt: skip
    return [
        Metric("quality_measure_ms_121f", short * 1000, "ms"),
        Metric("quality_measure_ms_241f", long * 1000, "ms"),
        Metric("quality_measure_vs_animatic", ratio, "ratio"),
    ]


if __name__ == "__main__":
    for metric in measure_quality():
        print(metric.as_json())
