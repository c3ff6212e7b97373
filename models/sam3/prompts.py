"""A segment request checked and put in one shape before any model runs (no torch here).

A request names an image and exactly one kind of prompt: points (pixel x, y, each with label 1
for "this" or 0 for "not this"), boxes (pixel x0, y0, x1, y1) or a text phrase. The message of
each refusal says what to change.
"""

from dataclasses import dataclass, replace
from numbers import Real
from pathlib import Path
from typing import Any

PROMPT_KINDS = ("points", "boxes", "text")
DEFAULT_THRESHOLD = 0.5
# The score an instance found by a text prompt needs to be kept (transformers' default).
DEFAULT_SCORE_THRESHOLD = 0.3


class InvalidSegmentRequest(ValueError):
    """A segment request SAM 3 cannot run as given (the message says what to change)."""


@dataclass(frozen=True)
class SegmentPrompt:
    image: Path
    kind: str  # one of PROMPT_KINDS
    points: tuple[tuple[float, float], ...] = ()
    labels: tuple[int, ...] = ()
    boxes: tuple[tuple[float, float, float, float], ...] = ()
    text: str = ""
    threshold: float = DEFAULT_THRESHOLD
    score_threshold: float = DEFAULT_SCORE_THRESHOLD


def _given(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return not (isinstance(value, (list, tuple)) and len(value) == 0)


def _numbers(item: Any, count: int, what: str, index: int) -> tuple[float, ...]:
    if (
        not isinstance(item, (list, tuple))
        or len(item) != count
        or not all(isinstance(v, Real) and not isinstance(v, bool) for v in item)
    ):
        raise InvalidSegmentRequest(
            f"{what} {index} must be {count} numbers in pixels: got {item!r}"
        )
    return tuple(float(v) for v in item)


def _fraction(request: dict[str, Any], key: str, default: float) -> float:
    value = request.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, Real) or not 0.0 < float(value) < 1.0:
        raise InvalidSegmentRequest(f"{key} must be a number between 0 and 1: got {value!r}")
    return float(value)


def parse_request(request: dict[str, Any]) -> SegmentPrompt:
    image = request.get("image")
    if not isinstance(image, str) or not image:
        raise InvalidSegmentRequest("a segment request needs the image to segment (image: path)")
    path = Path(image)
    if not path.is_absolute():
        raise InvalidSegmentRequest(f"the image to segment must be an absolute path: got {image}")
    if not path.is_file():
        raise InvalidSegmentRequest(f"the image to segment, {path}, does not exist")
    given = [kind for kind in PROMPT_KINDS if _given(request.get(kind))]
    if len(given) != 1:
        found = f"got {' and '.join(given)}" if given else "got none"
        raise InvalidSegmentRequest(
            f"a segment request needs exactly one kind of prompt — points, boxes or text: {found}"
        )
    (kind,) = given
    base = SegmentPrompt(
        path,
        kind,
        threshold=_fraction(request, "threshold", DEFAULT_THRESHOLD),
        score_threshold=_fraction(request, "score_threshold", DEFAULT_SCORE_THRESHOLD),
    )
    if _given(request.get("labels")) and kind != "points":
        raise InvalidSegmentRequest("labels go with points: this request has no points")
    if kind == "text":
        text = request["text"]
        if not isinstance(text, str):
            raise InvalidSegmentRequest(f"text must be a phrase: got {text!r}")
        return replace(base, text=text.strip())
    items = request[kind]
    if not isinstance(items, (list, tuple)):
        raise InvalidSegmentRequest(f"{kind} must be a list: got {items!r}")
    if kind == "boxes":
        boxes = []
        for index, item in enumerate(items):
            x0, y0, x1, y1 = _numbers(item, 4, "box", index)
            if not (x1 > x0 and y1 > y0):
                raise InvalidSegmentRequest(
                    f"box {index} must be [x0, y0, x1, y1] with x1 > x0 and y1 > y0: got {item!r}"
                )
            boxes.append((x0, y0, x1, y1))
        return replace(base, boxes=tuple(boxes))
    points = []
    for index, item in enumerate(items):
        x, y = _numbers(item, 2, "point", index)
        points.append((x, y))
    labels = request.get("labels")
    if labels is None:
        labels = [1] * len(points)
    if not isinstance(labels, (list, tuple)) or len(labels) != len(points):
        raise InvalidSegmentRequest(
            f"labels must give one label per point ({len(points)}): got {labels!r}"
        )
    if any(isinstance(v, bool) or v not in (0, 1) for v in labels):
        raise InvalidSegmentRequest(
            f"each label must be 1 (part of the object) or 0 (not part of it): got {labels!r}"
        )
    if 1 not in labels:
        raise InvalidSegmentRequest("at least one point must have label 1 (part of the object)")
    return replace(base, points=tuple(points), labels=tuple(int(v) for v in labels))


def check_inside(prompt: SegmentPrompt, width: int, height: int) -> None:
    """Every point and box within the image (a pixel coordinate past its edge is a mistake)."""
    for index, (x, y) in enumerate(prompt.points):
        if not (0 <= x <= width and 0 <= y <= height):
            raise InvalidSegmentRequest(
                f"point {index} ({x:g}, {y:g}) is outside the {width}×{height} image"
            )
    for index, box in enumerate(prompt.boxes):
        x0, y0, x1, y1 = box
        if x0 < 0 or y0 < 0 or x1 > width or y1 > height:
            raise InvalidSegmentRequest(
                f"box {index} {list(box)} is outside the {width}×{height} image"
            )
