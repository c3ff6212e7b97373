"""The editor's side of variants and batches: a group of takes (or, without one, all the shot's
takes) compared side by side and one chosen as the active take; a batch's counts in Jobs,
cancelled as a whole after asking."""

from typing import Any

from textual.widgets import Static

from milimo.wiring import engine, runner
from tests.tui.conftest import World, make_film, settle
from tests.tui.test_inspector import with_takes
from tui.app import MilimoApp
from tui.screens.inspector import InspectorScreen
from tui.screens.jobs import JobsScreen
from tui.screens.player import PlayerScreen
from tui.screens.variants import VariantCard, VariantsScreen


def notified(app: MilimoApp, text: str) -> bool:
    return any(text in n.message for n in app._notifications)


def small_shot(world: World, pid: str, index: int = 0) -> str:
    shot = world.milimo.queries.project(pid)["shots"][index]["id"]
    world.milimo.studio.change_shot(pid, shot, num_frames=9, width=320, height=256, seed=40)
    return str(shot)


def cards(app: MilimoApp) -> list[VariantCard]:
    return list(app.screen.query(VariantCard))


def caption_of(card: VariantCard) -> str:
    return str(card.query_one(".caption", Static).render())


async def test_the_variants_of_a_shot_side_by_side_one_chosen_as_the_take(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    shot = small_shot(world, pid)
    jobs = engine(world.milimo, spawn_worker=False).generate(pid, [shot], variants=3)
    for job in jobs:
        assert runner(world.milimo).run(job) == "completed"
    app = world.app(pid)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("4")
        await settle(pilot, lambda: isinstance(app.screen, InspectorScreen) and app.screen.shot_id)
        await pilot.press("v")
        await settle(pilot, lambda: isinstance(app.screen, VariantsScreen) and len(cards(app)) == 3)
        await settle(pilot, lambda: "seed 42" in caption_of(cards(app)[2]))
        assert [c.take["job_id"] for c in cards(app)] == jobs
        assert "variant 0 · seed 40" in caption_of(cards(app)[0])
        assert "● active" in caption_of(cards(app)[2]), "the newest take was made active"
        assert cards(app)[0].has_class("-selected")

        await pilot.press("l")
        assert cards(app)[1].has_class("-selected")
        await pilot.press("p")
        await settle(pilot, lambda: isinstance(app.screen, PlayerScreen))
        assert "variant 1 · seed 41" in str(getattr(app.screen, "title_text", ""))
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, VariantsScreen))

        await pilot.press("enter")

        await settle(pilot, lambda: "● active" in caption_of(cards(app)[1]))
        assert notified(app, "variant 1 (seed 41) is now the active take")
        assert "● active" not in caption_of(cards(app)[2])
        await pilot.press("enter")
        await pilot.pause()
        assert notified(app, "variant 1 is already the active take")
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, InspectorScreen))
    view = world.milimo.queries.project(pid)
    assert view["shots"][0]["active_take"] == jobs[1]


async def test_a_shot_without_variants_compares_all_its_takes_newest_first(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    shot = small_shot(world, pid)
    older, newer = with_takes(world, pid, shot, 2)
    world.milimo.studio.change_shot(pid, shot, seed=7, num_inference_steps=12, cfg_scale=4.5)
    (third,) = with_takes(world, pid, shot, 1)
    app = world.app(pid)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("4")
        await settle(pilot, lambda: isinstance(app.screen, InspectorScreen) and app.screen.shot_id)
        await pilot.press("v")
        await settle(pilot, lambda: isinstance(app.screen, VariantsScreen) and len(cards(app)) == 3)
        await settle(pilot, lambda: "active" in caption_of(cards(app)[0]))
        assert [c.take["job_id"] for c in cards(app)] == [third, newer, older]
        assert "take(s), newest first" in str(
            app.screen.query_one("#variants-title", Static).render()
        )
        assert caption_of(cards(app)[0]).startswith(
            f"● active · take {third[:8]} · seed 7 · 12 steps · cfg 4.5 · 320x256 · 9 frames"
        )
        assert f"take {older[:8]} · seed 40 · 40 steps · cfg 3 · 320x256" in caption_of(
            cards(app)[2]
        )

        await pilot.press("l", "l", "enter")
        await settle(pilot, lambda: "● active" in caption_of(cards(app)[2]))
        assert notified(app, f"take {older[:8]} (seed 40) is now the active take")
        await pilot.click(cards(app)[1])  # a click selects
        await pilot.pause()
        assert cards(app)[1].has_class("-selected") and "● active" in caption_of(cards(app)[2])
    assert world.milimo.queries.project(pid)["shots"][0]["active_take"] == older


async def test_a_shot_without_variants_says_how_to_make_them(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("4")
        await settle(pilot, lambda: isinstance(app.screen, InspectorScreen) and app.screen.shot_id)
        await pilot.press("v")
        await settle(pilot, lambda: isinstance(app.screen, VariantsScreen))
        empty = str(app.screen.query_one("#variants-empty", Static).render())
        assert "no takes yet" in empty and "--variants N" in empty and cards(app) == []


def batch_text(app: MilimoApp) -> str:
    return str(app.screen.query_one("#jobs-batches", Static).render())


async def test_a_batch_shows_its_counts_and_is_cancelled_as_a_whole(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=3)
    shots = [small_shot(world, pid, n) for n in range(3)]
    generation = engine(world.milimo, spawn_worker=False).request_generation(
        pid, [], all_shots=True, priority="rush"
    )
    first = generation.job_ids[0]
    assert runner(world.milimo).run(first) == "completed"
    batch_id: Any = generation.batch_id
    app = world.app(pid)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("6")
        await settle(pilot, lambda: isinstance(app.screen, JobsScreen) and len(app.jobs) == 3)
        await settle(pilot, lambda: f"batch {batch_id[:8]}" in batch_text(app))
        assert "3 jobs: 1 done · 0 failed · 0 cancelled · 0 running · 2 waiting · rush" in (
            batch_text(app)
        )

        await pilot.press("b")
        await settle(pilot, lambda: not isinstance(app.screen, JobsScreen))
        await pilot.press("n")  # no: nothing happens
        await pilot.pause(0.3)
        assert world.milimo.queries.job(generation.job_ids[1])["status"] == "queued"
        await pilot.press("b", "y")

        await settle(pilot, lambda: notified(app, "2 job(s) cancelled before they started"))
        await settle(pilot, lambda: "2 cancelled" in batch_text(app))
        assert "cancelled" in batch_text(app).split(f"batch {batch_id[:8]}")[1][:12]
        await pilot.press("b", "y")
        await settle(pilot, lambda: notified(app, "every job had already finished"))
    statuses = [world.milimo.queries.job(j)["status"] for j in generation.job_ids]
    assert statuses == ["completed", "cancelled", "cancelled"]
    assert len(shots) == 3
