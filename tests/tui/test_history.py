"""History: every event of the project, paged from the store; preview a past version, restore
to it, branch from it; edits from elsewhere appear live; 5,000 events page instantly."""

import io
import threading
import time
from typing import Any

from rich.console import Console
from textual.widgets import Input

from infrastructure.bootstrap import bootstrap
from infrastructure.settings import Settings
from tests.tui.conftest import World, make_film, settle
from tui.app import MilimoApp
from tui.screens.history import HistoryScreen
from tui.screens.version_preview import VersionPreviewScreen, describe
from tui.widgets.history_view import PAGE, HistoryView

ACTOR = "mara@lighthouse"


def events_of(app: MilimoApp) -> HistoryView:
    return app.screen.query_one(HistoryView)


def shown(app: MilimoApp) -> list[str]:
    """The lines the history draws now, top to bottom, without the blank ones after them."""
    view = events_of(app)
    lines = [view.render_line(y).text.rstrip() for y in range(view.size.height)]
    return [text for text in lines if text]


def cursor_line(app: MilimoApp) -> str:
    view = events_of(app)
    return view.render_line(view.cursor - view.scroll_offset.y).text


async def open_history(app: MilimoApp, pilot: Any, pid: str) -> HistoryView:
    await settle(pilot, lambda: app.ready)  # connected to the store
    app.open_project(pid, "history")
    await settle(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.view is not None)
    view = events_of(app)
    await settle(pilot, lambda: view.total > 0 and view.row(view.total - 1) is not None)
    return view


def preview_text(screen: VersionPreviewScreen) -> str:
    assert screen.past is not None
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(describe(screen.past))
    return console.export_text()


def film_with_an_edit(world: World) -> tuple[str, str]:
    """The Keeper (5 events), then its first shot's action rewritten (v6)."""
    pid = make_film(world.milimo, scenes=1, shots=2)
    shot = world.milimo.queries.project(pid)["shots"][0]["id"]
    world.milimo.studio.change_shot(pid, shot, action="Mara lights the lamp")
    return pid, shot


async def test_history_shows_every_event_newest_at_the_bottom(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=2)
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_history(app, pilot, pid)
        assert (view.total, view.version) == (5, 5)
        lines = shown(app)
        assert [text.split()[0] for text in lines] == ["v1", "v2", "v3", "v4", "v5"]
        assert "ProjectCreated" in lines[0] and "created project 'The Keeper'" in lines[0]
        assert "ShotCreated" in lines[-1]
        assert "created shot 1.2 on V1" in lines[-1], "a shot is named as on every screen"
        assert "created shot 1.1 on V1" in lines[-2]
        assert cursor_line(app).startswith("v5 ")
        await pilot.press("k", "k")
        assert cursor_line(app).startswith("v3 ") and "SceneAdded" in cursor_line(app)
        await pilot.press("g")
        assert view.version == 1
        await pilot.press("G")
        assert view.version == 5


async def test_enter_previews_the_project_as_it_was(world: World) -> None:
    pid, _ = film_with_an_edit(world)
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_history(app, pilot, pid)
        await pilot.press("k", "enter")  # v5: the second shot was just created
        await settle(pilot, lambda: isinstance(app.screen, VersionPreviewScreen))
        preview = app.screen
        assert isinstance(preview, VersionPreviewScreen)
        await settle(pilot, lambda: preview.past is not None)
        assert preview.version == 5
        text = preview_text(preview)
        assert "The Keeper at v5 of 6" in text and "ShotCreated" in text
        assert "Mara climbs the stairs, step 1" in text
        assert "Mara lights the lamp" not in text
        assert "+ shots" in text  # what the event changed
        await pilot.press("escape")
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("G", "enter")  # v6 shows the edit and what it changed
        await settle(pilot, lambda: getattr(app.screen, "past", None) is not None)
        assert isinstance(app.screen, VersionPreviewScreen)
        text = preview_text(app.screen)
        assert "Mara lights the lamp" in text and "action 'Mara climbs" in text
    assert world.milimo.queries.project(pid)["version"] == 6  # previews record nothing


async def test_restore_asks_first_then_brings_the_old_state_back(world: World) -> None:
    pid, _ = film_with_an_edit(world)
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_history(app, pilot, pid)
        await pilot.press("k", "r")
        await pilot.press("n")  # no: nothing happens
        await pilot.pause(0.3)
        assert world.milimo.queries.project(pid)["version"] == 6
        await pilot.press("r", "y")
        await settle(pilot, lambda: view.total == 7 and view.row(6) is not None)
        assert "ProjectRestored" in cursor_line(app) and view.version == 7
    project = world.milimo.queries.project(pid)
    assert project["shots"][0]["action"] == "Mara climbs the stairs, step 1"


async def test_restore_from_the_preview(world: World) -> None:
    pid, _ = film_with_an_edit(world)
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_history(app, pilot, pid)
        await pilot.press("k", "enter")
        await settle(pilot, lambda: getattr(app.screen, "past", None) is not None)
        await pilot.press("r", "y")
        await settle(pilot, lambda: isinstance(app.screen, HistoryScreen) and view.total == 7)
    assert world.milimo.queries.project(pid)["shots"][0]["action"].endswith("step 1")


async def test_branch_from_a_version_creates_a_project(world: World) -> None:
    pid, _ = film_with_an_edit(world)
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_history(app, pilot, pid)
        await pilot.press("k", "k", "b")
        await settle(pilot, lambda: isinstance(app.focused, Input))
        assert isinstance(app.focused, Input) and app.focused.value == "The Keeper (v4)"
        await pilot.press("enter")
        await settle(pilot, lambda: len(world.milimo.queries.projects()) == 2)
    branch = next(p for p in world.milimo.queries.projects() if p["id"] != pid)
    assert branch["name"] == "The Keeper (v4)"
    assert len(world.milimo.queries.project(branch["id"])["shots"]) == 1


async def test_undo_appears_at_the_bottom(world: World) -> None:
    pid, _ = film_with_an_edit(world)
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_history(app, pilot, pid)
        await pilot.press("u")
        await settle(pilot, lambda: view.total == 7 and view.row(6) is not None)
        assert "EditUndone" in cursor_line(app)


async def test_an_edit_from_elsewhere_appears_without_a_key(world: World) -> None:
    # The editor looks every 0.25 s, so this takes well under a second on a quiet machine; the
    # bound is loose because CI shares two cores (speed is for bench/, not unit tests).
    pid, shot = film_with_an_edit(world)
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_history(app, pilot, pid)
        other = bootstrap(Settings(data_dir=world.data_dir))  # as another process would
        try:
            started = time.monotonic()
            other.studio.trim_shot(pid, shot, 4, None)
            await settle(pilot, lambda: view.total == 7 and view.row(6) is not None, 5.0)
            assert time.monotonic() - started < 5.0
        finally:
            other.close()
        assert view.version == 7  # the cursor was on the newest: it follows
        assert "ShotTrimmed" in cursor_line(app)
        await pilot.press("k")
        other = bootstrap(Settings(data_dir=world.data_dir))
        try:
            other.studio.change_settings(pid, fps=24)
            await settle(pilot, lambda: view.total == 8, 5.0)
        finally:
            other.close()
        assert view.version == 6  # the cursor was not at the end: it stays


def append_events(world: World, pid: str, count: int) -> None:
    """`count` settings changes, saved 500 at a time (the studio's own edit path)."""
    studio = world.milimo.studio

    def burst(project: Any, n: int) -> None:
        for _ in range(n):
            fps = 25 if project.state.settings.fps == 24 else 24
            project.change_settings(studio.actor, fps=fps)

    while count > 0:
        n = min(500, count)
        studio.edit(pid, lambda p, n=n: burst(p, n))  # type: ignore[misc]
        count -= n


async def test_five_thousand_events_page_instantly(world: World) -> None:
    pid = world.milimo.studio.create_project("Long Haul")
    append_events(world, pid, 4999)
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_history(app, pilot, pid)
        assert view.total == 5000 and view.version == 5000
        assert shown(app)[-1].startswith("v5000 ")
        assert list(view._pages) == [4999 // PAGE]  # only the newest page was read
        busy = threading.Event()
        assert app.io is not None
        app.io.submit(lambda: busy.wait(5))  # the I/O thread is busy: the UI must not wait
        started = time.perf_counter()
        await pilot.press("g")
        # Not a timing test: the I/O thread is held for 5 s, and the key must not wait for it.
        assert view.version == 1 and time.perf_counter() - started < 2.5
        assert shown(app)[0].startswith("v1 ") and "…" in shown(app)[0]  # a placeholder
        busy.set()
        await settle(pilot, lambda: view.row(0) is not None)
        lines = shown(app)
        assert lines[0].startswith("v1 ") and "created project 'Long Haul'" in lines[0]
        assert lines[1].startswith("v2 ") and "settings: fps" in lines[1]
        # only what was drawn was read: the newest page and the first, never all 25
        assert len(view._pages) <= 3
        for _ in range(3):
            await pilot.press("pagedown")
        await settle(pilot, lambda: view.row(view.cursor) is not None)
        assert view.version == 1 + 3 * (view.size.height - 1)
        await pilot.press("G")
        assert view.version == 5000
        assert cursor_line(app).startswith("v5000 ")  # its page stayed in the cache
        assert len(view._pages) <= 3 and 4999 // PAGE in view._pages


# -- snapshots ---------------------------------------------------------------------------------


def snapshot_film(world: World) -> str:
    world.milimo.studio.actor = ACTOR
    pid = make_film(world.milimo, scenes=2, shots=3)
    shots = world.milimo.queries.project(pid)["shots"]
    world.milimo.studio.trim_shot(pid, shots[0]["id"], 4, 2)
    world.milimo.studio.change_shot(pid, shots[1]["id"], action="Mara lights the lamp")
    world.milimo.studio.undo(pid)
    return pid


def test_history_snapshot(world: World, deterministic: None, snap_compare: Any) -> None:
    pid = snapshot_film(world)
    app = world.app()

    async def loaded(pilot: Any) -> None:
        await open_history(app, pilot, pid)
        await pilot.press("k", "k")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 36), run_before=loaded)


def test_version_preview_snapshot(world: World, deterministic: None, snap_compare: Any) -> None:
    pid = snapshot_film(world)
    app = world.app()

    async def previewed(pilot: Any) -> None:
        await open_history(app, pilot, pid)
        await pilot.press("k", "k", "enter")
        await settle(pilot, lambda: getattr(app.screen, "past", None) is not None)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 36), run_before=previewed)
