"""Several boxes: PostgreSQL as the store, Redis as the broker, media on a shared mount.

Each "box" is a set of processes with a working directory and a data dir of its own; the boxes
share only MILIMO_STORE_URL (a fresh PostgreSQL database per test), MILIMO_BROKER_URL (Redis
db 11) and MILIMO_MEDIA_DIR. Two GPU boxes run `milimo worker`; the editor box requests the work,
plays the takes, renders, exports and audits, and reads nothing but the store and the media dir.
"""

import contextlib
import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infrastructure.frame_reader import read_frames
from tests.cli.conftest import MILIMO, Result
from tests.engine.conftest import (
    FINAL,
    LONG_FRAMES,
    LONG_SHOT,
    UNDER_CI,
    ok,
    probe_video,
    sha256,
    wait_until,
)

pytestmark = pytest.mark.slow

BROKER_URL = "redis://127.0.0.1:6379/11"
SIZE = {"width": 320, "height": 256, "fps": 24}
# Long enough (a second or more each) that an idle second worker takes some of them.
SHOTS: list[dict[str, Any]] = [
    {"prompt": "rain on the deck", "frames": 49},
    {"prompt": "a lantern swings", "frames": 49},
    {"prompt": "the horn sounds", "frames": 49},
    {"prompt": "gulls over the wake", "frames": 49},
]
MEDIA_SUFFIXES = {".mp4", ".png", ".jpg", ".otio", ".json", ".partial"}
RUN_WAIT = 240.0  # seconds a long job may take on a loaded 2-core machine, re-runs included


# ---------------------------------------------------------------------------------------------
# The shared services: a database of its own for each test, Redis db 11 emptied.


@pytest.fixture
def store_url() -> Iterator[str]:
    from tests.conftest import PG_HOST, PG_PORT, _admin_connection

    try:
        admin, user = _admin_connection()
    except RuntimeError as error:
        if UNDER_CI:
            pytest.fail(f"CI=true but PostgreSQL is not reachable: {error}")
        pytest.skip(f"PostgreSQL not reachable ({error}); start it to run the several-boxes tests")
    name = f"milimo_boxes_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[attr-defined]
    try:
        yield f"postgresql://{user}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        admin.execute(  # type: ignore[attr-defined]
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')  # type: ignore[attr-defined]
        admin.close()  # type: ignore[attr-defined]


@pytest.fixture
def broker_url() -> Iterator[str]:
    import redis

    client = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        if UNDER_CI:
            pytest.fail(f"CI=true but Redis is not reachable at {BROKER_URL}: {error}")
        pytest.skip(f"Redis not reachable at {BROKER_URL} ({error}); start it to run these tests")
    client.flushdb()
    try:
        yield BROKER_URL
    finally:
        client.flushdb()
        client.close()


# ---------------------------------------------------------------------------------------------
# Boxes.


class Box:
    """One machine's processes: its own working directory, data dir and config file."""

    def __init__(self, name: str, root: Path, shared: dict[str, str]):
        self.name = name
        self.root = root
        self.cwd = root / "cwd"
        self.data_dir = root / "data"
        self.cwd.mkdir(parents=True)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("MILIMO_")}
        self.env.update(shared)
        self.env["MILIMO_DATA_DIR"] = str(self.data_dir)
        self.env["MILIMO_CONFIG"] = str(root / "config.toml")
        self.worker: subprocess.Popen[bytes] | None = None

    def run(self, *args: str) -> Result:
        proc = subprocess.run(
            [MILIMO, *args], capture_output=True, text=True, env=self.env, cwd=self.cwd, timeout=240
        )
        return Result(proc)

    def start_worker(self) -> subprocess.Popen[bytes]:
        with (self.root / "worker.log").open("wb") as log:
            self.worker = subprocess.Popen(
                [MILIMO, "worker"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=self.cwd,
                start_new_session=True,  # the worker leads a group: its encoder goes with it
            )
        return self.worker

    def log(self) -> str:
        return (self.root / "worker.log").read_text(errors="replace")

    def wait_ready(self) -> None:
        worker = self.worker
        assert worker is not None

        def ready() -> bool:
            assert worker.poll() is None, f"{self.name}'s worker exited:\n{self.log()}"
            return "re-dispatched" in self.log()

        wait_until(ready, 60, 0.2, what=f"{self.name}'s worker to start")

    def stop(self) -> None:
        worker = self.worker
        if worker is None:
            return
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(worker.pid, signal.SIGKILL)


@pytest.fixture
def media_dir(tmp_path: Path) -> Path:
    """The shared mount every box sees at the same path."""
    return tmp_path / "shared-media"


@pytest.fixture
def boxes(
    tmp_path: Path, store_url: str, broker_url: str, media_dir: Path
) -> Iterator[dict[str, Box]]:
    shared = {
        "MILIMO_STORE_URL": store_url,
        "MILIMO_BROKER_URL": broker_url,
        "MILIMO_MEDIA_DIR": str(media_dir),
    }
    made = {name: Box(name, tmp_path / name, shared) for name in ("gpu-a", "gpu-b", "editor")}
    try:
        yield made
    finally:
        for box in made.values():
            box.stop()


def start_workers(boxes: dict[str, Box]) -> dict[int, Box]:
    """Both GPU boxes' workers, ready; by pid."""
    gpus = [boxes["gpu-a"], boxes["gpu-b"]]
    for box in gpus:
        box.start_worker()
    for box in gpus:
        box.wait_ready()
    return {box.worker.pid: box for box in gpus if box.worker}


def make_project(editor: Box, shots: list[dict[str, Any]], **size: int) -> tuple[str, list[str]]:
    args = [f"--{k}={v}" for k, v in size.items()]
    pid = ok(editor.run("project", "create", "Harbour", *args, "--json"))["id"]
    scene = ok(editor.run("scene", "add", pid, "Deck", "--json"))["id"]
    ids = []
    for spec in shots:
        options = [f"--{k}={v}" for k, v in spec.items()]
        ids.append(ok(editor.run("shot", "add", pid, "--scene", scene, *options, "--json"))["id"])
    return pid, ids


def job(box: Box, job_id: str) -> dict[str, Any]:
    return ok(box.run("job", "show", job_id, "--json"))  # type: ignore[no-any-return]


def wait_final(box: Box, job_id: str, timeout: float) -> dict[str, Any]:
    def finished() -> dict[str, Any] | None:
        doc = job(box, job_id)
        return doc if doc["status"] in FINAL else None

    return wait_until(finished, timeout, 0.5, what=f"job {job_id[:8]} to finish")  # type: ignore[no-any-return]


def media_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() and p.suffix in MEDIA_SUFFIXES}


def under(path: str, folder: Path) -> bool:
    return Path(path).is_relative_to(folder)


# ---------------------------------------------------------------------------------------------
# The stories.


def test_worker_boxes_make_the_takes_the_editor_box_plays_renders_exports_and_audits(
    boxes: dict[str, Box], media_dir: Path, store_url: str
) -> None:
    editor = boxes["editor"]
    workers = start_workers(boxes)

    for box in boxes.values():
        doctor = ok(box.run("doctor", "--json"))
        assert doctor["settings"]["data_dir"] == str(box.data_dir)
        assert doctor["settings"]["media_dir"] == str(media_dir)
        assert doctor["store"]["kind"] == "postgresql" and doctor["store"]["ok"]
        assert doctor["broker"]["kind"] == "redis" and doctor["broker"]["ok"]
        assert doctor["media"]["path"] == str(media_dir)
        assert doctor["media"]["writable"] and not doctor["media"]["inside_data_dir"]

    listed = ok(editor.run("workers", "--json"))
    assert {(w["pid"], w["status"]) for w in listed} == {(p, "live") for p in workers}

    pid, _ = make_project(editor, SHOTS, **SIZE)
    generated = ok(editor.run("generate", pid, "--all", "--wait", "--json"))["jobs"]

    assert [j["status"] for j in generated] == ["completed"] * len(SHOTS)
    jobs = {j["id"]: j for j in ok(editor.run("jobs", pid, "--json"))}
    ran_on = {jobs[j["id"]]["worker"]["pid"] for j in generated}
    assert ran_on == set(workers), f"the jobs ran on {ran_on}, the workers are {set(workers)}"

    # Play: the editor box decodes every take that the GPU boxes wrote on the shared mount.
    shots = ok(editor.run("project", "show", pid, "--json"))["shots"]
    for shot in shots:
        (take,) = shot["takes"]
        assert under(take["path"], media_dir) and under(take["thumbnail"], media_dir)
        assert take["sha256"] == sha256(take["path"])
        fps, frames = read_frames(take["path"], 80, 24)
        pictures = list(frames)
        assert len(pictures) == shot["num_frames"] and fps == SIZE["fps"]
        assert all(p.width <= 80 and p.height <= 24 for p in pictures)

    # Render: a job on a GPU box, written to the shared mount; `-o` is a path on the editor box.
    total = sum(s["frames"] for s in SHOTS)
    rendered = ok(editor.run("render", pid, "-o", "film.mp4", "--json"))
    in_media = ok(editor.run("render", pid, "--json"))

    film = editor.cwd / "film.mp4"
    assert rendered["path"] == str(film) and rendered["sidecar"] == f"{film}.json"
    assert rendered["sha256"] == sha256(film) == in_media["sha256"]
    assert probe_video(film)["frames"] == total
    assert under(in_media["path"], media_dir) and probe_video(in_media["path"])["frames"] == total
    render_jobs = [job(editor, rendered["id"]), job(editor, in_media["id"])]
    for render in render_jobs:
        assert render["worker"]["pid"] in workers
        assert render["request"]["destination"] is None  # the editor's path means nothing there
        assert under(render["output"]["path"], media_dir)

    exported = ok(editor.run("export", pid, "--format", "otio", "-o", "film.otio", "--json"))
    assert exported["path"] == str(editor.cwd / "film.otio") and exported["clips"] == len(SHOTS)
    otio = (editor.cwd / "film.otio").read_text()
    assert all(s["takes"][0]["path"] in otio for s in shots)

    audit = ok(editor.run("audit", pid, "--json"))
    assert sorted(e["kind"] for e in audit) == ["render"] * 2 + ["video"] * len(SHOTS)
    for entry in audit:
        assert entry["status"] == "completed"
        assert entry["worker"]["pid"] in workers, entry["worker"]
        assert under(entry["output"]["path"], media_dir)
        assert entry["events"][0] == "GenerationRequested" and entry["events"][-1] == "JobCompleted"

    # Nothing generated landed on a box of its own: the only media files outside the shared mount
    # are the two the editor asked for by name.
    stray = set().union(*(media_files(box.root) for box in boxes.values()))
    assert stray == {film, Path(f"{film}.json"), editor.cwd / "film.otio"}, stray


def test_a_stopped_worker_finishes_its_job_takes_no_new_one_and_exits_cleanly(
    boxes: dict[str, Box], media_dir: Path
) -> None:
    editor = boxes["editor"]
    workers = start_workers(boxes)
    pid, (long_shot, small_shot) = make_project(editor, [LONG_SHOT, SHOTS[0]])
    (long_job,) = ok(editor.run("generate", pid, long_shot, "--json"))["jobs"]

    def running() -> dict[str, Any] | None:
        doc = job(editor, long_job["id"])
        assert doc["status"] not in FINAL, "the long job ended before the test could stop its box"
        return doc if doc["status"] == "running" else None

    busy_pid = wait_until(running, 60, 0.1, what="the long job to run")["worker"]["pid"]
    busy, (other,) = workers[busy_pid], [b for p, b in workers.items() if p != busy_pid]
    assert busy.worker is not None and other.worker is not None

    busy.worker.send_signal(signal.SIGTERM)  # `systemctl stop milimo-worker@0`
    (small_job,) = ok(editor.run("generate", pid, small_shot, "--json"))["jobs"]

    assert busy.worker.wait(timeout=RUN_WAIT) == 0, busy.log()
    listed = ok(editor.run("workers", "--json"))
    assert [w["pid"] for w in listed] == [other.worker.pid]  # a clean stop leaves the registry
    long_done = job(editor, long_job["id"])
    assert long_done["status"] == "completed", long_done
    assert long_done["worker"]["pid"] == busy_pid
    assert long_done["events"].count("JobStarted") == 1
    small_done = wait_final(editor, small_job["id"], 60)
    assert small_done["status"] == "completed" and small_done["worker"]["pid"] == other.worker.pid
    take = ok(editor.run("project", "show", pid, "--json"))["shots"][0]["takes"][0]
    assert under(take["path"], media_dir) and probe_video(take["path"])["frames"] == LONG_FRAMES


def test_a_job_of_a_box_that_dies_is_resumed_by_another_box_from_its_finished_segments(
    boxes: dict[str, Box], media_dir: Path
) -> None:
    editor = boxes["editor"]
    workers = start_workers(boxes)
    pid, (long_shot,) = make_project(editor, [LONG_SHOT])
    (long_job,) = ok(editor.run("generate", pid, long_shot, "--json"))["jobs"]

    def one_segment_done() -> dict[str, Any] | None:
        doc = job(editor, long_job["id"])
        assert doc["status"] not in FINAL, "the long job ended before the test could kill its box"
        return doc if "SegmentCompleted" in doc["events"] else None

    doc = wait_until(one_segment_done, 90, 0.1, what="the long job's first segment")
    dead = workers[doc["worker"]["pid"]]
    assert dead.worker is not None
    # The box dies (or TimeoutStopSec ran out): the worker and its encoder, at once.
    os.killpg(dead.worker.pid, signal.SIGKILL)
    dead.worker.wait(timeout=10)

    done = wait_final(editor, long_job["id"], RUN_WAIT)
    assert done["status"] == "completed", done
    assert done["events"].count("JobStarted") == 2
    survivor = next(b for b in workers.values() if b is not dead)
    assert survivor.worker is not None and done["worker"]["pid"] == survivor.worker.pid
    # The survivor went on from the dead box's segments on the shared mount: none ran twice.
    assert done["events"].count("SegmentCompleted") == len(done["segments_done"])
    assert all(under(s["path"], media_dir) for s in done["segments_done"])
    take = ok(editor.run("project", "show", pid, "--json"))["shots"][0]["takes"][0]
    assert take["sha256"] == sha256(take["path"])

    def dead_shown_lost() -> dict[int, str] | None:
        listed = {w["pid"]: w["status"] for w in ok(editor.run("workers", "--json"))}
        return listed if listed.get(dead.worker.pid) == "lost" else None  # type: ignore[union-attr]

    listed = wait_until(dead_shown_lost, 60, 1.0, what="the dead box's worker to be shown lost")
    assert listed == {dead.worker.pid: "lost", survivor.worker.pid: "live"}
    assert probe_video(take["path"])["frames"] == LONG_FRAMES


def test_boxes_starting_together_on_a_new_store_all_open_it(
    tmp_path: Path, store_url: str, broker_url: str, media_dir: Path
) -> None:
    shared = {
        "MILIMO_STORE_URL": store_url,
        "MILIMO_BROKER_URL": broker_url,
        "MILIMO_MEDIA_DIR": str(media_dir),
    }
    boxes = [Box(f"box-{n}", tmp_path / f"box-{n}", shared) for n in range(4)]

    # Every box creates the tables it misses; the losers of that race must retry, not fail.
    procs = [
        subprocess.Popen(
            [MILIMO, "projections", "status", "--json"],
            cwd=box.cwd,
            env=box.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for box in boxes
    ]
    errors = [proc.communicate(timeout=120)[1] for proc in procs]

    assert [proc.returncode for proc in procs] == [0] * len(boxes), errors
