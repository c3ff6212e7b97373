"""The film out of the editor: R renders the timeline (a job, after a question), E exports the
cut as the CLI's `milimo export` does."""

import json

import opentimelineio as otio
from textual.widgets import Input

from milimo.wiring import engine, runner
from tests.tui.conftest import World, make_film, settle
from tests.tui.test_timeline import messages, open_timeline
from tui.screens.dialogs import ConfirmScreen, FormScreen
from tui.screens.timeline import TimelineScreen


def generated(world: World, pid: str) -> None:
    """A take for every shot, made in this process."""
    view = world.milimo.queries.project(pid)
    jobs = engine(world.milimo, spawn_worker=False).generate(pid, [s["id"] for s in view["shots"]])
    assert all(runner(world.milimo).run(job) == "completed" for job in jobs)


async def test_r_asks_then_requests_a_render_of_the_timeline(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=2)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_timeline(app, pilot)
        await pilot.press("R")  # no takes yet: said, nothing asked
        await settle(pilot, lambda: any("have no take yet: 1.1, 1.2" in m for m in messages(app)))
        assert isinstance(app.screen, TimelineScreen)
        generated(world, pid)
        await settle(
            pilot, lambda: app.view is not None and all(s["takes"] for s in app.view["shots"])
        )
        renders = len(world.milimo.queries.jobs(pid))
        await pilot.press("R")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = app.screen.question  # type: ignore[attr-defined]
        assert "Render the film (106 frames, 00:00:04:06) to one MP4?" in question
        await pilot.press("n")
        await settle(pilot, lambda: isinstance(app.screen, TimelineScreen))
        assert len(world.milimo.queries.jobs(pid)) == renders
        await pilot.press("R")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await settle(pilot, lambda: any("render job" in m for m in messages(app)))
    (job,) = [j for j in world.milimo.queries.jobs(pid) if j["kind"] == "render"]
    assert job["request"]["total_frames"] == 106


async def test_e_exports_the_cut_and_a_bad_file_opens_the_form_again(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=2)
    target = world.tmp / "cut.otio"
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_timeline(app, pilot)
        await pilot.press("E")
        await settle(pilot, lambda: isinstance(app.screen, FormScreen))
        path_field = app.screen.query_one("#field-path", Input)
        path_field.value = str(world.tmp / "no-such-dir" / "cut.otio")
        await pilot.press("enter")  # format: otio, as offered
        await pilot.press("enter")
        await settle(pilot, lambda: any("does not exist" in m for m in messages(app)))
        await settle(pilot, lambda: isinstance(app.screen, FormScreen))  # again, as typed
        path_field = app.screen.query_one("#field-path", Input)
        assert path_field.value.endswith("no-such-dir/cut.otio")
        path_field.value = str(target)
        await pilot.press("enter", "enter")
        await settle(pilot, lambda: any("exported 2 clip(s)" in m for m in messages(app)))
    timeline = otio.adapters.read_from_file(str(target))
    assert len(list(timeline.find_clips())) == 2
    assert json.loads(target.read_text())["OTIO_SCHEMA"].startswith("Timeline")


async def test_a_bad_format_opens_the_form_again_and_the_extension_follows_the_format(
    world: World,
) -> None:
    pid = make_film(world.milimo, scenes=1, shots=2)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_timeline(app, pilot)
        await pilot.press("E")
        await settle(pilot, lambda: isinstance(app.screen, FormScreen))
        app.screen.query_one("#field-format", Input).value = "bogus"
        app.screen.query_one("#field-path", Input).value = str(world.tmp / "cut.otio")
        await pilot.press("enter", "enter")
        await settle(pilot, lambda: any("got 'bogus'" in m for m in messages(app)))
        await settle(pilot, lambda: isinstance(app.screen, FormScreen))
        assert app.screen.query_one("#field-format", Input).value == "bogus"  # as typed
        app.screen.query_one("#field-format", Input).value = "fcpxml"
        await pilot.press("enter", "enter")
        await settle(pilot, lambda: any("exported" in m for m in messages(app)))
    assert (world.tmp / "cut.fcpxml").is_file() and not (world.tmp / "cut.otio").exists()
