"""Variants: N seeds of one request, run as a group and compared side by side.

Variant i runs with the shot's seed + i (wrapping at the largest seed), so a group is
reproducible from its shot and N alone, and variant 0 is exactly what a plain generate makes.
"""

from domain.errors import InvalidValue
from domain.project.rules import MAX_SEED

# Each variant is a full generation on the GPU, and the comparison screen shows them side by
# side: beyond eight they are neither cheap nor comparable at a glance.
MAX_VARIANTS = 8


def check_variants(count: int) -> None:
    if not 1 <= count <= MAX_VARIANTS:
        raise InvalidValue(f"variants must be between 1 and {MAX_VARIANTS}: got {count}")


def variant_seed(seed: int, index: int) -> int:
    return (seed + index) % (MAX_SEED + 1)
