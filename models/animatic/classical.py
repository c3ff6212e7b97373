"""Masks and fills without a model: OpenCV's GrabCut and flood fill for segmentation, Telea's
inpainting for fills. The animatic backend's answer to SAM 3 and Flux 2 inpainting."""

from pathlib import Path
from typing import Any

import cv2
import numpy as np


class ClassicalRequestError(ValueError):
    pass


def read_rgb(path: str) -> np.ndarray:
    if not Path(path).is_file():
        raise ClassicalRequestError(f"no image at {path}")
    image = cv2.imread(path, cv2.IMREAD_COLOR)
    if image is None:
        raise ClassicalRequestError(f"{path} is not an image OpenCV can read")
    return image  # BGR, as OpenCV works


def segment(request: dict[str, Any]) -> np.ndarray:
    """A 0/255 mask of the image's size from one point (flood fill) or one box (GrabCut)."""
    image = read_rgb(str(request.get("image", "")))
    height, width = image.shape[:2]
    points, boxes = request.get("points") or [], request.get("boxes") or []
    if request.get("text"):
        raise ClassicalRequestError(
            "a text prompt needs SAM 3 weights (MILIMO_MODELS_DIR/sam3/text): the animatic "
            "backend segments from a point or a box"
        )
    if bool(points) == bool(boxes):
        raise ClassicalRequestError("segment needs either points or boxes (exactly one kind)")
    if boxes:
        x0, y0, x1, y1 = (round(float(v)) for v in boxes[0])
        x0, x1 = sorted((max(0, x0), min(width, x1)))
        y0, y1 = sorted((max(0, y0), min(height, y1)))
        if x1 - x0 < 2 or y1 - y0 < 2:
            raise ClassicalRequestError(
                f"the box {boxes[0]} is empty inside a {width}x{height} image"
            )
        mask = np.zeros((height, width), np.uint8)
        background = np.zeros((1, 65), np.float64)
        foreground = np.zeros((1, 65), np.float64)
        cv2.setRNGSeed(0)  # GrabCut's k-means starts from OpenCV's RNG: fix it
        cv2.grabCut(
            image,
            mask,
            (x0, y0, x1 - x0, y1 - y0),
            background,
            foreground,
            4,
            cv2.GC_INIT_WITH_RECT,
        )
        keep = (mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)
        return np.where(keep, 255, 0).astype(np.uint8)
    x, y = (round(float(v)) for v in points[0])
    if not (0 <= x < width and 0 <= y < height):
        raise ClassicalRequestError(f"the point ({x}, {y}) is outside the {width}x{height} image")
    filled = np.zeros((height + 2, width + 2), np.uint8)
    tolerance = (18, 18, 18)
    flags = 4 | cv2.FLOODFILL_MASK_ONLY | (255 << 8)
    cv2.floodFill(image.copy(), filled, (x, y), (0, 0, 0), tolerance, tolerance, flags)
    return filled[1:-1, 1:-1]


def inpaint(request: dict[str, Any]) -> np.ndarray:
    """The image with its masked part (white) filled from the surroundings (Telea), in RGB."""
    image = read_rgb(str(request.get("image", "")))
    mask_path = str(request.get("mask", ""))
    if not Path(mask_path).is_file():
        raise ClassicalRequestError(f"no mask at {mask_path}")
    mask = cv2.imread(mask_path, cv2.IMREAD_GRAYSCALE)
    if mask is None or mask.shape != image.shape[:2]:
        raise ClassicalRequestError("the mask must be an image of the same size as the image")
    filled = cv2.inpaint(image, (mask > 127).astype(np.uint8) * 255, 5, cv2.INPAINT_TELEA)
    return cv2.cvtColor(filled, cv2.COLOR_BGR2RGB)
