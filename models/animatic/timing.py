"""The timing overlay: a progress bar and the frame's timecode, blitted from a glyph atlas."""

from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw

from models.animatic.card import font

GLYPHS = "0123456789:/f "


@lru_cache(maxsize=4)
def atlas(size: int) -> dict[str, tuple[np.ndarray, int]]:
    """Each glyph's coverage mask and its advance in pixels."""
    glyphs = {}
    face = font(size)
    for char in GLYPHS:
        box = Image.new("L", (size, int(size * 1.3)), 0)
        ImageDraw.Draw(box).text((0, 0), char, font=face, fill=255)
        glyphs[char] = (np.asarray(box, dtype=np.uint8), max(1, round(face.getlength(char))))
    return glyphs


def timecode(frame: int, fps: int) -> str:
    seconds, rest = divmod(frame, fps)
    minutes, second = divmod(seconds, 60)
    return f"{minutes:02d}:{second:02d}:{rest:02d}"


def overlay(frame: np.ndarray, index: int, count: int, fps: int) -> np.ndarray:
    """Draws on `frame` itself (a fresh array from the camera move) and returns it."""
    height, width = frame.shape[:2]
    out = frame
    bar_h = max(4, height // 90)
    filled = int(width * (index + 1) / count)
    out[height - bar_h :, :filled] = (255, 255, 255)
    out[height - bar_h :, filled:] = (40, 40, 40)
    size = max(10, height // 32)
    text = f"{timecode(index, fps)} {index + 1}/{count}f"
    glyphs = atlas(size)
    x, y = size, height - bar_h - int(size * 1.6)
    for char in text:
        glyph, advance = glyphs.get(char, glyphs[" "])
        gh, gw = glyph.shape
        if x + gw > width or y < 0:
            break
        region = out[y : y + gh, x : x + gw]
        mask = glyph[:, :, None].astype(np.uint16)
        region[:] = ((region * (255 - mask) + 255 * mask) // 255).astype(np.uint8)
        x += advance
    return out
