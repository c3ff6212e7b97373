"""The Storyboard as a storyboard: `t` shows each scene's shots as cards with their pictures; the
cursor moves by card and by row; the selection is the list's, the side panel's and the
Inspector's; a 500-shot film stays a grid that draws only what shows."""

from typing import Any

from PIL import Image
from textual.widgets import Static

from milimo import wiring
from tests.tui.conftest import World, make_film, settle
from tests.tui.test_storyboard import details, open_storyboard
from tui.app import MilimoApp
from tui.widgets.shot_grid import CARD_W, GAP, MARGIN, ShotGrid
from tui.widgets.shot_list import ShotList

ACTOR = "mara@lighthouse"


def grid_of(app: MilimoApp) -> ShotGrid:
    return app.screen.query_one(ShotGrid)


def shown(grid: ShotGrid) -> str:
    """The grid's visible lines as text."""
    return "\n".join(grid.render_line(y).text for y in range(grid.size.height))


def label_of(app: MilimoApp) -> str:
    grid = grid_of(app)
    assert grid.current is not None
    return grid.current.label or grid.current.data["name"]


async def open_grid(app: MilimoApp, pilot: Any, rows: int) -> ShotGrid:
    await open_storyboard(app, pilot, rows)
    await pilot.press("t")
    grid = grid_of(app)
    await settle(pilot, lambda: grid.display and grid.size.width > 0 and app.focused is grid)
    return grid


async def test_t_shows_the_shots_as_cards_under_their_scenes_and_the_choice_is_kept(
    world: World,
) -> None:
    pid = make_film(world.milimo, scenes=2, shots=3)
    app = world.app(pid)
    async with app.run_test(size=(160, 45)) as pilot:
        grid = await open_grid(app, pilot, rows=8)
        assert not app.screen.query_one(ShotList).display
        assert [r.id for r in grid.rows] == [r.id for r in app.screen.query_one(ShotList).rows]
        text = shown(grid)
        for label in ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3"):
            assert f"{label} medium" in text
        assert "Scene 1" in text and "Scene 2" in text
        assert "not generated yet" in text and "● pending" in text
        assert 'Mara: "Who\'s there?"' in text and "Mara climbs the sta…" in text
        # Three cards side by side: one line holds the three labels of scene 1.
        assert any(all(f"1.{n} " in line for n in (1, 2, 3)) for line in text.splitlines())

        await pilot.press("3", "2")  # away and back: still the grid
        await settle(pilot, lambda: app.current_mode == "storyboard")
        assert grid_of(app).display and app.focused is grid_of(app)
        await pilot.press("t")
        assert app.screen.query_one(ShotList).display and not grid_of(app).display
        assert isinstance(app.focused, ShotList)


async def test_a_generated_take_shows_its_picture_in_its_card(world: World) -> None:
    pid = world.milimo.studio.create_project("Pier", width=384, height=256)
    scene = world.milimo.studio.add_scene(pid, "Pier")
    shot = world.milimo.studio.add_shot(pid, scene, action="Mara walks the pier", num_frames=17)
    world.milimo.studio.add_shot(pid, scene, action="Gulls over the water", num_frames=17)
    (job,) = wiring.engine(world.milimo, spawn_worker=False).generate(pid, [shot])
    assert wiring.runner(world.milimo).run(job) == "completed"
    app = world.app(pid)
    async with app.run_test(size=(160, 45)) as pilot:
        grid = await open_grid(app, pilot, rows=3)
        await settle(pilot, lambda: isinstance(grid.shown_picture(shot), list))
        lines = grid.shown_picture(shot)
        assert isinstance(lines, list) and len(lines) == 6
        blocks = [s for line in lines for s in line if s.text == "▄"]
        assert len(blocks) >= 6 * 16  # the picture fills the card's width but for a letterbox
        assert all(s.style is not None and s.style.color is not None for s in blocks)
        first_card = shown(grid).splitlines()[1:7]  # under the scene's heading
        assert all("▄" in line[: MARGIN + CARD_W] for line in first_card)
        assert "not generated yet" in shown(grid)  # the other shot's card


async def test_keys_move_by_card_and_row_and_the_selection_is_the_lists_and_inspectors(
    world: World,
) -> None:
    pid = make_film(world.milimo, scenes=2, shots=6)
    app = world.app(pid)
    async with app.run_test(size=(160, 45)) as pilot:
        grid = await open_grid(app, pilot, rows=14)
        assert grid.columns == 4  # scene 1: 1.1–1.4, then 1.5 1.6; the same for scene 2
        assert label_of(app) == "1.1"
        moves = [
            ("l", "1.2"),
            ("right", "1.3"),
            ("j", "1.6"),  # the row below has two cards: the nearest column
            ("j", "Scene 2"),  # a scene heading holds the cursor, as in the list
            ("down", "2.3"),  # back in the column the cursor was moved to across
            ("h", "2.2"),
            ("k", "Scene 2"),
            ("up", "1.6"),
            ("left", "1.5"),
            ("h", "1.4"),  # across runs on through the rows, in the film's order
            ("k", "Scene 1"),
            ("j", "1.4"),
        ]
        for key, label in moves:
            await pilot.press(key)
            assert label_of(app) == label, key

        await pilot.press("l", "l")  # 1.6
        assert grid.current is not None and app.selected_shot == grid.current.id
        assert "Shot 1.6" in details(app)
        await pilot.press("t")  # the list: the same shot
        shots = app.screen.query_one(ShotList)
        assert shots.current is not None and shots.current.label == "1.6"
        await pilot.press("j", "j", "t")  # and back: where the list left it
        assert label_of(app) == "2.1" and "Shot 2.1" in details(app)

        # A click selects a card; a double click inspects it.
        labels = next(y for y, line in enumerate(shown(grid).splitlines()) if "2.1 " in line)
        x, y = MARGIN + 2 * (CARD_W + GAP) + 3, labels - 3  # on the third card's picture
        await pilot.click(ShotGrid, offset=(x, y))
        assert label_of(app) == "2.3"
        await pilot.click(ShotGrid, offset=(x - (CARD_W + GAP), y), times=2)
        await settle(pilot, lambda: app.current_mode == "inspector")
        assert app.selected_shot == grid.rows[9].id  # 2.2
        await pilot.press("2")
        await settle(pilot, lambda: app.current_mode == "storyboard")
        await pilot.press("right", "enter")
        await settle(pilot, lambda: app.current_mode == "inspector")
        assert app.selected_shot == grid.rows[10].id  # 2.3


async def test_g_generates_the_selected_card_and_its_picture_appears(world: World) -> None:
    pid = world.milimo.studio.create_project("Pier", width=384, height=256)
    scene = world.milimo.studio.add_scene(pid, "Pier")
    world.milimo.studio.add_shot(pid, scene, action="Mara walks the pier", num_frames=17)
    second = world.milimo.studio.add_shot(pid, scene, action="Gulls", num_frames=17)
    app = world.app(pid)
    async with app.run_test(size=(160, 45)) as pilot:
        grid = await open_grid(app, pilot, rows=3)
        await pilot.press("l", "g")
        await settle(pilot, lambda: len(app.jobs) == 1)
        assert app.jobs[0]["shot_id"] == second
        await settle(pilot, lambda: isinstance(grid.shown_picture(second), list), timeout=90)
        assert "● completed" in shown(grid) and "● pending" in shown(grid)


def five_hundred_shots(world: World) -> tuple[str, list[str]]:
    """10 scenes × 50 shots, each with its own concept art (a small picture), saved at once."""
    studio = world.milimo.studio
    pid = studio.create_project("Long Film")
    project = studio.project(pid)
    stills = world.tmp / "stills"
    stills.mkdir()
    for s in range(10):
        scene = project.add_scene(ACTOR, f"Scene {s + 1}")
        for n in range(50):
            shot = project.add_shot(ACTOR, scene, action=f"beat {n + 1}", num_frames=49)
            path = stills / f"{s}-{n}.png"
            Image.new("RGB", (32, 18), (5 * n, 20 * s, 90)).save(path)
            project.add_concept_art(ACTOR, shot, f"job{s}-{n}", str(path))
    studio.save(project)
    view = world.milimo.queries.project(pid)
    return pid, [shot["id"] for shot in view["shots"]]


async def test_five_hundred_shots_open_as_a_grid_and_the_cursor_reaches_the_end(
    world: World,
) -> None:
    pid, shots = five_hundred_shots(world)
    app = world.app(pid)
    async with app.run_test(size=(160, 45)) as pilot:
        grid = await open_grid(app, pilot, rows=510)
        visible = grid.columns * (grid.size.height // 10 + 2)  # cards that can show at once
        await settle(pilot, lambda: grid.shown_picture(shots[0]) and not grid.decoding)
        assert grid.pictures_kept <= visible  # only what shows is decoded

        await pilot.press("end")
        assert label_of(app) == "10.50" and app.selected_shot == shots[-1]
        await pilot.press("k", "h", "j", "l")
        assert label_of(app) == "10.50"
        await settle(pilot, lambda: grid.shown_picture(shots[-1]) and not grid.decoding)
        assert isinstance(grid.shown_picture(shots[-1]), list)
        assert grid.pictures_kept <= 2 * visible  # the first screen's and the last's
        for y in range(grid.size.height):
            assert grid.render_line(y).cell_length == grid.scrollable_content_region.width
        assert "10.50 " in shown(grid)
        hint = str(app.screen.query_one("#storyboard-hint", Static).render())
        assert "500 shot(s)" in hint

        await pilot.press("home")
        assert label_of(app) == "Scene 1" and grid.scroll_offset.y == 0
        await pilot.press("j", "h")  # 1.2 (the column of 10.50), then 1.1
        assert label_of(app) == "1.1"
        for _ in range(60):  # a page of cards at a time, to the last row
            before = grid.cursor
            await pilot.press("pagedown")
            if grid.cursor == before:
                break
        assert label_of(app) == "10.49"  # the last row, in the first column
