"""A shot's conditioning files are checked when they are set, at the application's edge (the
domain stores their paths without looking at the disk): each must be a file this user can read,
so that every generation can hash what it was given and be reproduced."""

import os
from collections.abc import Iterable

from application.engine.ports import MediaRejected


class ConditioningFileUnreadable(MediaRejected):
    """A conditioning item names a file that is not there or cannot be read."""


def check_conditioning_files(paths: Iterable[str]) -> None:
    for path in paths:
        problem = _problem(path)
        if problem:
            raise ConditioningFileUnreadable(
                f"conditioning file {path} {problem}: name a readable image or clip by its "
                "absolute path, or an imported asset by id or name (`milimo asset import`); "
                "nothing was recorded"
            )


def _problem(path: str) -> str | None:
    if not os.path.lexists(path):
        return "does not exist"
    if not os.path.exists(path):
        return "is a link to nothing"
    if not os.path.isfile(path):
        return "is not a file"
    if not os.access(path, os.R_OK):
        return "is not readable by this user"
    return None
