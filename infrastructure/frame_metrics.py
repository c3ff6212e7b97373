"""Measures of 8-bit grey frames: SSIM, optical flow, sharpness, clipping, frozen and flicker.

Pure numpy/OpenCV on frames already small (the meter scales them to 256 px wide); OpenCV is
imported inside the functions so that importing this module stays cheap.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np

# SSIM as Wang et al. (2004) define it: an 11x11 Gaussian window of sigma 1.5, K1 0.01, K2 0.03.
SSIM_C1 = (0.01 * 255) ** 2
SSIM_C2 = (0.03 * 255) ** 2
SHADOW_LEVEL = 2  # a grey level at or below this is clipped black
HIGHLIGHT_LEVEL = 253  # at or above: clipped white
FROZEN_DIFFERENCE = 0.5  # mean absolute difference (grey levels) below which two frames match
FROZEN_SHARE = 0.75  # the share of matching pairs that makes a take frozen
FLICKER_JUMP = 6.0  # a change of mean luminance (grey levels) from one frame to the next
FLICKER_SHARE = 0.2  # the share of pairs with such a jump, going both up and down


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean structural similarity of two grey frames: 1.0 for identical frames."""
    import cv2

    x, y = a.astype(np.float64), b.astype(np.float64)

    def blur(image: np.ndarray) -> np.ndarray:
        return cv2.GaussianBlur(image, (11, 11), 1.5)  # type: ignore[no-any-return]

    mu_x, mu_y = blur(x), blur(y)
    var_x = blur(x * x) - mu_x * mu_x
    var_y = blur(y * y) - mu_y * mu_y
    cov = blur(x * y) - mu_x * mu_y
    numerator = (2 * mu_x * mu_y + SSIM_C1) * (2 * cov + SSIM_C2)
    denominator = (mu_x * mu_x + mu_y * mu_y + SSIM_C1) * (var_x + var_y + SSIM_C2)
    return float((numerator / denominator).mean())


def flow_magnitude(a: np.ndarray, b: np.ndarray) -> float:
    """Mean length, in pixels of these frames, of the dense optical flow from a to b.

    The flow is found at half their size (Farneback is the meter's dearest step, four times
    cheaper there) and its lengths doubled back."""
    import cv2

    half = (max(8, a.shape[1] // 2), max(8, a.shape[0] // 2))
    small_a = cv2.resize(a, half, interpolation=cv2.INTER_AREA)
    small_b = cv2.resize(b, half, interpolation=cv2.INTER_AREA)
    flow = cv2.calcOpticalFlowFarneback(small_a, small_b, None, 0.5, 3, 9, 3, 5, 1.1, 0)  # type: ignore[call-overload]
    lengths = np.hypot(flow[..., 0], flow[..., 1])
    return float(lengths.mean() * a.shape[1] / half[0])


def sharpness(frame: np.ndarray) -> float:
    """Variance of the Laplacian: high for crisp edges and texture, low for blur or flat areas."""
    import cv2

    return float(cv2.Laplacian(frame, cv2.CV_64F).var())


@dataclass(frozen=True)
class PairMeasure:
    ssim: float
    motion: float
    difference: float  # mean absolute difference, grey levels
    luma_jump: float  # signed change of mean luminance, grey levels


def measure_pair(a: np.ndarray, b: np.ndarray) -> PairMeasure:
    diff = float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())
    return PairMeasure(ssim(a, b), flow_magnitude(a, b), diff, float(b.mean()) - float(a.mean()))


def exposure(frames: list[np.ndarray]) -> dict[str, float]:
    """Shares of pixels clipped to black and to white over the frames."""
    stack = np.stack(frames)
    return {
        "shadows": round(float((stack <= SHADOW_LEVEL).mean()), 4),
        "highlights": round(float((stack >= HIGHLIGHT_LEVEL).mean()), 4),
    }


def flags(pairs: list[PairMeasure]) -> list[str]:
    """The flags: "frozen" when most consecutive frames match; "flicker" when the mean luminance
    jumps up and down often (a fade only goes one way, a cut jumps once)."""
    if not pairs:
        return []
    found = []
    matching = sum(1 for p in pairs if p.difference < FROZEN_DIFFERENCE)
    if matching >= FROZEN_SHARE * len(pairs):
        found.append("frozen")
    jumps = [p.luma_jump for p in pairs if abs(p.luma_jump) > FLICKER_JUMP]
    both_ways = any(j > 0 for j in jumps) and any(j < 0 for j in jumps)
    if both_ways and len(jumps) >= max(2, FLICKER_SHARE * len(pairs)):
        found.append("flicker")
    return found


def summarize(frames: list[np.ndarray], pairs: list[PairMeasure]) -> dict[str, Any]:
    """The take's quality from its sampled frames and the consecutive pairs among them."""

    def mean(values: list[float], digits: int) -> float | None:
        return round(float(np.mean(values)), digits) if values else None

    return {
        "temporal_consistency": mean([p.ssim for p in pairs], 4),
        "motion": mean([p.motion for p in pairs], 3),
        "sharpness": mean([sharpness(f) for f in frames], 1),
        "exposure": exposure(frames),
        "flags": flags(pairs),
    }
