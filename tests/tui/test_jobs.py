"""Jobs: generate to 100% with the real background worker, cancel, retry, live progress."""

from typing import Any

import pytest
from textual.geometry import Region
from textual.widgets import Static

from milimo.wiring import engine, runner
from tests.tui.conftest import World, make_film, settle
from tui.app import MilimoApp
from tui.messages import JobProgress
from tui.screens.jobs import JobsScreen, job_detail
from tui.widgets.job_row import SPARKS, JobRow


def rows(app: MilimoApp) -> list[JobRow]:
    return list(app.screen.query(JobRow))


def row_of(app: MilimoApp, job_id: str) -> JobRow | None:
    return next((r for r in rows(app) if r.job["id"] == job_id), None)


def notified(app: MilimoApp, text: str) -> bool:
    return any(text in n.message for n in app._notifications)


def queued_jobs(world: World, pid: str, shots: int = 3) -> list[str]:
    """Jobs recorded and queued with no worker started: they stay where they are."""
    view = world.milimo.queries.project(pid)
    return engine(world.milimo, spawn_worker=False).generate(
        pid, [s["id"] for s in view["shots"][:shots]]
    )


@pytest.mark.slow
async def test_generate_to_100_percent(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=2)
    first = world.milimo.queries.project(pid)["shots"][0]
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("4")
        await settle(pilot, lambda: app.current_mode == "inspector")
        await pilot.press("g")
        await settle(pilot, lambda: len(app.jobs) == 1)
        await pilot.press("6")
        await settle(pilot, lambda: len(rows(app)) == 1)
        (row,) = rows(app)
        assert row.job["shot_id"] == first["id"] and row.where == "shot 1.1"

        await settle(pilot, lambda: row.status == "completed", timeout=120)

        assert row.percent == 100.0 and row.step == row.total > 0
        assert not row.active
        assert "100%" in str(row.render())
        await pilot.press("enter")
        detail = str(app.screen.query_one("#job-detail", Static).render())
        assert "output" in detail and ".mp4" in detail and "timings" in detail
    (job,) = world.milimo.queries.jobs(pid)
    assert job["status"] == "completed" and job["progress"] == 100.0
    shot = world.milimo.queries.project(pid)["shots"][0]
    assert [t["job_id"] for t in shot["takes"]] == [job["id"]]


@pytest.mark.slow
async def test_cancel_a_running_job_with_confirmation(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    (shot,) = world.milimo.queries.project(pid)["shots"]
    world.milimo.studio.change_shot(pid, shot["id"], num_frames=2401, width=1024, height=640)
    (job_id,) = world.services.engine().generate(pid, [shot["id"]])
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("6")
        await settle(pilot, lambda: len(rows(app)) == 1)
        (row,) = rows(app)
        await settle(pilot, lambda: row.status == "running" and row.step > 0, timeout=60)
        assert row.active

        await pilot.press("c")
        await settle(pilot, lambda: not isinstance(app.screen, JobsScreen))
        await pilot.press("n")  # no: nothing happens
        await pilot.pause(0.3)
        assert not world.milimo.queries.job(job_id)["cancel_requested"]
        await pilot.press("c", "y")

        await settle(pilot, lambda: row.status == "cancelled", timeout=60)
        assert notified(app, f"job {job_id[:8]} stops at its next step")
        assert not row.active and row.percent < 100
        await pilot.press("c")
        await pilot.pause()
        assert notified(app, f"job {job_id[:8]} is already cancelled: nothing to cancel")
    done = world.milimo.queries.job(job_id)
    assert done["status"] == "cancelled" and done["events"][-1] == "JobCancelled"
    assert world.milimo.queries.project(pid)["shots"][0]["takes"] == []


@pytest.mark.slow
async def test_retry_a_cancelled_job_runs_it_again(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=2)
    first, second = queued_jobs(world, pid, shots=2)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("6")
        await settle(pilot, lambda: len(rows(app)) == 2)
        await pilot.press("r")  # a queued job cannot be retried
        await pilot.pause()
        assert notified(app, "only a failed or cancelled job can be retried")
        await pilot.press("j", "c", "y")  # the older one, never started
        await settle(pilot, lambda: row_of(app, first).status == "cancelled")  # type: ignore[union-attr]
        assert notified(app, f"job {first[:8]} cancelled before it started")

        await pilot.press("r")

        await settle(pilot, lambda: len(rows(app)) == 3)
        new = world.milimo.queries.job(first)["retried_by"]
        assert new and rows(app)[0].job["id"] == new
        assert app.screen.selected == new and rows(app)[0].has_class("-selected")
        await settle(pilot, lambda: rows(app)[0].status == "completed", timeout=120)
    retried = world.milimo.queries.job(new)
    assert retried["retry_of"] == first and retried["status"] == "completed"
    assert world.milimo.queries.job(second)["status"] == "completed"


def drawn(row: JobRow) -> str:
    """The row's line as the screen shows it."""
    (line,) = row.render_lines(Region(0, 0, row.outer_size.width, 1))
    return line.text


async def test_live_steps_move_the_bar_the_rate_and_the_eta(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    (job_id,) = queued_jobs(world, pid, shots=1)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("6")
        await settle(pilot, lambda: len(rows(app)) == 1)
        (row,) = rows(app)
        assert row.step == 0 and row.rate is None and row.eta is None
        row.job = {**row.job, "status": "running"}  # as if the worker had started it
        sent = 1000.0
        for step, seconds in [(1, 0.0), (3, 1.0), (5, 1.0), (9, 1.0), (10, 0.5)]:
            sent += seconds
            app.post_message(JobProgress(job_id, step, 40, sent, {"step": step, "sent": sent}))
            await pilot.pause()

        assert (row.step, row.total) == (10, 40)
        assert list(row.rates) == [2.0, 2.0, 4.0, 2.0]
        assert row.rate == 2.5 and row.eta == 12.0
        text = str(row.render())
        assert "25%" in text and "10/40" in text and "eta 12s" in text and "2.5 it/s" in text
        assert "▁▁█▁" in text  # the sparkline of the four rates
        await pilot.pause()
        assert "2.5 it/s ▁▁█▁" in drawn(row), "the sparkline is on the screen, not wrapped away"
        before = len(app.screen.query("*"))
        app.post_message(JobProgress(job_id, 11, 40, sent + 0.5, {"step": 11, "sent": sent + 0.5}))
        await pilot.pause()
        assert len(app.screen.query("*")) == before and rows(app) == [row]  # updated in place
        for step in range(12, 40):  # a sparkline as wide as its column
            sent += 1.0
            app.post_message(JobProgress(job_id, step, 40, sent, {"step": step, "sent": sent}))
            await pilot.pause()
        spark = drawn(row).split("it/s ")[-1].strip()
        assert len(spark) == 11 and set(spark) <= set(SPARKS), "the whole sparkline is drawn"
        app.post_message(JobProgress(job_id, 40, 40, sent + 9, {"step": 40, "sent": sent + 9}))
        await pilot.pause()
        assert "finishing" in drawn(row) and "eta" not in drawn(row), "no 'eta 0s' at 100 %"


async def test_cancel_and_retry_say_what_cannot_be_done(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    (job_id,) = queued_jobs(world, pid, shots=1)
    engine(world.milimo, spawn_worker=False).cancel(job_id)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("6")
        await settle(pilot, lambda: len(rows(app)) == 1)
        await pilot.press("c")
        await pilot.pause()
        assert notified(app, "is already cancelled: nothing to cancel")
        assert isinstance(app.screen, JobsScreen)  # no question asked


async def test_keys_and_clicks_choose_a_job_and_enter_shows_it(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=3)
    first, second, third = queued_jobs(world, pid, shots=3)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("6")
        await settle(pilot, lambda: len(rows(app)) == 3)
        screen = app.screen
        assert isinstance(screen, JobsScreen)
        assert [r.job["id"] for r in rows(app)] == [third, second, first]  # newest first
        assert screen.selected == third and all(r.active for r in rows(app))
        await pilot.press("j", "j", "j")
        assert screen.selected == first
        await pilot.press("k")
        assert screen.selected == second
        await pilot.click(f"#job-{third}")
        assert screen.selected == third and rows(app)[0].has_class("-selected")
        assert not rows(app)[1].has_class("-selected")
        detail = screen.query_one("#job-detail", Static)
        assert not detail.display or not detail.has_class("-open")
        await pilot.press("enter")
        assert detail.has_class("-open") and third in str(detail.render())
        await pilot.press("j")
        assert second in str(detail.render())  # it follows the selection
        await pilot.press("escape")
        assert not detail.has_class("-open")


async def test_every_project_s_jobs_when_none_is_open(world: World) -> None:
    keeper = make_film(world.milimo, "The Keeper", scenes=1, shots=1)
    ferry = make_film(world.milimo, "Ferry", scenes=1, shots=2)
    queued_jobs(world, keeper, shots=1)
    queued_jobs(world, ferry, shots=2)
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("6")
        await settle(pilot, lambda: len(rows(app)) == 3)
        names = {"Ferry", "The Keepe"}  # cut to fit the column
        await settle(pilot, lambda: all(r.where.split("/")[0] in names for r in rows(app)))
        assert [r.where.split("/")[0] for r in rows(app)] == ["Ferry", "Ferry", "The Keepe"]


def jobs_screen(world: World, pid: str) -> Any:
    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("6")
        await settle(pilot, lambda: len(rows(app)) == 4)
        await pilot.press("j")
        await pilot.pause()

    return run_before


def test_jobs_snapshot(world: World, deterministic: None, snap_compare: Any) -> None:
    pid = make_film(world.milimo)
    last_shot = world.milimo.queries.project(pid)["shots"][-1]["id"]
    (done,) = engine(world.milimo, spawn_worker=False).generate(pid, [last_shot])
    assert runner(world.milimo).run(done) == "completed"  # in this process, to the end
    first, *_ = queued_jobs(world, pid, shots=3)
    engine(world.milimo, spawn_worker=False).cancel(first)
    app = world.app(pid)
    assert snap_compare(app, terminal_size=(120, 36), run_before=jobs_screen(world, pid))


def test_the_detail_names_the_worker_as_host_pid_and_device() -> None:
    job = {"id": "a" * 32, "kind": "video", "status": "running", "attempts": 1}
    worker = {"host": "gpu-box", "pid": 7224, "device": "cuda:0"}
    assert "worker gpu-box:7224 (cuda:0)" in job_detail({**job, "worker": worker}, "shot 1.1")
    assert "worker -" in job_detail(job, "shot 1.1")
