"""Fixtures for the engine's integration tests: real `milimo` processes, real workers, real Redis.

Every worker a test starts ends with it: `worker_procs` terminates the `milimo worker` processes
a test started itself, and `reap_embedded_worker` kills the background worker (and its encoder)
whose pid the data dir's worker.lock names.
"""

import contextlib
import hashlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import MILIMO, Result, Run
from tests.cli.conftest import milimo as milimo  # the shared fixture, re-exported

REDIS_URL = "redis://127.0.0.1:6379/7"
UNDER_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
FINAL = ("completed", "failed", "cancelled")
WAITING = ("pending", "queued", "running")

# A job long enough to act on while it runs: about 9 s on the animatic backend on 2 CPU cores,
# where a `milimo` command takes 1-3 s while a job renders (768x512 lasted only ~4 s: too short
# to poll for "running" and then act before it finished).
LONG_FRAMES = 2401
LONG_SHOT = {"prompt": "the long crossing", "frames": LONG_FRAMES, "width": 1024, "height": 640}


# ---------------------------------------------------------------------------------------------
# Small helpers shared by both test modules.


def wait_until(
    probe: Callable[[], Any], timeout: float, interval: float = 0.2, what: str = "condition"
) -> Any:
    """Calls `probe` until it returns something truthy; fails the test after `timeout` s."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")


def ok(result: Result) -> Any:
    """The JSON of a command that must succeed."""
    assert result.code == 0, f"exit {result.code}\nstdout: {result.out}\nstderr: {result.err}"
    return result.json()


def sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def probe_video(path: str | Path) -> dict[str, Any]:
    """Width, height, fps and the number of frames actually decoded, read with PyAV."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        rate = stream.average_rate or stream.guessed_rate
        return {
            "codec": stream.codec_context.name,
            "width": stream.codec_context.width,
            "height": stream.codec_context.height,
            "fps": Fraction(rate) if rate is not None else None,
            "frames": frames,
        }


def make_project(milimo: Run, shots: list[dict[str, Any]], **size: int) -> tuple[str, list[str]]:
    """A project with one scene and the given shots (`shot add` options); returns their ids."""
    args = [f"--{k}={v}" for k, v in size.items()]
    pid = ok(milimo("project", "create", "Engine Test", *args, "--json"))["id"]
    scene = ok(milimo("scene", "add", pid, "Deck", "--json"))["id"]
    ids = []
    for spec in shots:
        options = [f"--{k}={v}" for k, v in spec.items()]
        ids.append(ok(milimo("shot", "add", pid, "--scene", scene, *options, "--json"))["id"])
    return pid, ids


def shots_by_id(milimo: Run, pid: str) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in ok(milimo("project", "show", pid, "--json"))["shots"]}


def job(milimo: Run, job_id: str) -> dict[str, Any]:
    return ok(milimo("job", "show", job_id, "--json"))  # type: ignore[no-any-return]


def wait_for_status(
    milimo: Run, job_id: str, statuses: tuple[str, ...], timeout: float = 60
) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        doc = job(milimo, job_id)
        return doc if doc["status"] in statuses else None

    return wait_until(  # type: ignore[no-any-return]
        probe, timeout, interval=0.1, what=f"job {job_id[:8]} to be {'/'.join(statuses)}"
    )


def wait_until_running(milimo: Run, job_id: str, timeout: float = 30) -> dict[str, Any]:
    """Until the job runs; fails if it finished before the test could act on it."""

    def probe() -> dict[str, Any] | None:
        doc = job(milimo, job_id)
        assert doc["status"] not in FINAL, f"job ended before the test could act: {doc['status']}"
        return doc if doc["status"] == "running" else None

    return wait_until(probe, timeout, interval=0.05, what=f"job {job_id[:8]} to run")  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------
# Processes.


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def process_alive(pid: int) -> bool:
    """Alive and not a zombie (a killed worker is reparented; nobody may reap it at once)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    state = next((line for line in status.splitlines() if line.startswith("State:")), "")
    return "Z" not in state.split(":", 1)[-1].split()[:1]


def embedded_worker_pid(data_dir: Path) -> int | None:
    """The pid worker.lock names, if that process is alive and is a milimo worker."""
    try:
        text = (data_dir / "worker.lock").read_text().strip()
    except OSError:
        return None
    if not text.isdigit():
        return None
    pid = int(text)
    if process_alive(pid) and "milimo" in _cmdline(pid) and "worker" in _cmdline(pid):
        return pid
    return None


def kill_embedded_worker(data_dir: Path, whole_group: bool) -> int | None:
    """SIGKILL the data dir's background worker; with `whole_group` its encoder too."""
    pid = embedded_worker_pid(data_dir)
    if pid is None:
        return None
    with contextlib.suppress(ProcessLookupError):
        if whole_group and os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not process_alive(pid), 10, 0.05, what=f"worker {pid} to die")
    return pid


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The data dir the shared `milimo` fixture uses."""
    return tmp_path / "data"


@pytest.fixture
def base_env(tmp_path: Path) -> dict[str, str]:
    """The environment the shared `milimo` fixture gives its commands."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MILIMO_")}
    env["MILIMO_DATA_DIR"] = str(tmp_path / "data")
    env["MILIMO_CONFIG"] = str(tmp_path / "config.toml")
    return env


@pytest.fixture
def reap_embedded_worker(data_dir: Path, milimo: Run) -> Iterator[None]:
    """No background worker started by a test outlives it, nor its encoder (torn down before
    the shared fixture, which kills the worker alone)."""
    yield
    for _ in range(3):  # a worker may have handed over to a new one meanwhile
        if kill_embedded_worker(data_dir, whole_group=True) is None:
            break


class Workers:
    """`milimo worker` processes started by a test; all of them end with it."""

    def __init__(self, env: dict[str, str], logs: Path):
        self.env = env
        self.logs = logs
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        self.logs.mkdir(parents=True, exist_ok=True)
        log = (self.logs / f"worker-{len(self.procs)}.log").open("wb")
        proc = subprocess.Popen(
            [MILIMO, "worker", *args],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=self.env,
            start_new_session=True,
        )
        log.close()
        self.procs.append(proc)
        return proc

    def log(self, proc: subprocess.Popen[bytes]) -> str:
        return (self.logs / f"worker-{self.procs.index(proc)}.log").read_text(errors="replace")

    def wait_ready(self, proc: subprocess.Popen[bytes], timeout: float = 30) -> str:
        """Until the worker has re-dispatched what waits and consumes its queues."""

        def probe() -> str | None:
            assert proc.poll() is None, f"worker exited {proc.returncode}:\n{self.log(proc)}"
            text = self.log(proc)
            return text if "re-dispatched" in text else None

        return wait_until(probe, timeout, 0.1, what="the worker to start")  # type: ignore[no-any-return]

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL the worker alone (what a crash or the OOM killer does)."""
        proc.kill()
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
            # Its encoder, if it was killed mid-job: the worker leads its own process group.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)


# ---------------------------------------------------------------------------------------------
# Redis.


@pytest.fixture
def redis_url() -> str:
    """The dedicated Redis db, emptied; skipped without a server, failing under CI=true."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        if UNDER_CI:
            pytest.fail(f"CI=true but Redis is not reachable at {REDIS_URL}: {error}")
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({error}); start it to run these tests")
    client.flushdb()
    client.close()
    return REDIS_URL


@pytest.fixture
def redis_env(base_env: dict[str, str], redis_url: str) -> dict[str, str]:
    return {**base_env, "MILIMO_BROKER_URL": redis_url}


@pytest.fixture
def redis_milimo(milimo: Run, redis_url: str) -> Run:
    """The shared `milimo` fixture, pointed at the Redis broker."""

    def run(*args: str, extra_env: dict[str, str] | None = None) -> Result:
        return milimo(*args, extra_env={"MILIMO_BROKER_URL": redis_url, **(extra_env or {})})

    return run


@pytest.fixture
def workers(redis_env: dict[str, str], tmp_path: Path) -> Iterator[Workers]:
    pool = Workers(redis_env, tmp_path / "worker-logs")
    try:
        yield pool
    finally:
        pool.stop_all()
