"""The render backend with the real ffmpeg, on tiny clips whose every frame says which clip
and which of its frames it is (left half: 16 + 6 × frame, right half: 40 + 40 × clip), so a
cut one frame off shows."""

import hashlib
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from application.engine.ports import GenerationCancelled
from application.render_request import render_request
from domain.project.aggregate import Project
from models.media import ffmpeg_exe
from models.render import backend as render_backend
from models.render.backend import FrameCountMismatch, RenderBackend

ACTOR = "ana@studio-1"
SIZE = 256
BLACK = 16


def make_clip(
    path: Path, clip: int, frames: int, size: tuple[int, int] = (SIZE, SIZE), fps: int = 25,
    sound: bool = False, gop: int = 250,
) -> str:  # fmt: skip
    luma = f"if(lt(X\\,W/2)\\,16+N*6\\,40+{clip}*40)"
    source = f"color=c=gray:s={size[0]}x{size[1]}:r={fps},geq=lum='{luma}':cb=128:cr=128"
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
    command += ["-f", "lavfi", "-i", source]
    if sound:
        command += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
    command += [
        "-frames:v", str(frames), "-c:v", "libx264", "-preset", "ultrafast", "-crf", "8",
        "-g", str(gop), "-bf", "0", "-pix_fmt", "yuv420p",
    ]  # fmt: skip
    if sound:
        command += ["-c:a", "aac", "-shortest"]
    subprocess.run([*command, str(path)], check=True)
    return str(path)


def sha256(path: str) -> str | None:
    file = Path(path)
    return hashlib.sha256(file.read_bytes()).hexdigest() if file.is_file() else None


class Timeline:
    """A project whose shots get the clips above as takes."""

    def __init__(self, folder: Path, fps: int = 25):
        self.folder = folder
        self.project = Project.create(ACTOR, "Test Reel", width=SIZE, height=SIZE, fps=fps)
        self.scene = self.project.add_scene(ACTOR, "One")
        self.count = 0

    def shot(self, frames: int, track: str = "V1", start: int | None = None, **clip: Any) -> str:
        p = self.project
        placed = {} if track == "V1" else {"start_frame": start or 0}
        shot = p.add_shot(ACTOR, self.scene, track=track, num_frames=frames, **placed)
        ident = clip.pop("ident", self.count)
        path = make_clip(self.folder / f"clip{self.count}.mp4", ident, frames, **clip)
        self.count += 1
        size = clip.get("size", (SIZE, SIZE))
        name = f"take{self.count}"
        take = {"id": name, "job_id": name, "path": path, "sha256": sha256(path),
                "num_frames": frames, "width": size[0], "height": size[1]}  # fmt: skip
        p.add_take(ACTOR, shot, take)
        return shot

    def request(self) -> dict[str, Any]:
        p = self.project
        r = render_request(p.id.hex, int(p.version), p.state, sha256)
        return {**r, "kind": "render", "backend": "render", "model": "ffmpeg"}


Steps = list[tuple[int, int, int | None]]


def render(timeline: Timeline, cancelled: Callable[[], bool] = lambda: False) -> tuple[Any, Steps]:
    steps: Steps = []
    out = RenderBackend().generate(
        timeline.request(),
        str(timeline.folder / "render.mp4"),
        lambda s, t, f: steps.append((s, t, f)),
        cancelled,
    )
    return out, steps


def frames(path: str) -> list[tuple[int, int, int]]:
    """(clip, frame, corner luma) of every frame, read from the raw luma plane."""
    seen = []
    with av.open(path) as container:
        for frame in container.decode(video=0):
            luma = frame.to_ndarray(format="yuv420p")[: frame.height]
            h, w = luma.shape
            left, right = int(luma[h // 2, w // 4]), int(luma[h // 2, 3 * w // 4])
            seen.append((round((right - 40) / 40), round((left - 16) / 6), int(luma[4, 4])))
    return seen


def sound(path: str) -> tuple[np.ndarray, int]:
    with av.open(path) as container:
        stream = container.streams.audio[0]
        chunks = [f.to_ndarray().mean(axis=0) for f in container.decode(stream)]
        return np.concatenate(chunks), int(stream.rate)


def loud(samples: np.ndarray, rate: int, fps: int, first: int, last: int) -> float:
    """RMS between two timeline frames, leaving a little room for AAC's edges (the test sine
    is 1/8 full scale, spread over two channels: about 0.06 RMS)."""
    a, b = int((first + 0.5) * rate / fps), int((last - 0.5) * rate / fps)
    return float(np.sqrt(np.mean(samples[a:b] ** 2)))


def test_trimmed_v1_clips_play_frame_exactly_in_order(tmp_path: Path) -> None:
    t = Timeline(tmp_path)
    t.shot(17)
    second = t.shot(25)
    third = t.shot(17)
    t.project.trim_shot(ACTOR, second, trim_in=3, trim_out=2)
    t.project.trim_shot(ACTOR, third, trim_in=0, trim_out=5)
    out, steps = render(t)
    expected = [(0, k) for k in range(17)] + [(1, k) for k in range(3, 23)]
    expected += [(2, k) for k in range(12)]
    assert out.frames == len(expected) == t.request()["total_frames"]
    assert [(c, k) for c, k, _ in frames(out.path)] == expected
    assert out.extra["stream_copy"] is False and "keyframes" in out.extra["reencoded_because"]
    assert steps[-1] == (49, 49, 49) and all(total == 49 for _, total, _ in steps)


def test_a_v2_clip_is_overlaid_at_its_frames_with_v1_seen_through_its_bars(
    tmp_path: Path,
) -> None:
    t = Timeline(tmp_path)
    t.shot(33)
    t.shot(9, track="V2", start=10, size=(128, 96), ident=4)  # letterboxed into 256x256
    out, _ = render(t)
    seen = frames(out.path)
    assert len(seen) == 33
    for n, (clip, k, corner) in enumerate(seen):
        if 10 <= n < 19:
            assert (clip, k) == (4, n - 10)
            assert abs(corner - (16 + 6 * n)) <= 3  # the bar is transparent: V1 frame n below
        else:
            assert (clip, k) == (0, n)


def test_a_timeline_longer_than_v1_ends_in_black_with_the_a1_sound(tmp_path: Path) -> None:
    t = Timeline(tmp_path)
    t.shot(17)
    t.shot(25, track="A1", start=8, sound=True)
    out, _ = render(t)
    seen = frames(out.path)
    assert len(seen) == out.frames == 33
    assert [(c, k) for c, k, _ in seen[:17]] == [(0, k) for k in range(17)]
    assert all(corner <= BLACK + 2 for _, _, corner in seen[17:])
    samples, rate = sound(out.path)
    assert loud(samples, rate, 25, 0, 8) < 1e-3
    assert loud(samples, rate, 25, 8, 33) > 0.03
    assert abs(len(samples) / rate - 33 / 25) <= 1024 / rate  # one AAC frame of padding at most


def test_a_clips_own_sound_plays_from_its_trimmed_range_at_its_position(tmp_path: Path) -> None:
    t = Timeline(tmp_path)
    t.shot(17)
    talking = t.shot(25, sound=True)
    t.shot(17)
    t.project.trim_shot(ACTOR, talking, trim_in=4, trim_out=0)
    out, _ = render(t)
    samples, rate = sound(out.path)
    assert out.frames == 55
    assert loud(samples, rate, 25, 0, 17) < 1e-3
    assert loud(samples, rate, 25, 17, 38) > 0.03
    assert loud(samples, rate, 25, 38, 55) < 1e-3


def test_a_timeline_without_sound_still_has_a_silent_aac_track(tmp_path: Path) -> None:
    t = Timeline(tmp_path)
    t.shot(17)
    out, _ = render(t)
    with av.open(out.path) as container:
        assert container.streams.audio[0].codec_context.name == "aac"
    samples, rate = sound(out.path)
    assert float(np.abs(samples).max()) == 0.0
    assert abs(len(samples) / rate - 17 / 25) <= 1024 / rate


def test_a_muted_track_is_not_heard_and_a_hidden_one_not_seen(tmp_path: Path) -> None:
    t = Timeline(tmp_path)
    t.shot(17, sound=True)
    t.shot(9, track="V2", start=2, ident=4)
    t.project.set_track(ACTOR, "V1", muted=True)
    t.project.set_track(ACTOR, "V2", hidden=True)
    out, _ = render(t)
    assert [(c, k) for c, k, _ in frames(out.path)] == [(0, k) for k in range(17)]
    samples, _ = sound(out.path)
    assert float(np.abs(samples).max()) == 0.0


def test_cuts_on_keyframes_are_stream_copied_and_still_frame_exact(tmp_path: Path) -> None:
    t = Timeline(tmp_path)
    first = t.shot(17, gop=4)
    second = t.shot(25, gop=4, sound=True)
    t.shot(17, gop=4)
    t.project.trim_shot(ACTOR, first, trim_in=8, trim_out=3)
    t.project.trim_shot(ACTOR, second, trim_in=4, trim_out=2)
    out, _ = render(t)
    expected = [(0, k) for k in range(8, 14)] + [(1, k) for k in range(4, 23)]
    expected += [(2, k) for k in range(17)]
    assert out.extra["stream_copy"] is True and out.extra["reencoded_because"] is None
    assert [(c, k) for c, k, _ in frames(out.path)] == expected
    samples, rate = sound(out.path)
    assert loud(samples, rate, 25, 6, 25) > 0.03 and loud(samples, rate, 25, 26, 42) < 1e-3


def test_a_take_of_another_size_and_fps_is_conformed_frame_for_frame(tmp_path: Path) -> None:
    t = Timeline(tmp_path)
    t.shot(17)
    t.shot(25, size=(384, 256), fps=30, sound=True, gop=4)
    out, _ = render(t)
    with av.open(out.path) as container:
        video = container.streams.video[0]
        assert (video.codec_context.width, video.codec_context.height) == (SIZE, SIZE)
        assert video.average_rate == 25
    assert [(c, k) for c, k, _ in frames(out.path)] == [(0, k) for k in range(17)] + [
        (1, k) for k in range(25)
    ]
    assert out.extra["stream_copy"] is False
    samples, rate = sound(out.path)
    assert loud(samples, rate, 25, 17, 42) > 0.03  # its sound retimed to the same 25 frames
    assert abs(len(samples) / rate - 42 / 25) <= 1024 / rate


def test_the_file_and_its_sidecar_say_which_takes_it_was_cut_from(tmp_path: Path) -> None:
    t = Timeline(tmp_path)
    shot = t.shot(17)
    request = t.request()
    out, _ = render(t)
    with av.open(out.path) as container:
        tags = dict(container.metadata)
    assert "Test Reel" in tags["title"]
    comment = json.loads(tags["comment"])
    assert comment == {
        "project_id": request["project_id"],
        "version": request["version"],
        "takes": {shot: "take1"},
    }
    sidecar = json.loads(Path(out.extra["sidecar"]).read_text())
    assert sidecar["project_id"] == request["project_id"] and sidecar["name"] == "Test Reel"
    assert sidecar["clips"][0]["sha256"] == request["clips"][0]["sha256"]
    assert (sidecar["clips"][0]["start"], sidecar["clips"][0]["length"]) == (0, 17)
    assert out.extra["takes"][0]["take_id"] == "take1"


def test_a_cancel_stops_ffmpeg_and_leaves_no_file(tmp_path: Path) -> None:
    t = Timeline(tmp_path)
    t.shot(17)
    with pytest.raises(GenerationCancelled):
        render(t, cancelled=lambda: True)
    assert list(tmp_path.glob("render*")) == []


def test_a_render_whose_frame_count_is_off_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    t = Timeline(tmp_path)
    t.shot(17)
    monkeypatch.setattr(render_backend, "count_frames", lambda path: 16)
    with pytest.raises(FrameCountMismatch, match="16 frames, the timeline 17"):
        render(t)
    assert list(tmp_path.glob("render*")) == []
