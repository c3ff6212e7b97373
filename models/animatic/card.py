"""One storyboard card: the still image an animatic shot is cut from."""

import random
import textwrap
from functools import lru_cache
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from models.animatic.references import paste_references

MARGIN = 1.12  # the card is this much larger than the frame, room for the camera to move
CAMERA = {
    "close_up": "slow push-in",
    "medium": "slow push-in",
    "insert": "slow push-in",
    "wide": "slow pan right",
    "establishing": "slow pan right",
    "tracking": "tracking pan left",
}


@lru_cache(maxsize=16)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled font: the same glyphs on every machine, so the same request gives the
    # same bytes anywhere.
    return ImageFont.load_default(size=size)


def palette(seed: int) -> tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]:
    rng = random.Random(seed)
    hue = rng.random()
    import colorsys

    def rgb(h: float, s: float, v: float) -> tuple[int, int, int]:
        r, g, b = colorsys.hsv_to_rgb(h % 1.0, s, v)
        return int(r * 255), int(g * 255), int(b * 255)

    return rgb(hue, 0.55, 0.22), rgb(hue + 0.08, 0.45, 0.42), rgb(hue + 0.5, 0.35, 0.95)


def lora_label(item: dict[str, Any]) -> str:
    name = str(item.get("path", "")).replace("\\", "/").rsplit("/", 1)[-1]
    return f"{name.removesuffix('.safetensors')} {float(item.get('strength', 1.0)):g}"


def render_card(request: dict[str, Any], width: int, height: int) -> np.ndarray:
    """The card as an RGB array of (height·MARGIN, width·MARGIN)."""
    big_w, big_h = int(width * MARGIN) // 2 * 2, int(height * MARGIN) // 2 * 2
    dark, light, accent = palette(int(request.get("seed", 0)))
    ramp = np.linspace(0.0, 1.0, big_h, dtype=np.float32)[:, None, None]
    top, bottom = np.array(dark, np.float32), np.array(light, np.float32)
    background = (top * (1 - ramp) + bottom * ramp).astype(np.uint8)
    image = Image.fromarray(np.repeat(background, big_w, axis=1), "RGB")
    draw = ImageDraw.Draw(image)
    board: dict[str, Any] = request.get("storyboard") or {}
    unit = max(12, height // 24)
    ox, oy = (big_w - width) // 2, (big_h - height) // 2
    x, y = ox + unit, oy + unit

    # A card of no shot (an element's look) names its subject in `title` and `note`.
    heading = board.get("title") or (
        f"SCENE {board.get('scene_index', 0) + 1} · SHOT {board.get('shot_index', 0) + 1}"
        f" - {board.get('heading') or board.get('scene') or ''}"
    )
    shot_type = str(board.get("shot_type", "medium"))
    note = board.get("note") or (
        f"{shot_type.replace('_', ' ').upper()} · camera: {CAMERA.get(shot_type, 'static')}"
    )
    references = list(request.get("reference_images") or [])
    if not board:  # a still of its own (`milimo image`), with no shot behind it
        heading, note = "IMAGE", f"still · {len(references)} reference image(s)"
    draw.text((x, y), heading.upper(), font=font(unit), fill=accent)
    y += int(unit * 1.8)
    draw.text((x, y), note, font=font(int(unit * 0.8)), fill=(230, 230, 230))
    # The animatic cannot apply a LoRA; it shows the stack the model will apply.
    if request.get("loras"):
        stack = " · ".join(lora_label(item) for item in request["loras"])
        lora_line = f"LoRA: {stack}"
        draw.text((x, y + int(unit * 1.1)), lora_line, font=font(int(unit * 0.7)), fill=accent)
    y += int(unit * 2.2)

    # Characters per line from the font's real average advance, so text fills the card.
    advance = font(unit).getlength("abcdefghijklmnopqrstuvwxyz ") / 27
    chars = max(20, int((width - 2 * unit) / advance))
    action = str(board.get("action") or request.get("prompt") or "")
    for line in textwrap.wrap(action, chars)[:6]:
        draw.text((x, y), line, font=font(unit), fill=(250, 250, 250))
        y += int(unit * 1.35)
    if board.get("dialogue"):
        y += unit // 2
        speaker = str(board.get("character") or "").upper()
        draw.text((x + unit * 2, y), speaker, font=font(unit), fill=accent)
        y += int(unit * 1.35)
        for line in textwrap.wrap(f"“{board['dialogue']}”", chars - 4)[:4]:
            draw.text((x + unit * 2, y), line, font=font(unit), fill=(255, 255, 255))
            y += int(unit * 1.35)
    elif board.get("character"):
        draw.text((x, y), f"with {board['character']}", font=font(unit), fill=accent)

    paste_references(image, references, (ox + unit, oy + height - unit), height // 4)
    label = "ANIMATIC"
    draw.text((ox + width - unit * 7, oy + unit), label, font=font(int(unit * 0.8)), fill=accent)
    return np.asarray(image, dtype=np.uint8).copy()
