"""Storyboard: scenes and shots with their pictures; add, inspect, generate; write or import the
script with a preview of the parse and the merge, committed as one undoable step."""

from pathlib import Path
from typing import Any

from PIL import Image
from rich.console import Console
from rich_pixels import Pixels
from textual.widgets import Input, Static, TextArea

from milimo import wiring
from tests.tui.conftest import World, make_film, settle
from tui.app import MilimoApp
from tui.screens.script_editor import ScriptEditorScreen
from tui.widgets.shot_list import ShotList
from tui.widgets.thumbnail import Thumbnail

SCRIPT = """INT. LIGHTHOUSE - NIGHT

Mara climbs the stairs, lamp in hand.

MARA
Who's there?

EXT. CLIFF - DAWN

Waves crash on the rocks below.
"""


def board(app: MilimoApp) -> ShotList:
    return app.screen.query_one(ShotList)


def details(app: MilimoApp) -> str:
    return str(app.screen.query_one("#shot-details", Static).render())


async def open_storyboard(app: MilimoApp, pilot: Any, rows: int) -> ShotList:
    await settle(pilot, lambda: app.view is not None)
    await pilot.press("2")
    await settle(pilot, lambda: len(board(app).rows) == rows)
    return board(app)


async def test_scenes_and_shots_are_listed_and_the_selected_one_is_described(
    world: World,
) -> None:
    pid = make_film(world.milimo, scenes=2, shots=3)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        shots = await open_storyboard(app, pilot, rows=8)
        assert [r.kind for r in shots.rows] == ["scene", *["shot"] * 3] * 2
        assert shots.current is not None and shots.current.number == 1
        assert app.selected_shot == shots.rows[1].id
        assert (
            "step 1" in details(app)
            and "not generated yet" in app.screen.query_one(Thumbnail).reason
        )
        await pilot.press("j")
        assert app.selected_shot == shots.rows[2].id
        assert "Who's there?" in details(app) and "@Mara" in details(app)
        await pilot.press("j", "j")  # onto the second scene's header
        assert shots.current is not None and shots.current.kind == "scene"
        assert "Scene 2" in details(app) and app.selected_shot == shots.rows[3].id
        await pilot.press("k", "enter")
        assert app.current_mode == "inspector" and app.selected_shot == shots.rows[3].id


async def test_add_a_shot_after_the_current_one_and_a_scene_after_the_current_scene(
    world: World,
) -> None:
    pid = make_film(world.milimo, scenes=2, shots=2)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        shots = await open_storyboard(app, pilot, rows=6)
        await pilot.press("a")
        await settle(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"The door creaks", "enter")
        await settle(pilot, lambda: len(shots.rows) == 7)
        assert [r.data.get("action") for r in shots.rows[1:4]] == [
            "Mara climbs the stairs, step 1",
            "The door creaks",
            "Mara climbs the stairs, step 2",
        ]
        assert shots.current is not None and shots.current.data["action"] == "The door creaks"
        await pilot.press("A")
        await settle(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"The storm", "tab", *"EXT. SEA - NIGHT", "enter")
        await settle(pilot, lambda: len(shots.rows) == 8)
        assert [r.data["name"] for r in shots.rows if r.kind == "scene"] == [
            "Scene 1",
            "The storm",
            "Scene 2",
        ]
        assert shots.current is not None and shots.current.data["name"] == "The storm"
        await pilot.press("a")  # on the new, empty scene: the shot goes there
        await settle(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"Lightning", "enter")
        await settle(pilot, lambda: len(shots.rows) == 9)
        assert shots.rows[5].data.get("action") == "Lightning"
    view = world.milimo.queries.project(pid)
    assert [s["name"] for s in view["scenes"]] == ["Scene 1", "The storm", "Scene 2"]


async def test_the_script_editor_previews_the_merge_then_imports_it_as_one_undoable_step(
    world: World,
) -> None:
    pid = world.milimo.studio.create_project("Keeper")
    script = world.tmp / "keeper.fountain"
    script.write_text(SCRIPT)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        shots = await open_storyboard(app, pilot, rows=0)
        await pilot.press("i")
        await settle(pilot, lambda: isinstance(app.screen, ScriptEditorScreen))
        editor = app.screen
        assert isinstance(app.focused, Input)
        await pilot.press(*str(script), "enter")
        preview = editor.query_one("#script-preview", Static)
        await settle(pilot, lambda: "Changes" in str(preview.render()))
        shown = str(preview.render())
        assert "read as screenplay: 2 scene(s), 3 shot(s)" in shown
        assert "added" in shown
        assert "would import (screenplay): 2 new scene(s), 3 new shot(s)" in shown
        assert editor.query_one(TextArea).text == SCRIPT
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not isinstance(app.screen, ScriptEditorScreen))
        await settle(pilot, lambda: len(shots.rows) == 5)
        assert any("imported (screenplay)" in n.message for n in app._notifications)
        version = app.view["version"] if app.view else 0

        # Editing it again starts from the text imported, shows what changes, imports the edit.
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, ScriptEditorScreen))
        editor = app.screen
        area = editor.query_one(TextArea)
        await settle(pilot, lambda: area.text == SCRIPT)
        area.load_text(SCRIPT + "\nThe lamp goes out.\n")
        await pilot.press("f5")
        preview = editor.query_one("#script-preview", Static)
        await settle(pilot, lambda: "Changes" in str(preview.render()))
        assert "0 new scene(s), 1 new shot(s), 0 updated, 3 kept" in str(preview.render())
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.view is not None and app.view["version"] == version + 1)
        await settle(pilot, lambda: len(shots.rows) == 6)

        await pilot.press("u")
        await settle(pilot, lambda: len(shots.rows) == 5)
        await pilot.press("u")
        await settle(pilot, lambda: len(shots.rows) == 0)
    assert world.milimo.queries.project(pid)["shots"] == []
    source = world.milimo.studio.history(pid)[-3]
    assert source["type"] == "ScriptImported" and "editor" in source["summary"]


async def test_a_bad_script_or_an_unreadable_path_is_a_notification(world: World) -> None:
    pid = world.milimo.studio.create_project("Keeper")
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_storyboard(app, pilot, rows=0)
        await pilot.press("i")
        await settle(pilot, lambda: isinstance(app.screen, ScriptEditorScreen))
        await pilot.press(*str(world.tmp / "nowhere.fountain"), "enter")
        await settle(pilot, lambda: any("no file" in n.message for n in app._notifications))
        await pilot.press("f5")  # an empty script
        await settle(pilot, lambda: len(app._notifications) == 2)
        assert isinstance(app.screen, ScriptEditorScreen)
        assert app.screen.query_one("#script-preview-box").has_class("error")
        await pilot.press("escape")
        assert not isinstance(app.screen, ScriptEditorScreen)
    assert world.milimo.queries.project(pid)["version"] == 1


async def test_a_generated_take_shows_its_thumbnail_and_plays(world: World) -> None:
    pid = world.milimo.studio.create_project("Pier", width=384, height=256)
    scene = world.milimo.studio.add_scene(pid, "Pier")
    shot = world.milimo.studio.add_shot(pid, scene, action="Mara walks the pier", num_frames=17)
    (job,) = wiring.engine(world.milimo, spawn_worker=False).generate(pid, [shot])
    assert wiring.runner(world.milimo).run(job) == "completed"
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_storyboard(app, pilot, rows=2)
        thumb = app.screen.query_one(Thumbnail)
        await settle(pilot, lambda: thumb.pixels is not None)
        take = world.milimo.queries.project(pid)["shots"][0]["takes"][0]
        assert thumb.path == take["thumbnail"]
        assert isinstance(thumb.pixels, Pixels)
        await pilot.press("p")
        await settle(pilot, lambda: getattr(app.screen, "ended", False), timeout=20)
        assert app.screen.frame == 16
        await pilot.press("q")
        await settle(pilot, lambda: board(app) is not None)


async def test_g_generates_the_selected_shot_and_its_thumbnail_appears(world: World) -> None:
    pid = world.milimo.studio.create_project("Pier", width=384, height=256)
    scene = world.milimo.studio.add_scene(pid, "Pier")
    world.milimo.studio.add_shot(pid, scene, action="Mara walks the pier", num_frames=17)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        shots = await open_storyboard(app, pilot, rows=2)
        await pilot.press("p")  # nothing to play yet
        assert any("no take yet" in n.message for n in app._notifications)
        await pilot.press("g")
        await settle(pilot, lambda: len(app.jobs) == 1)
        thumb = app.screen.query_one(Thumbnail)
        await settle(pilot, lambda: thumb.pixels is not None, timeout=90)
        assert shots.current is not None and shots.current.data["status"] == "completed"
        assert "● completed" in details(app)


def test_a_real_jpeg_renders_as_half_blocks_fitted_to_the_cells(tmp_path: Path) -> None:
    from tui.widgets.thumbnail import load_picture

    path = tmp_path / "red.jpg"
    Image.new("RGB", (320, 160), (200, 20, 20)).save(path, "JPEG")
    pixels = load_picture(str(path), 40, 40)
    rendered = Console(width=80, color_system="truecolor").render(pixels)
    segments = [s for s in rendered if s.text.strip("\n")]
    assert len(segments) == 40 * 10  # 40 × 20 pixels: 10 rows of half blocks
    assert all(s.text == "▄" for s in segments)
    assert segments[0].style is not None and "rgb(2" in str(segments[0].style)


def test_storyboard_snapshot(world: World, deterministic: None, snap_compare: Any) -> None:
    pid = make_film(world.milimo, scenes=2, shots=3)
    shot = world.milimo.queries.project(pid)["shots"][1]["id"]
    world.milimo.studio.change_shot(pid, shot, num_frames=17, width=384, height=256)
    (job,) = wiring.engine(world.milimo, spawn_worker=False).generate(pid, [shot])
    assert wiring.runner(world.milimo).run(job) == "completed"
    app = world.app(pid)

    async def run_before(pilot: Any) -> None:
        await open_storyboard(app, pilot, rows=8)
        await pilot.press("j")
        thumb = app.screen.query_one(Thumbnail)
        await settle(pilot, lambda: thumb.pixels is not None)

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_script_editor_preview_snapshot(
    world: World, deterministic: None, snap_compare: Any
) -> None:
    pid = make_film(world.milimo, scenes=1, shots=2)
    app = world.app(pid)

    async def run_before(pilot: Any) -> None:
        await open_storyboard(app, pilot, rows=3)
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, ScriptEditorScreen))
        area = app.screen.query_one(TextArea)
        area.cursor_blink = False
        area.load_text(SCRIPT)
        await pilot.press("f5")
        preview = app.screen.query_one("#script-preview", Static)
        await settle(pilot, lambda: "Changes" in str(preview.render()))

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
