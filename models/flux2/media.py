"""Images in and out of the Flux 2 backend: reference images, the image and mask to inpaint, and
the result written as a PNG with the same bytes for the same pixels (Pillow, no metadata)."""

from pathlib import Path

import numpy as np
from PIL import Image

MASK_THRESHOLD = 128  # as the pipeline binarises: a value ≥ 0.5 is repainted


def read_rgb(path: str, what: str) -> Image.Image:
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"{what} {file} does not exist")
    try:
        with Image.open(file) as image:
            return image.convert("RGB")
    except OSError as error:
        raise ValueError(f"{what} {file} is not an image Pillow can read: {error}") from error


def read_mask(path: str) -> Image.Image:
    """The mask as grayscale (white = repaint); transparency, where there is any, counts as
    black (kept)."""
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"inpaint mask {file} does not exist")
    try:
        with Image.open(file) as image:
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                flat = Image.new("RGBA", image.size, (0, 0, 0, 255))
                flat.alpha_composite(image.convert("RGBA"))
                return flat.convert("L")
            return image.convert("L")
    except OSError as error:
        raise ValueError(f"inpaint mask {file} is not an image Pillow can read: {error}") from error


def binarise(mask: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The mask at `size`, every pixel 0 (keep) or 255 (repaint)."""
    if mask.size != size:
        mask = mask.resize(size, Image.Resampling.BILINEAR)
    return mask.point(lambda value: 255 if value >= MASK_THRESHOLD else 0)


def write_png(path: str, pixels: np.ndarray) -> None:
    """Write uint8 RGB (H, W, 3) as a PNG: no text chunks, no timestamp, fixed compression, so
    the same pixels give the same bytes. Written beside the target and moved into place, so a
    failed write leaves no half file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial.png")
    try:
        Image.fromarray(np.ascontiguousarray(pixels)).save(
            partial, format="PNG", compress_level=6, optimize=False
        )
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
