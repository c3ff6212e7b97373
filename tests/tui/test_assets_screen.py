"""Assets: the gallery with a picture of the highlighted asset; a new image through the form and
the embedded worker; preview; delete after a yes."""

from pathlib import Path

from PIL import Image
from textual.widgets import DataTable, Input, Static

from application.assets import import_asset
from milimo.wiring import asset_store
from tests.tui.conftest import World, make_film, settle
from tui.app import MilimoApp
from tui.screens.assets import AssetsScreen, PicturePreviewScreen
from tui.widgets.thumbnail import Thumbnail


def table(app: MilimoApp) -> DataTable:
    return app.screen.query_one(DataTable)


def imported(world: World, pid: str, name: str, colour: tuple[int, int, int]) -> str:
    path = world.tmp / name
    Image.new("RGB", (160, 120), colour).save(path)
    return import_asset(world.milimo.studio, asset_store(world.milimo), pid, str(path)).asset.id


async def open_assets(app: MilimoApp, pilot: object, rows: int) -> DataTable:
    await settle(pilot, lambda: app.view is not None)
    await pilot.press("9")  # type: ignore[attr-defined]
    await settle(
        pilot, lambda: isinstance(app.screen, AssetsScreen) and table(app).row_count == rows
    )
    return table(app)


async def test_the_gallery_needs_a_project(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: app.ready)
        await pilot.press("9")
        await settle(pilot, lambda: any("open a project" in n.message for n in app._notifications))
        assert not isinstance(app.screen, AssetsScreen)


async def test_the_gallery_lists_assets_with_a_picture_and_previews_one(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    imported(world, pid, "door.png", (250, 200, 0))
    imported(world, pid, "quay.png", (20, 60, 200))
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        assets = await open_assets(app, pilot, rows=2)
        assert [assets.get_row_at(i)[:4] for i in range(2)] == [
            ["door.png", "image", "160×120", "import door.png"],
            ["quay.png", "image", "160×120", "import quay.png"],
        ]
        thumb = app.screen.query_one("#asset-thumb", Thumbnail)
        await settle(pilot, lambda: thumb.pixels is not None)
        await pilot.press("j")
        await settle(pilot, lambda: thumb.path is not None and thumb.path.endswith(".png"))
        side = str(app.screen.query_one("#asset-details", Static).render())
        assert "quay.png" in side and "image · 160×120 · import quay.png" in side

        await pilot.press("p")
        await settle(pilot, lambda: isinstance(app.screen, PicturePreviewScreen))
        picture = app.screen.query_one(Thumbnail)
        await settle(pilot, lambda: picture.pixels is not None)
        assert picture.path == thumb.path
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, AssetsScreen))


async def test_a_new_image_from_the_form_joins_the_gallery(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    imported(world, pid, "door.png", (250, 200, 0))
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        assets = await open_assets(app, pilot, rows=1)
        await pilot.press("n")
        await settle(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"the keeper at dusk", "enter", *"door.png", "enter")
        await pilot.press(*"1000", "enter", *"256", "enter", "enter", "enter")
        await settle(pilot, lambda: any("multiple of 16" in n.message for n in app._notifications))
        assert world.milimo.queries.jobs(pid) == []
        await settle(pilot, lambda: isinstance(app.focused, Input))  # the form, as typed
        assert app.focused.value == "the keeper at dusk"  # type: ignore[union-attr]
        await pilot.press("tab", "tab", "end", *["backspace"] * 4, *"256", "enter")
        await pilot.press("enter", "enter", "enter")
        await settle(pilot, lambda: assets.row_count == 2, timeout=60)
        (job,) = world.milimo.queries.jobs(pid)
        assert job["kind"] == "image" and job["request"]["reference_images"]
        assert assets.get_row_at(1)[:2] == [f"image {job['id'][:8]} the keeper at dusk", "image"]
        assert assets.get_row_at(1)[2] == "256×256"


async def test_delete_asks_first_then_removes_the_asset_and_its_unused_file(
    world: World,
) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    door = imported(world, pid, "door.png", (250, 200, 0))
    path = Path(world.milimo.studio.project(pid).state.assets[door].path)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        assets = await open_assets(app, pilot, rows=1)
        await pilot.press("d")
        await pilot.press("n")  # no: nothing happens
        await pilot.pause(0.2)
        assert assets.row_count == 1 and path.is_file()
        await pilot.press("d")
        await pilot.press("y")
        await settle(pilot, lambda: assets.row_count == 0)
        await settle(
            pilot, lambda: any("file was removed" in n.message for n in app._notifications)
        )
    assert not path.exists()
    assert world.milimo.studio.history(pid)[-1]["type"] == "AssetDeleted"
