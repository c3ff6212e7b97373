"""A long shot as a chain of overlapping segments, each short enough for the backend.

Pure planning. Every segment is 8k+1 frames (LTX-2's rule) and at most the backend's native
maximum; each segment after the first starts with the last OVERLAP frames of the one before
(given to the model as conditioning, then dropped when stitching), so the stitched frames
number exactly the shot's. OVERLAP is itself 8k+1, so the conditioning clip fits the rule too.
"""

from dataclasses import asdict, dataclass
from typing import Any

from domain.errors import InvalidValue

TEMPORAL_STEP = 8
OVERLAP = 17  # 8·2+1 frames: two latent blocks after the first
SEED_STRIDE = 7919  # a prime: segments get distinct, reproducible seeds
MAX_SEED = 2**32 - 1


class CannotChain(InvalidValue):
    """The shot cannot be cut into segments that fit the backend (the message says why)."""


@dataclass(frozen=True)
class Segment:
    index: int
    start: int  # the stitched frame where this segment's first frame lands
    num_frames: int
    overlap: int  # leading frames shared with the previous segment (0 for the first)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def plan(num_frames: int, max_frames: int | None, overlap: int = OVERLAP) -> list[Segment]:
    """The segments of a shot of `num_frames` (8k+1) on a backend of native `max_frames`
    (None: no limit). One segment when it fits; otherwise as few as fit, of near-equal length."""
    _check_8k1("num_frames", num_frames)
    if max_frames is None or num_frames <= max_frames:
        return [Segment(0, 0, num_frames, 0)]
    _check_8k1("overlap", overlap)
    usable = (max_frames - 1) // TEMPORAL_STEP * TEMPORAL_STEP + 1
    if usable < overlap + TEMPORAL_STEP:
        raise CannotChain(
            f"a backend of at most {max_frames} frames cannot continue segments that overlap "
            f"by {overlap} frames: it needs at least {overlap + TEMPORAL_STEP}"
        )
    # In blocks of 8 frames: a segment of 8u+1 frames; a later one adds u - lead new blocks.
    cap, lead = (usable - 1) // TEMPORAL_STEP, (overlap - 1) // TEMPORAL_STEP
    blocks = (num_frames - 1) // TEMPORAL_STEP
    count = 2
    while cap * count < blocks + lead * (count - 1):
        count += 1
    even, extra = divmod(blocks + lead * (count - 1), count)
    segments, start = [], 0
    for index in range(count):
        length = (even + (1 if index < extra else 0)) * TEMPORAL_STEP + 1
        segments.append(Segment(index, start, length, overlap if index else 0))
        start += length - overlap
    return segments


def segment_seed(seed: int, index: int) -> int:
    """Segment 0 keeps the shot's seed; each later one a distinct seed derived from it."""
    return (seed + index * SEED_STRIDE) % (MAX_SEED + 1)


def plan_from_request(request: dict[str, Any]) -> list[Segment]:
    """The recorded plan of a request (a single segment when none was recorded)."""
    recorded = request.get("segments") or []
    if not recorded:
        return [Segment(0, 0, int(request.get("num_frames", 1)), 0)]
    return [
        Segment(**{k: int(s[k]) for k in ("index", "start", "num_frames", "overlap")})
        for s in recorded
    ]


def _check_8k1(name: str, value: int) -> None:
    if value < 1 or (value - 1) % TEMPORAL_STEP:
        raise CannotChain(f"{name} must be 8k+1 frames: got {value}")
