import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

MILIMO = shutil.which("milimo", path=str(Path(sys.executable).parent)) or "milimo"


class Result:
    def __init__(self, proc: subprocess.CompletedProcess[str]):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self) -> Any:
        return json.loads(self.out)


Run = Callable[..., Result]


def stop_worker(data_dir: Path) -> None:
    """A background worker a test started must not outlive it."""
    lock = data_dir / "worker.lock"
    if lock.is_file() and lock.read_text().strip().isdigit():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(int(lock.read_text().strip()), signal.SIGKILL)


@pytest.fixture
def milimo(tmp_path: Path) -> Iterator[Run]:
    """The real console script in a subprocess, on a fresh data dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MILIMO_")}
    env["MILIMO_DATA_DIR"] = str(tmp_path / "data")
    env["MILIMO_CONFIG"] = str(tmp_path / "config.toml")

    def run(*args: str, extra_env: dict[str, str] | None = None) -> Result:
        proc = subprocess.run(
            [MILIMO, *args],
            capture_output=True,
            text=True,
            env={**env, **(extra_env or {})},
            timeout=60,
        )
        return Result(proc)

    yield run
    stop_worker(tmp_path / "data")
