"""Embedded mode: no server. The event store is the queue; one local worker per data dir is
started in the background when work is requested, and exits after a while without work.

A lock file says whether that worker lives: the worker holds an exclusive lock on it for its
whole life, so a worker killed with SIGKILL releases it at once, and the next one re-runs what
it left unfinished.
"""

import fcntl
import os
import subprocess
import sys
from pathlib import Path
from typing import IO


def lock_path(data_dir: Path) -> Path:
    return data_dir / "worker.lock"


class WorkerLock:
    def __init__(self, data_dir: Path):
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = lock_path(data_dir)
        self.handle: IO[str] | None = None

    def acquire(self) -> bool:
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle
        return True

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def worker_alive(data_dir: Path) -> bool:
    """Whether a worker holds the lock. The probe writes nothing: the file keeps naming the
    last worker's pid, never the asking process's (a stop by that pid must hit a worker)."""
    path = lock_path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


class EmbeddedDispatcher:
    """Dispatching is recording the request (done by then) and making sure a worker runs."""

    def __init__(self, data_dir: Path, store_url: str, spawn: bool = True):
        self.data_dir = data_dir
        self.store_url = store_url
        self.spawn = spawn

    def dispatch(self, job_ids: list[str], queues: dict[str, str]) -> None:
        if self.spawn and job_ids and not worker_alive(self.data_dir):
            start_worker(self.data_dir, self.store_url)


def start_worker(data_dir: Path, store_url: str) -> None:
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = (logs / "worker.log").open("ab")
    env = {**os.environ, "MILIMO_DATA_DIR": str(data_dir), "MILIMO_STORE_URL": store_url}
    subprocess.Popen(
        [sys.executable, "-m", "milimo", "worker", "--embedded"],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        env=env,
        start_new_session=True,  # outlives the command that started it
    )
