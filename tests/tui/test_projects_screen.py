"""Projects: create, open, branch, delete (archive) — driven by keys."""

from textual.widgets import DataTable, Input

from milimo.wiring import engine, runner
from tests.tui.conftest import World, make_film, settle
from tui.widgets.key_bar import KeyBar


async def test_create_a_project_opens_it(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n")
        await settle(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"Lighthouse", "enter")
        await settle(pilot, lambda: app.view is not None)
        assert app.view is not None and app.view["name"] == "Lighthouse"
        assert app.current_mode == "storyboard"
    assert [p["name"] for p in world.milimo.queries.projects()] == ["Lighthouse"]


async def test_open_branch_and_archive(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.screen.query_one(DataTable)
        await settle(pilot, lambda: table.row_count == 1)
        await pilot.press("b")
        await settle(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press("enter", "enter")
        await settle(pilot, lambda: table.row_count == 2)
        await pilot.press("k", "k", "d")
        await pilot.press("y")
        await settle(pilot, lambda: table.row_count == 1)
        await pilot.press("enter")
        await settle(pilot, lambda: app.view is not None)
        assert app.current_mode == "timeline"
    projects = world.milimo.queries.projects(include_archived=True)
    archived = {p["name"]: p["archived"] for p in projects}
    assert archived == {"The Keeper": True, "The Keeper (branch)": False}
    assert pid in {p["id"] for p in projects}


async def test_undo_with_no_project_says_so(world: World) -> None:
    app = world.app()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert any("no project to undo" in n.message for n in app._notifications)


async def test_undo_in_projects_acts_on_the_highlighted_project(world: World) -> None:
    first = make_film(world.milimo, "First")
    second = make_film(world.milimo, "Second")
    studio = world.milimo.studio
    studio.change_settings(first, seed=7)
    studio.change_settings(second, seed=8)
    app = world.app(first)  # First is open; Second is highlighted below
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("1")
        table = app.screen.query_one(DataTable)
        await settle(pilot, lambda: table.row_count == 2)
        await pilot.press("j", "u")
        await settle(pilot, lambda: world.milimo.studio.project(second).state.settings.seed == 42)
    assert world.milimo.studio.project(first).state.settings.seed == 7


async def test_archiving_the_open_project_announces_no_other_project_s_jobs(world: World) -> None:
    other = make_film(world.milimo, "Other", scenes=1, shots=1)
    view = world.milimo.queries.project(other)
    (job,) = engine(world.milimo, spawn_worker=False).generate(other, [view["shots"][0]["id"]])
    assert runner(world.milimo).run(job) == "completed"
    pid = make_film(world.milimo, "Open")
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("1")
        table = app.screen.query_one(DataTable)
        await settle(pilot, lambda: table.row_count == 2)
        while app.screen.current()["id"] != pid:  # type: ignore[attr-defined]
            await pilot.press("j")
        await pilot.press("d", "y")
        await settle(pilot, lambda: table.row_count == 1 and app.project_id is None)
        await settle(pilot, lambda: bool(app.jobs))  # every project's jobs, read after the close
        await pilot.pause(0.3)
        assert not any("completed" in n.message for n in app._notifications), [
            n.message for n in app._notifications
        ]


async def test_the_key_bar_names_undo_and_redo_once(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(160, 36)) as pilot:
        await settle(pilot, lambda: app.ready)
        bar = str(app.screen.query_one(KeyBar).build())
        assert bar.count("Undo") == 1 and bar.count("Redo") == 1, bar
        assert "Undo (this project)" in bar and "Quit" in bar
