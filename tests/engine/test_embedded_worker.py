"""The embedded default (no server): the event store is the queue and one background worker per
data dir runs the jobs. Real console script, real background worker, real H.264 files."""

import os
import time
from fractions import Fraction
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.engine.conftest import (
    FINAL,
    LONG_FRAMES,
    LONG_SHOT,
    WAITING,
    embedded_worker_pid,
    job,
    kill_embedded_worker,
    make_project,
    ok,
    probe_video,
    sha256,
    shots_by_id,
    wait_for_status,
    wait_until_running,
)

pytestmark = [pytest.mark.usefixtures("reap_embedded_worker")]

# Small shots with different specs, so a take that took the project's size or fps would show.
SMALL_SHOTS = [
    {"prompt": "a ferry leaves the pier", "frames": 17},
    {"prompt": "gulls over the wake", "frames": 25, "width": 256, "height": 288, "fps": 12},
    {"prompt": "the captain's hands", "frames": 9, "width": 384, "fps": 30},
]
SMALL_SIZE = {"width": 320, "height": 256, "fps": 24}


def assert_take_matches_spec(shot: dict, job_id: str) -> dict:
    """Exactly one take, from `job_id`, whose file exists and has the shot's exact spec."""
    assert len(shot["takes"]) == 1, shot["takes"]
    take = shot["takes"][0]
    assert take["job_id"] == job_id
    path = Path(take["path"])
    assert path.is_absolute() and path.is_file(), take["path"]
    assert take["sha256"] == sha256(path)
    assert (take["width"], take["height"], take["num_frames"]) == (
        shot["width"],
        shot["height"],
        shot["num_frames"],
    )
    video = probe_video(path)
    assert video["codec"] == "h264"
    assert (video["width"], video["height"]) == (shot["width"], shot["height"])
    assert video["frames"] == shot["num_frames"]
    assert video["fps"] == Fraction(shot["fps"])
    return take


def test_generate_all_wait_gives_every_shot_one_exact_take(milimo: Run) -> None:
    pid, shot_ids = make_project(milimo, SMALL_SHOTS, **SMALL_SIZE)

    result = milimo("generate", pid, "--all", "--wait", "--json")

    jobs = ok(result)["jobs"]
    assert [j["shot_id"] for j in jobs] == shot_ids
    assert all(j["status"] == "completed" for j in jobs), jobs
    shots = shots_by_id(milimo, pid)
    for j in jobs:
        assert_take_matches_spec(shots[j["shot_id"]], j["id"])


def test_generate_without_wait_returns_at_once_and_follow_sees_the_end(milimo: Run) -> None:
    pid, _ = make_project(
        milimo, [{"prompt": "a long beat", "frames": 401}, SMALL_SHOTS[0]], **SMALL_SIZE
    )

    started = time.monotonic()
    result = milimo("generate", pid, "--all", "--json")
    elapsed = time.monotonic() - started

    jobs = ok(result)["jobs"]
    assert elapsed < 5, f"generate without --wait took {elapsed:.1f} s"
    assert len(jobs) == 2
    assert all(j["status"] in WAITING for j in jobs), jobs

    followed = ok(milimo("jobs", pid, "--follow", "--json"))
    assert {j["id"] for j in followed} == {j["id"] for j in jobs}
    assert all(j["status"] == "completed" for j in followed), followed
    shots = shots_by_id(milimo, pid)
    for j in jobs:
        assert_take_matches_spec(shots[j["shot_id"]], j["id"])


def test_reproduce_gives_a_byte_identical_file(milimo: Run) -> None:
    pid, (shot_id,) = make_project(milimo, [SMALL_SHOTS[1]], **SMALL_SIZE)
    (first,) = ok(milimo("generate", pid, shot_id, "--wait", "--json"))["jobs"]
    assert first["status"] == "completed"

    (again,) = ok(milimo("reproduce", first["id"], "--wait", "--json"))["jobs"]

    assert again["status"] == "completed" and again["id"] != first["id"]
    old, new = job(milimo, first["id"]), job(milimo, again["id"])
    assert new["request"] == old["request"]
    assert old["output"]["path"] != new["output"]["path"]
    assert sha256(new["output"]["path"]) == sha256(old["output"]["path"])
    assert new["output"]["sha256"] == old["output"]["sha256"] == sha256(old["output"]["path"])
    takes = shots_by_id(milimo, pid)[shot_id]["takes"]
    assert [t["job_id"] for t in takes] == [first["id"], again["id"]]


def audit_of(milimo: Run, job_id: str) -> dict:
    entries = ok(milimo("audit", "--json"))
    (entry,) = [e for e in entries if e["job_id"] == job_id]
    return entry


@pytest.mark.slow
def test_cancel_running_job_then_retry(milimo: Run, data_dir: Path) -> None:
    pid, (long_shot, short_shot) = make_project(milimo, [LONG_SHOT, SMALL_SHOTS[0]])
    (done,) = ok(milimo("generate", pid, short_shot, "--wait", "--json"))["jobs"]
    (long_job,) = ok(milimo("generate", pid, long_shot, "--json"))["jobs"]
    wait_until_running(milimo, long_job["id"])

    cancel = milimo("job", "cancel", long_job["id"], "--json")

    assert ok(cancel)["changed"] is True
    assert ok(cancel)["status"] in ("cancelling", "cancelled")
    ended = wait_for_status(milimo, long_job["id"], FINAL)
    assert ended["status"] == "cancelled"
    entry = audit_of(milimo, long_job["id"])
    assert entry["status"] == "cancelled"
    assert "JobCancelRequested" in entry["events"]
    assert entry["events"][-1] == "JobCancelled"
    assert "JobCompleted" not in entry["events"] and entry["output"] is None
    assert shots_by_id(milimo, pid)[long_shot]["takes"] == []
    takes_dir = data_dir / "media" / "projects" / pid / "takes"
    leftovers = list(takes_dir.glob(f"{long_job['id']}*")) if takes_dir.exists() else []
    assert leftovers == [], "a cancelled job left files behind"

    # Cancelling what already finished: exit 0, says so, records nothing.
    before = {e["job_id"]: e["events"] for e in ok(milimo("audit", "--json"))}
    for finished, status in ((long_job["id"], "cancelled"), (done["id"], "completed")):
        text = milimo("job", "cancel", finished)
        assert text.code == 0, text.err
        said = (text.out + text.err).lower()
        assert "already" in said and status in said, said
    after = {e["job_id"]: e["events"] for e in ok(milimo("audit", "--json"))}
    assert after == before
    assert job(milimo, done["id"])["status"] == "completed"

    (retried,) = ok(milimo("job", "retry", long_job["id"], "--wait", "--json"))["jobs"]

    assert retried["status"] == "completed" and retried["id"] != long_job["id"]
    assert job(milimo, long_job["id"])["retried_by"] == retried["id"]
    new = job(milimo, retried["id"])
    assert new["retry_of"] == long_job["id"]
    assert new["request"] == job(milimo, long_job["id"])["request"]
    takes = shots_by_id(milimo, pid)[long_shot]["takes"]
    assert [t["job_id"] for t in takes] == [retried["id"]]
    assert probe_video(takes[0]["path"])["frames"] == LONG_FRAMES


@pytest.mark.slow
@pytest.mark.parametrize("restart", ["worker-command", "another-generate"])
def test_a_killed_background_worker_loses_nothing(
    milimo: Run, data_dir: Path, restart: str
) -> None:
    pid, (long_shot, short_shot) = make_project(milimo, [LONG_SHOT, SMALL_SHOTS[0]])
    (long_job,) = ok(milimo("generate", pid, long_shot, "--json"))["jobs"]
    wait_until_running(milimo, long_job["id"])
    first_pid = embedded_worker_pid(data_dir)
    assert first_pid is not None, "no live worker named in worker.lock"

    killed = kill_embedded_worker(data_dir, whole_group=False)  # SIGKILL, the worker alone

    assert killed == first_pid
    left = job(milimo, long_job["id"])
    assert left["status"] == "running", left["status"]
    if restart == "worker-command":
        again = milimo("worker", "--embedded", "--idle", "1")
        assert again.code == 0, again.err
        doc = job(milimo, long_job["id"])
    else:
        (other,) = ok(milimo("generate", pid, short_shot, "--wait", "--json"))["jobs"]
        assert other["status"] == "completed"
        doc = wait_for_status(milimo, long_job["id"], FINAL, timeout=60)

    assert doc["status"] == "completed"
    assert doc["events"].count("JobStarted") == 2
    assert doc["attempts"] == 2
    assert doc["worker"]["pid"] != first_pid
    takes = shots_by_id(milimo, pid)[long_shot]["takes"]
    assert [t["job_id"] for t in takes] == [long_job["id"]]
    assert Path(takes[0]["path"]).is_file()
    assert probe_video(takes[0]["path"])["frames"] == LONG_FRAMES


def test_audit_records_every_input_the_events_and_the_output(milimo: Run) -> None:
    pid, (shot_id,) = make_project(
        milimo,
        [{"prompt": "fog on the water", "negative": "blurry", "frames": 25, "seed": 1234}],
        **SMALL_SIZE,
    )
    (done,) = ok(milimo("generate", pid, shot_id, "--wait", "--json"))["jobs"]

    entry = audit_of(milimo, done["id"])

    assert entry["shot_id"] == shot_id
    assert entry["status"] == "completed"
    assert "@" in entry["actor"]
    request = entry["request"]
    required = {
        "prompt",
        "negative_prompt",
        "seed",
        "width",
        "height",
        "num_frames",
        "fps",
        "cfg_scale",
        "num_inference_steps",
        "pipeline",
        "backend",
        "model",
        "conditioning",
    }
    assert required <= set(request), required - set(request)
    assert "fog on the water" in request["prompt"]
    assert request["negative_prompt"] == "blurry"
    assert (request["seed"], request["width"], request["height"]) == (1234, 320, 256)
    assert (request["num_frames"], request["fps"]) == (25, 24)
    assert (request["cfg_scale"], request["num_inference_steps"]) == (3.0, 40)
    assert request["backend"] == "animatic" and request["conditioning"] == []
    events = entry["events"]
    assert events[0] == "GenerationRequested"
    assert events[-1] == "JobCompleted"
    assert events.index("JobQueued") < events.index("JobStarted") < events.index("FrameProgress")
    assert events.count("FrameProgress") >= 2  # at least the first and the last
    shown = job(milimo, done["id"])
    assert (shown["step"], shown["total"]) == (25, 25)  # the last one was stored
    output = entry["output"]
    assert Path(output["path"]).is_absolute() and os.path.isfile(output["path"])
    assert output["sha256"] == sha256(output["path"])
    assert entry["timings"] and {"load", "inference", "encode", "total"} <= set(entry["timings"])


def test_asking_whether_a_worker_lives_leaves_the_lock_naming_the_last_worker(
    tmp_path: Path,
) -> None:
    from infrastructure.embedded_worker import lock_path, worker_alive

    lock_path(tmp_path).write_text("4242")
    assert worker_alive(tmp_path) is False
    assert lock_path(tmp_path).read_text() == "4242", "a stop by this pid must never hit us"
