"""The render backend: one ffmpeg run from a resolved render request to one MP4 (H.264 yuv420p
+ AAC, faststart), frame-exact, with provenance.

x264 runs at preset `veryfast`, CRF 20: a render is a review copy made often, and past veryfast
x264 spends much more time for little gain at these sizes (bench/render.py holds its
hand-written baseline to the same preset, so the comparison measures Milimo, not x264).
"""

import time
from pathlib import Path
from typing import Any

from application.engine.ports import GenerationOutput, OnStep, ShouldCancel
from models.media import ffmpeg_exe
from models.render.ffmpeg_progress import run_ffmpeg
from models.render.graph import Graph, audio_graph, video_graph
from models.render.probe import MediaInfo, count_frames, probe
from models.render.provenance import metadata_args, takes, write_sidecar
from models.render.stream_copy import concat_list, copy_blocker

PRESET, CRF = "veryfast", "20"
AUDIO = ["-c:a", "aac", "-b:a", "160k", "-ar", "48000"]


class FrameCountMismatch(RuntimeError):
    pass


def encode_args(request: dict[str, Any], probes: dict[str, MediaInfo], output: str) -> list[str]:
    """The whole ffmpeg command that re-encodes the timeline."""
    graph = Graph()
    video = video_graph(graph, request, probes)
    audio = audio_graph(graph, request, probes)
    return [
        *_head(), *_inputs(graph), "-filter_complex", graph.text,
        "-map", f"[{video}]", "-map", f"[{audio}]", "-fps_mode", "passthrough",
        "-c:v", "libx264", "-preset", PRESET, "-crf", CRF, "-pix_fmt", "yuv420p",
        *AUDIO, *_tail(request, output),
    ]  # fmt: skip


def copy_args(
    request: dict[str, Any], concat: str, output: str, probes: dict[str, MediaInfo]
) -> list[str]:
    """The ffmpeg command that copies the picture from a concat list and makes the sound."""
    graph = Graph(first=1)
    audio = audio_graph(graph, request, probes)
    return [
        *_head(), "-f", "concat", "-safe", "0", "-i", concat, *_inputs(graph),
        "-filter_complex", graph.text, "-map", "0:v:0", "-map", f"[{audio}]",
        "-c:v", "copy", *AUDIO, *_tail(request, output),
    ]  # fmt: skip


def _head() -> list[str]:
    return [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y"]


def _inputs(graph: Graph) -> list[str]:
    return [arg for path in graph.inputs for arg in ("-i", path)]


def _tail(request: dict[str, Any], output: str) -> list[str]:
    return [
        "-map_metadata", "-1", *metadata_args(request),
        "-movflags", "+faststart", "-f", "mp4", output,
    ]  # fmt: skip


class RenderBackend:
    name = "render"
    device = "cpu"  # ffmpeg only: the loader needs no torch to say where it runs

    def model_info(self) -> dict[str, Any]:
        return {"id": "ffmpeg", "version": Path(ffmpeg_exe()).name, "preset": PRESET, "crf": CRF}

    def generate(
        self, request: dict[str, Any], output_path: str, on_step: OnStep, cancelled: ShouldCancel
    ) -> GenerationOutput:
        started = time.perf_counter()
        output = str(request.get("destination") or output_path)
        total = int(request["total_frames"])
        probes = {c["path"]: probe(c["path"]) for c in request["clips"]}
        partial = output + ".partial.mp4"
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        blocker = copy_blocker(request, probes)
        try:
            copied = blocker is None and self._copy(request, probes, partial, on_step, cancelled)
            if blocker is None and not copied:
                blocker = "the stream copy did not give the timeline's frame count"
            if not copied:
                run_ffmpeg(encode_args(request, probes, partial), total, on_step, cancelled)
            checked = time.perf_counter()
            frames = count_frames(partial)
            if frames != total:
                raise FrameCountMismatch(
                    f"the render has {frames} frames, the timeline {total}: not kept"
                )
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        Path(partial).replace(output)
        on_step(total, total, total)
        sidecar = write_sidecar(output, request, copied)
        extra: dict[str, Any] = {
            "stream_copy": copied,
            "sidecar": sidecar,
            "takes": takes(request),
            "total_frames": total,
            "reencoded_because": blocker,
        }
        width, height = int(request["width"]), int(request["height"])
        done = time.perf_counter()
        return GenerationOutput(
            output, width, height, frames, float(request["fps"]),
            checked - started, done - checked, extra,
        )  # fmt: skip

    def _copy(
        self,
        request: dict[str, Any],
        probes: dict[str, MediaInfo],
        partial: str,
        on_step: OnStep,
        cancelled: ShouldCancel,
    ) -> bool:
        concat = partial + ".ffconcat"
        Path(concat).write_text(concat_list(request, probes))
        try:
            run_ffmpeg(
                copy_args(request, concat, partial, probes),
                int(request["total_frames"]),
                on_step,
                cancelled,
            )
        finally:
            Path(concat).unlink(missing_ok=True)
        return count_frames(partial) == int(request["total_frames"])
