"""The ledger sums machine time from the job events: a completed GPU job, a failed one retried
as a new job that was itself interrupted once, a cancelled one, one still waiting."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from application.ledger import Ledger
from application.queries import Queries
from application.studio import Studio
from domain.job.aggregate import Job
from domain.job.events import JobEvent

ACTOR = "ana@gpu-box"
START = datetime(2026, 11, 1, 23, 0, tzinfo=UTC)  # an hour before midnight, UTC
GPU = {"host": "gpu-box", "pid": 7, "device": "cuda:0"}
CPU = {"host": "laptop", "pid": 9, "device": "cpu"}


class FakeClock:
    """Every job event is stamped with `now`, which the test moves on."""

    def __init__(self) -> None:
        self.now = START

    def at(self, seconds: float) -> None:
        self.now = START + timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeClock]:
    fake = FakeClock()
    monkeypatch.setattr(JobEvent, "create_timestamp", staticmethod(lambda: fake.now))
    yield fake


class Film:
    def __init__(self, studio: Studio, clock: FakeClock):
        self.studio, self.clock = studio, clock
        self.pid = studio.create_project("Pier")
        scene = studio.add_scene(self.pid, "Pier")
        self.shots = [studio.add_shot(self.pid, scene, prompt=f"shot {n}") for n in (1, 2)]

    def request(self, at: float, shot: str | None, backend: str, **extra: Any) -> str:
        self.clock.at(at)
        kind = "video" if shot else "image"
        job = Job.request_generation(
            ACTOR, self.pid, shot, kind, {"backend": backend, "model": "m"}, **extra
        )
        self.studio.save(job)
        return job.id.hex

    def do(self, at: float, job_id: str, step: Any) -> None:
        self.clock.at(at)
        self.studio.edit_job(job_id, step)


def start(worker: dict[str, Any], backend: str, load: float, reason: str | None = None) -> Any:
    return lambda j: j.start(ACTOR, worker, backend, {}, load == 0, load, reason)


def progress(step: int, elapsed: float) -> Any:
    return lambda j: j.record_progress(ACTOR, step, 10, None, elapsed, None)


def complete(total: float, load: float, measure: float = 0.0) -> Any:
    timings = {"total": total, "load": load, "measure": measure}
    return lambda j: j.complete(ACTOR, {"path": "/x.mp4"}, timings)


@pytest.fixture
def film(studio: Studio, clock: FakeClock) -> Film:
    f = Film(studio, clock)
    one, two = f.shots
    # A: shot 1 on a GPU, loads its model for 5 s, runs 15 s (total 20 − load 5); its take is
    # then measured on the CPU for 0.5 s.
    a = f.request(0, one, "ltx2")
    f.do(10, a, start(GPU, "ltx2", 5.0))
    f.do(20, a, progress(5, 7.5))
    f.do(30, a, complete(20.0, 5.0, measure=0.5))
    # B: shot 2 on the CPU, fails after 3 s of work; retried as C.
    b = f.request(100, two, "animatic")
    f.do(101, b, start(CPU, "animatic", 0.0))
    f.do(104, b, progress(3, 3.0))
    f.do(110, b, lambda j: j.fail(ACTOR, "RuntimeError", "boom", False))
    c = f.request(120, two, "animatic", retry_of=b)
    f.do(120, b, lambda j: j.retried_as(ACTOR, c))
    # C: its first worker dies after 1.5 s; the second run loads again and completes in 3 s.
    f.do(121, c, start(CPU, "animatic", 0.5))
    f.do(123, c, progress(2, 1.5))
    f.do(200, c, start(CPU, "animatic", 0.5, reason="its worker stopped heartbeating"))
    f.do(202, c, progress(9, 2.5))
    f.do(204, c, complete(3.5, 0.5))
    # D: shot 1 on the GPU again, past midnight: cancelled after 6 s of work.
    d = f.request(3600 + 10, one, "ltx2")
    f.do(3600 + 11, d, start(GPU, "ltx2", 0.0))
    f.do(3600 + 17, d, progress(4, 6.0))
    f.do(3600 + 18, d, lambda j: j.cancel(ACTOR))
    f.do(3600 + 19, d, lambda j: j.cancelled(ACTOR, 4))
    # E: an image without a shot, still waiting: counted, costs nothing yet.
    f.request(3600 + 20, None, "flux2")
    return f


def figures(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("jobs", "completed", "failed", "cancelled", "unfinished", "retries")
    seconds = ("gpu_seconds", "cpu_seconds", "load_seconds", "wall_seconds")
    return {k: row[k] for k in (*keys, *seconds, "cancelled_work_seconds")}


def test_the_totals_add_up_every_attempt_from_the_events(film: Film, queries: Queries) -> None:
    rows = Ledger(queries).rows(film.pid)
    project, total = rows
    assert project["group"] == "Pier" and project["project_id"] == film.pid
    assert total["group"] == "total"
    assert (
        figures(total)
        == figures(project)
        == {
            "jobs": 5,
            "completed": 2,
            "failed": 1,
            "cancelled": 1,
            "unfinished": 1,
            "retries": 2,  # B retried as C, C's second attempt
            "gpu_seconds": 15.0 + 6.0,  # A's run, D's run until it was cancelled
            # A's measuring; B until it failed, C interrupted, C completed
            "cpu_seconds": 0.5 + 3.0 + 1.5 + 3.0,
            "load_seconds": 5.0 + 0.5 + 0.5,
            "wall_seconds": 30.0 + 10.0 + 84.0 + 9.0,  # request → end of A, B, C, D
            "cancelled_work_seconds": 3.0 + 1.5 + 6.0,
        }
    )


def test_by_shot_names_shots_as_the_editor_does(film: Film, queries: Queries) -> None:
    rows = Ledger(queries).rows(film.pid, by="shot")
    assert [r["group"] for r in rows] == ["1.1", "1.2", "no shot", "total"]
    one, two, none, _ = rows
    assert one["shot_id"] == film.shots[0] and two["shot_id"] == film.shots[1]
    assert (one["jobs"], one["gpu_seconds"], one["cpu_seconds"]) == (2, 21.0, 0.5)
    assert (two["jobs"], two["retries"], two["cpu_seconds"]) == (2, 2, 7.5)
    assert (none["jobs"], none["unfinished"], none["gpu_seconds"]) == (1, 1, 0.0)


def test_by_backend_and_by_utc_day(film: Film, queries: Queries) -> None:
    backends = Ledger(queries).rows(film.pid, by="backend")
    assert [(r["group"], r["jobs"], r["gpu_seconds"]) for r in backends] == [
        ("ltx2", 2, 21.0),
        ("animatic", 2, 0.0),
        ("flux2", 1, 0.0),
        ("total", 5, 21.0),
    ]
    days = Ledger(queries).rows(film.pid, by="day")
    assert [(r["group"], r["jobs"]) for r in days] == [
        ("2026-11-01", 3),
        ("2026-11-02", 2),
        ("total", 5),
    ]


def test_a_running_attempt_counts_what_it_has_done_so_far(
    studio: Studio, clock: FakeClock, queries: Queries
) -> None:
    f = Film(studio, clock)
    job = f.request(0, f.shots[0], "ltx2")
    f.do(1, job, start(GPU, "ltx2", 2.0))
    f.do(5, job, progress(4, 4.0))
    row, _ = Ledger(queries).rows(f.pid)
    assert (row["unfinished"], row["gpu_seconds"], row["load_seconds"]) == (1, 4.0, 2.0)
    assert row["wall_seconds"] == 0.0 and row["cancelled_work_seconds"] == 0.0


def test_without_a_project_every_project_has_a_row(
    film: Film, studio: Studio, queries: Queries
) -> None:
    other = Film(studio, film.clock)
    other.request(9000, other.shots[0], "animatic")
    rows = Ledger(queries).rows()
    assert [(r["group"], r["jobs"]) for r in rows] == [("Pier", 5), ("Pier", 1), ("total", 6)]
    assert rows[0]["project_id"] != rows[1]["project_id"]
    by_shot = Ledger(queries).rows(by="shot")
    assert by_shot[0]["group"] == "Pier 1.1"


def test_an_unknown_grouping_is_refused(film: Film, queries: Queries) -> None:
    with pytest.raises(ValueError, match="groups by"):
        Ledger(queries).rows(film.pid, by="week")
