"""Simple camera motion over a card: the frame window at each frame.

Pans slice the card (whole-pixel steps); a push-in crops and scales it. Both stay cheap enough
for an animatic to render many times faster than real time.
"""

import cv2
import numpy as np

# One thread: the same bytes on every machine, and the encoder keeps the other core.
cv2.setNumThreads(1)

PANS = {"wide": 1.0, "establishing": 1.0, "tracking": -1.0}


def window(
    shot_type: str, index: int, count: int, card: np.ndarray, width: int, height: int
) -> np.ndarray:
    """Frame `index` of `count` as a fresh array: a pan across the card, or a push-in."""
    big_h, big_w = card.shape[:2]
    t = index / max(1, count - 1)
    if shot_type in PANS or shot_type == "static":
        travel = big_w - width
        if shot_type == "static":
            x = travel // 2
        else:
            x = round(travel * (t if PANS[shot_type] > 0 else 1.0 - t))
        y = (big_h - height) // 2
        return card[y : y + height, x : x + width].copy()
    # Push-in: from the whole card down to its frame-sized centre.
    crop_w = round(big_w - (big_w - width) * t)
    crop_h = round(crop_w * height / width)
    x, y = (big_w - crop_w) // 2, (big_h - crop_h) // 2
    crop = card[y : y + crop_h, x : x + crop_w]
    if crop.shape[1] == width and crop.shape[0] == height:
        return crop.copy()
    return cv2.resize(crop, (width, height), interpolation=cv2.INTER_LINEAR)
