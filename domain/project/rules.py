"""The numeric rules every generation spec and timeline edit obeys."""

from typing import Any

from domain.errors import InvalidFrameCount, InvalidSize, InvalidValue

MIN_SIZE, MAX_SIZE, SIZE_STEP = 256, 2048, 32
MIN_FPS, MAX_FPS = 1, 60
MIN_FRAMES = 9
# Five minutes at 60 fps: the longest duration a screenplay may state (300 s) at the highest fps.
MAX_FRAMES = 18001
MIN_CFG, MAX_CFG = 1.0, 20.0
MIN_STEPS, MAX_STEPS = 1, 200
MAX_SEED = 2**32 - 1


def check_num_frames(value: int) -> None:
    if value > MAX_FRAMES:
        raise InvalidFrameCount(
            f"num_frames must be at most {MAX_FRAMES} (five minutes at 60 fps; a longer take is "
            f"several shots): got {value}"
        )
    if value < MIN_FRAMES or (value - 1) % 8 != 0:
        below = max(MIN_FRAMES, (value - 1) // 8 * 8 + 1)
        above = max(MIN_FRAMES, below + 8 if below < value else below)
        hint = f"{below} or {above}" if below != above else f"{below}"
        raise InvalidFrameCount(
            f"num_frames must be 8k+1 and at least {MIN_FRAMES} (LTX-2 drops the rest): "
            f"got {value}, try {hint}"
        )


def check_size(name: str, value: int) -> None:
    if not MIN_SIZE <= value <= MAX_SIZE or value % SIZE_STEP != 0:
        nearest = min(MAX_SIZE, max(MIN_SIZE, round(value / SIZE_STEP) * SIZE_STEP))
        raise InvalidSize(
            f"{name} must be a multiple of {SIZE_STEP} between {MIN_SIZE} and {MAX_SIZE}: "
            f"got {value}, try {nearest}"
        )


def check_range(name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise InvalidValue(
            f"{name} must be between {_number(low)} and {_number(high)}: got {_number(value)}"
        )


def _number(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:g}"


def check_fps(value: int) -> None:
    check_range("fps", value, MIN_FPS, MAX_FPS)


def check_seed(value: int) -> None:
    check_range("seed", value, 0, MAX_SEED)


def check_choice(name: str, value: Any, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise InvalidValue(f"{name} must be one of {', '.join(choices)}: got {value!r}")
