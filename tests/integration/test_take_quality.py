"""The quality meter on real H.264 clips made here: each number moves the way its name says."""

from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np
import pytest

from infrastructure.take_quality import FrameQualityMeter, TakeUnreadable, pair_starts

WIDTH, HEIGHT, FRAMES = 384, 256, 33
Measured = dict[str, dict[str, Any]]


def write_clip(path: Path, frames: list[np.ndarray], fps: int = 25) -> str:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.options = {"crf": "16"}
        for frame in frames:
            container.mux(stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")))
        container.mux(stream.encode())
    return str(path)


@pytest.fixture(scope="module")
def texture() -> np.ndarray:
    """A detailed picture twice as wide as a frame, mid-grey on average: room to pan."""
    rng = np.random.default_rng(7)
    noise = rng.integers(40, 216, (HEIGHT, WIDTH * 2, 3), dtype=np.uint8)
    return np.ascontiguousarray(cv2.GaussianBlur(noise, (5, 5), 1.0))


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory, texture: np.ndarray) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("clips")
    still = np.ascontiguousarray(texture[:, :WIDTH])
    blurred = cv2.GaussianBlur(still, (0, 0), 4)
    left_half = np.zeros_like(still, dtype=bool)
    left_half[:, : WIDTH // 2] = True

    def brighter(frame: np.ndarray, by: int) -> np.ndarray:
        return np.clip(frame.astype(np.int16) + by, 0, 255).astype(np.uint8)

    made = {
        "frozen": [still] * FRAMES,
        "panning": [np.ascontiguousarray(texture[:, 3 * i : 3 * i + WIDTH]) for i in range(FRAMES)],
        "flickering": [brighter(still, 35 if i % 2 else -35) for i in range(FRAMES)],
        "fading": [brighter(still, -60 + 4 * i) for i in range(FRAMES)],
        "blurred": [blurred] * FRAMES,
        "half_black_half_white": [np.where(left_half, 0, 255).astype(np.uint8)] * FRAMES,
    }
    return {name: write_clip(folder / f"{name}.mp4", frames) for name, frames in made.items()}


@pytest.fixture(scope="module")
def measured(clips: dict[str, str]) -> Measured:
    meter = FrameQualityMeter()
    return {name: meter.measure(path) for name, path in clips.items()}


def test_a_frozen_clip_is_flagged_with_full_consistency_and_no_motion(measured: Measured) -> None:
    frozen = measured["frozen"]
    assert frozen["flags"] == ["frozen"]
    assert frozen["temporal_consistency"] == pytest.approx(1.0, abs=0.01)
    assert frozen["motion"] == pytest.approx(0.0, abs=0.05)


def test_a_moving_pattern_has_motion_and_less_consistency(measured: Measured) -> None:
    panning, frozen = measured["panning"], measured["frozen"]
    # 3 px a frame at 384 wide is 2 px a frame at the meter's 256.
    assert panning["motion"] == pytest.approx(2.0, abs=0.5)
    assert panning["temporal_consistency"] < frozen["temporal_consistency"] - 0.2
    assert panning["flags"] == []


def test_a_flickering_clip_is_flagged_and_a_fade_is_not(measured: Measured) -> None:
    assert "flicker" in measured["flickering"]["flags"]
    assert "frozen" not in measured["flickering"]["flags"]
    assert measured["fading"]["flags"] == []


def test_a_blurred_clip_is_less_sharp(measured: Measured) -> None:
    assert measured["blurred"]["sharpness"] < measured["frozen"]["sharpness"] / 10


def test_exposure_counts_clipped_shadows_and_highlights(measured: Measured) -> None:
    clipped = measured["half_black_half_white"]["exposure"]
    assert clipped["shadows"] == pytest.approx(0.5, abs=0.03)
    assert clipped["highlights"] == pytest.approx(0.5, abs=0.03)
    assert measured["frozen"]["exposure"] == {"shadows": 0.0, "highlights": 0.0}


def test_the_meter_says_what_it_sampled(measured: Measured, clips: dict[str, str]) -> None:
    sampled = measured["panning"]["sampled"]
    assert sampled == {
        "frames": FRAMES,
        "pairs": FRAMES - 1,
        "of_frames": FRAMES,
        "width": 256,
        "height": 170,
    }
    capped = FrameQualityMeter(max_pairs=4).measure(clips["panning"])
    assert capped["sampled"]["pairs"] == 4 and capped["sampled"]["frames"] == 8
    assert capped["motion"] == pytest.approx(2.0, abs=0.5)  # a sample, the same answer


def test_pairs_are_spread_over_the_whole_take() -> None:
    assert pair_starts(1) == [] and pair_starts(2) == [0]
    assert pair_starts(121, max_pairs=4) == [0, 40, 79, 119]
    assert len(pair_starts(2401)) == 48 and pair_starts(2401)[-1] == 2399


def test_what_is_not_a_video_is_refused(tmp_path: Path) -> None:
    meter = FrameQualityMeter()
    with pytest.raises(TakeUnreadable, match="no take"):
        meter.measure(str(tmp_path / "missing.mp4"))
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all")
    with pytest.raises(TakeUnreadable, match="not a video"):
        meter.measure(str(junk))
