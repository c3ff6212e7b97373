"""Element looks in the editor: v visualizes, L edits the look from a prompt, l lists the looks
with thumbnails, enter chooses one and the shots it makes stale are shown."""

import functools
from typing import Any

from textual.widgets import DataTable, Input, ListView, Static

from domain.project.shot import Take
from milimo.wiring import engine, runner
from tests.tui.conftest import World, make_film, settle
from tui.app import MilimoApp
from tui.screens.looks import LookRow, LooksScreen
from tui.widgets.thumbnail import Thumbnail


def notified(app: MilimoApp, text: str) -> bool:
    return any(text in n.message for n in app._notifications)


def mara(world: World, pid: str) -> dict[str, Any]:
    (element,) = world.milimo.queries.project(pid)["elements"]
    return element  # type: ignore[no-any-return]


def run_new_jobs(world: World, pid: str, done: set[str]) -> list[str]:
    """Run the jobs the editor requested, in this process (no background worker here)."""
    new = [j["id"] for j in world.milimo.queries.jobs(pid) if j["id"] not in done]
    for job in new:
        assert runner(world.milimo).run(job) == "completed"
    done.update(new)
    return new


async def test_visualize_edit_and_choose_a_look_then_see_the_stale_shot(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    world.services.engine = functools.cache(lambda: engine(world.milimo, spawn_worker=False))
    ran: set[str] = set()
    app = world.app(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("5")
        await settle(pilot, lambda: app.screen.query_one(DataTable).row_count == 1)

        await pilot.press("L")  # no image yet: said, and no form
        await settle(pilot, lambda: notified(app, "no image to edit yet"))
        assert not isinstance(app.screen.focused, Input)

        await pilot.press("v")
        await settle(pilot, lambda: notified(app, "a look of 'Mara' requested"))
        (first,) = run_new_jobs(world, pid, ran)
        await settle(pilot, lambda: mara(world, pid)["look"] == first)
        await settle(pilot, lambda: "1 look(s), using" in details(app))

        # A take of the shot made with this look (version 2).
        shot = world.milimo.queries.project(pid)["shots"][0]["id"]
        take = Take(
            id="t" * 32, job_id="t" * 32, path="/m/t.mp4", sha256="c" * 64, num_frames=49,
            width=64, height=64, element_versions={mara(world, pid)["id"]: 2},
        )  # fmt: skip
        world.milimo.studio.edit(pid, lambda p: p.add_take("ana", shot, take.model_dump()))

        await pilot.press("L")
        await settle(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"twenty years older", "enter")
        await settle(pilot, lambda: notified(app, "a new look of 'Mara' requested"))
        (second,) = run_new_jobs(world, pid, ran)
        request = world.milimo.studio.job(second).request
        assert request["original_prompt"] == "twenty years older"
        assert request["reference_images"] == [mara(world, pid)["image"]]
        await settle(pilot, lambda: "2 look(s)" in details(app))

        await pilot.press("l")
        await settle(pilot, lambda: isinstance(app.screen, LooksScreen))
        rows = list(app.screen.query(LookRow))
        assert [(r.look["id"], r.chosen) for r in rows] == [(first, True), (second, False)]
        thumbs = [r.query_one(Thumbnail) for r in rows]
        await settle(pilot, lambda: all(t.pixels is not None for t in thumbs))
        assert app.screen.query_one(ListView).index == 0, "the chosen look is highlighted"

        await pilot.press("j", "enter")
        await settle(pilot, lambda: mara(world, pid)["look"] == second)
        await settle(pilot, lambda: "1 stale shot(s)" in stale(app))
        assert f"{shot[:8]} 'Scene 1' shot 1: v2 → v3" in stale(app)
        assert [r.chosen for r in app.screen.query(LookRow)] == [False, True]
        await settle(pilot, lambda: notified(app, "'Mara' uses look"))

        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, LooksScreen))
        await pilot.press("u")  # undo brings the first look back
        await settle(pilot, lambda: mara(world, pid)["look"] == first)


def details(app: MilimoApp) -> str:
    return str(app.screen.query_one("#element-details", Static).render())


def stale(app: MilimoApp) -> str:
    return str(app.screen.query_one("#looks-stale", Static).render())


async def test_the_looks_of_an_element_without_any_say_how_to_make_one(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("5")
        await settle(pilot, lambda: app.screen.query_one(DataTable).row_count == 1)
        await pilot.press("l")
        await settle(pilot, lambda: isinstance(app.screen, LooksScreen))
        assert list(app.screen.query(LookRow)) == []
        assert "v makes one from the description" in stale(app)
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, LooksScreen))
