"""Frame-exact cuts and joins on real H.264 files made by ffmpeg, checked frame by frame."""

import subprocess
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from infrastructure.media_tools import LocalMediaTools, MediaToolError
from models.media import ffmpeg_exe

SIZE, FPS = "256x192", 25


def clip(path: Path, frames: int, source: str = "testsrc2", audio: bool = False) -> str:
    """`frames` frames of an ffmpeg test pattern (each frame differs), lossless, as H.264."""
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
               "-f", "lavfi", "-i", f"{source}=size={SIZE}:rate={FPS}"]  # fmt: skip
    if audio:
        command += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-shortest"]
    command += ["-frames:v", str(frames), "-c:v", "libx264", "-qp", "0", "-pix_fmt", "yuv420p"]
    if audio:
        command += ["-c:a", "aac"]
    subprocess.run([*command, str(path)], check=True)
    return str(path)


def decode(path: str) -> np.ndarray:
    with av.open(path) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


@pytest.fixture
def tools(tmp_path: Path) -> LocalMediaTools:
    return LocalMediaTools(tmp_path / "media", ffmpeg_exe())


def test_frames_are_counted_exactly(tools: LocalMediaTools, tmp_path: Path) -> None:
    path = clip(tmp_path / "a.mp4", 57)
    assert tools.frame_count(path) == 57 == len(decode(path))


def test_the_last_frames_are_exactly_the_source_frames(
    tools: LocalMediaTools, tmp_path: Path
) -> None:
    source = clip(tmp_path / "a.mp4", 121)
    tools.last_frames(source, 17, str(tmp_path / "tail.mp4"))
    tail, whole = decode(str(tmp_path / "tail.mp4")), decode(source)
    assert tail.shape[0] == 17
    assert np.array_equal(tail, whole[-17:])


def test_the_last_frame_still_is_content_addressed_and_pixel_identical(
    tools: LocalMediaTools, tmp_path: Path
) -> None:
    source = clip(tmp_path / "a.mp4", 40)
    still = tools.last_frame_still(source)
    assert Path(still).parent == tmp_path / "media" / "frames"
    import hashlib

    assert Path(still).stem == hashlib.sha256(Path(still).read_bytes()).hexdigest()
    assert np.array_equal(np.asarray(Image.open(still).convert("RGB")), decode(source)[-1])
    assert tools.last_frame_still(source) == still  # the same content, the same file


def test_stitching_keeps_the_first_clip_and_drops_each_later_ones_overlap(
    tools: LocalMediaTools, tmp_path: Path
) -> None:
    # Three clips cut from one longer pattern, overlapping by 17 frames: stitched, they must
    # give back the long pattern frame for frame.
    whole = clip(tmp_path / "whole.mp4", 161)
    frames = decode(whole)
    parts = []
    for i, (start, count) in enumerate([(0, 65), (48, 65), (96, 65)]):
        part = tmp_path / f"part{i}.mp4"
        trim = f"trim=start_frame={start}:end_frame={start + count},setpts=PTS-STARTPTS"
        subprocess.run(
            [ffmpeg_exe(), "-loglevel", "error", "-y", "-i", whole, "-vf", trim,
             "-c:v", "libx264", "-qp", "0", "-pix_fmt", "yuv420p", str(part)],
            check=True,
        )  # fmt: skip
        parts.append(str(part))
    out = str(tmp_path / "stitched.mp4")
    tools.stitch(parts, 17, 161, out)
    stitched = decode(out)
    assert stitched.shape == frames.shape
    with av.open(out) as container:
        assert container.streams.video[0].codec_context.name == "h264"
    # Re-encoded (CRF 17): each frame is close to its source and far from its neighbours.
    error = np.abs(stitched.astype(int) - frames.astype(int)).mean(axis=(1, 2, 3))
    shifted = np.abs(stitched[1:].astype(int) - frames[:-1].astype(int)).mean(axis=(1, 2, 3))
    assert error.max() < 3.0
    assert (shifted > error[1:]).all()


def test_stitching_keeps_the_sound_when_every_clip_has_some(
    tools: LocalMediaTools, tmp_path: Path
) -> None:
    parts = [clip(tmp_path / f"p{i}.mp4", 41, audio=True) for i in range(2)]
    out = str(tmp_path / "out.mp4")
    tools.stitch(parts, 17, 65, out)
    assert tools.frame_count(out) == 65
    with av.open(out) as container:
        assert container.streams.audio


def test_a_wrong_total_leaves_no_file_and_says_why(tools: LocalMediaTools, tmp_path: Path) -> None:
    parts = [clip(tmp_path / f"p{i}.mp4", 25) for i in range(2)]
    out = tmp_path / "out.mp4"
    with pytest.raises(MediaToolError, match="33 frames where 40 were expected"):
        tools.stitch(parts, 17, 40, str(out))
    assert not out.exists() and not list(tmp_path.glob("out.mp4*"))


def test_missing_or_short_inputs_are_clear_errors(tools: LocalMediaTools, tmp_path: Path) -> None:
    with pytest.raises(MediaToolError, match="no video file"):
        tools.frame_count(str(tmp_path / "none.mp4"))
    short = clip(tmp_path / "short.mp4", 9)
    with pytest.raises(MediaToolError, match="has 9 frames"):
        tools.last_frames(short, 17, str(tmp_path / "tail.mp4"))
    (tmp_path / "junk.mp4").write_bytes(b"not a video")
    with pytest.raises(MediaToolError):
        tools.frame_count(str(tmp_path / "junk.mp4"))
