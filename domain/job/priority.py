"""How urgent a job is, and the queue that urgency puts it on.

Each model kind has one queue per priority; the normal one keeps the kind's plain name (`video`),
so queues named before priorities existed stay the normal ones.
"""

from domain.errors import InvalidValue

PRIORITIES: tuple[str, ...] = ("rush", "normal", "low")
DEFAULT_PRIORITY = "normal"
SUFFIX: dict[str, str] = {"rush": ".rush", "normal": "", "low": ".low"}


def check_priority(priority: str) -> None:
    if priority not in PRIORITIES:
        raise InvalidValue(f"priority must be one of {', '.join(PRIORITIES)}: got {priority!r}")


def queue_name(base: str, priority: str) -> str:
    """`video` + rush → `video.rush`; normal keeps the plain name."""
    check_priority(priority)
    return base + SUFFIX[priority]


def priority_of(queue: str) -> str:
    for priority, suffix in SUFFIX.items():
        if suffix and queue.endswith(suffix):
            return priority
    return DEFAULT_PRIORITY


def base_of(queue: str) -> str:
    suffix = SUFFIX[priority_of(queue)]
    return queue[: len(queue) - len(suffix)] if suffix else queue


def every_priority(bases: list[str] | tuple[str, ...]) -> list[str]:
    """The queues a worker of these kinds consumes: every priority of each, rush first."""
    return [queue_name(base, p) for base in bases for p in PRIORITIES]


def rank(priority: str | None) -> int:
    """Sort key: rush before normal before low; an unknown or missing one counts as normal."""
    return PRIORITIES.index(priority) if priority in PRIORITIES else 1
