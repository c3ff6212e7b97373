"""The animatic backend: storyboard cards with camera motion and timing, encoded as H.264.

Exactly the requested width, height, frame count and fps; the same request gives the same
bytes (single-threaded x264 with bit-exact flags, a bundled font, a seeded palette).
"""

import hashlib
import subprocess
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image

from application.engine.ports import GenerationCancelled, GenerationOutput, OnStep, ShouldCancel
from models.animatic.card import render_card
from models.animatic.classical import inpaint, segment
from models.animatic.motion import window
from models.animatic.timing import overlay
from models.media import h264_output, raw_video_input

VERSION = "animatic-1"
CANCEL_CHECK_EVERY = 8  # frames


class AnimaticBackend:
    name = "animatic"

    def model_info(self) -> dict[str, Any]:
        source = "".join(
            (Path(__file__).parent / f).read_text() for f in ("card.py", "motion.py", "timing.py")
        )
        return {
            "id": "animatic",
            "version": VERSION,
            "weights_hash": "sha256:" + hashlib.sha256(source.encode()).hexdigest()[:16],
        }

    def generate(
        self, request: dict[str, Any], output_path: str, on_step: OnStep, cancelled: ShouldCancel
    ) -> GenerationOutput:
        kind = request.get("kind", "video")
        if kind in ("segment", "inpaint"):
            return self._classical(kind, request, output_path, on_step)
        if int(request.get("num_frames", 1)) <= 1 or kind in ("image", "concept", "thumbnail"):
            return self._still(request, output_path, on_step)
        return self._video(request, output_path, on_step, cancelled)

    def _classical(
        self, kind: str, request: dict[str, Any], output_path: str, on_step: OnStep
    ) -> GenerationOutput:
        started = time.perf_counter()
        pixels = segment(request) if kind == "segment" else inpaint(request)
        Path(output_path).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(pixels).save(output_path, format="PNG")
        on_step(1, 1, 1)
        height, width = pixels.shape[:2]
        extra = {"area": round(float((pixels > 127).mean()), 4)} if kind == "segment" else {}
        return GenerationOutput(
            output_path, width, height, 1, 1.0, time.perf_counter() - started, 0.0, extra
        )

    def _still(
        self, request: dict[str, Any], output_path: str, on_step: OnStep
    ) -> GenerationOutput:
        started = time.perf_counter()
        width, height = int(request["width"]), int(request["height"])
        card = render_card(request, width, height)
        frame = window("static", 0, 1, card, width, height)
        Path(output_path).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.ascontiguousarray(frame)).save(output_path, format="PNG", optimize=False)
        on_step(1, 1, 1)
        elapsed = time.perf_counter() - started
        return GenerationOutput(output_path, width, height, 1, 1.0, elapsed, 0.0)

    def _video(
        self, request: dict[str, Any], output_path: str, on_step: OnStep, cancelled: ShouldCancel
    ) -> GenerationOutput:
        width, height = int(request["width"]), int(request["height"])
        count, fps = int(request["num_frames"]), int(request["fps"])
        shot_type = str((request.get("storyboard") or {}).get("shot_type", "medium"))
        # A segment of a long shot carries on the shot's camera move, timing and card palette
        # from where it starts, so the stitched segments look like one shot.
        segment = request.get("segment") or {}
        offset, shot_count = int(segment.get("start", 0)), int(segment.get("total", count))
        shot_seed = int(segment.get("shot_seed", request.get("seed", 0)))
        started = time.perf_counter()
        card = render_card({**request, "seed": shot_seed}, width, height)
        Path(output_path).parent.mkdir(parents=True, exist_ok=True)
        partial = output_path + ".partial.mp4"
        encoder = subprocess.Popen(
            raw_video_input(width, height, "yuv420p", str(fps))
            + h264_output("ultrafast", "20", "2", partial),
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert encoder.stdin is not None
        render_seconds = 0.0
        poster = None
        try:
            for index in range(count):
                if index % CANCEL_CHECK_EVERY == 0 and index and cancelled():
                    raise GenerationCancelled(index)
                t0 = time.perf_counter()
                at = offset + index
                frame = overlay(
                    window(shot_type, at, shot_count, card, width, height), at, shot_count, fps
                )
                render_seconds += time.perf_counter() - t0
                if index == count // 2:
                    poster = frame
                # I420 here (half the bytes of RGB through the pipe, no conversion in ffmpeg).
                encoder.stdin.write(cv2.cvtColor(frame, cv2.COLOR_RGB2YUV_I420).tobytes())
                on_step(index + 1, count, index + 1)
            encoder.stdin.close()
            if encoder.wait() != 0:
                error = encoder.stderr.read().decode(errors="replace") if encoder.stderr else ""
                raise RuntimeError(f"ffmpeg could not encode the animatic: {error.strip()}")
        except BaseException:
            encoder.kill()
            encoder.wait()
            Path(partial).unlink(missing_ok=True)
            raise
        Path(partial).replace(output_path)
        total = time.perf_counter() - started
        return GenerationOutput(
            output_path, width, height, count, float(fps), render_seconds, total - render_seconds,
            poster=poster,
        )  # fmt: skip
