"""`-o FILE` of the commands that write a file (render, export), checked before anything runs."""

import os
from pathlib import Path

from milimo.cli.context import UsageError


def output_file(raw: str) -> Path:
    """The absolute path to write: not a folder, in a folder that exists and can be written."""
    path = Path(raw).expanduser().absolute()
    if path.is_dir():
        raise UsageError(f"-o {raw}: is a folder; name the file to write in it")
    if not path.parent.is_dir():
        raise UsageError(f"-o {raw}: the folder {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"-o {raw}: cannot write there (permission denied)")
    return path
