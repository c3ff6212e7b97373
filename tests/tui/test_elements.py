"""Elements: add one with a reference image, edit only what changed, delete after a yes."""

from typing import Any

from PIL import Image
from textual.widgets import DataTable, Input, Static

from application.studio import project_uuid
from domain.project.events import ElementChanged
from tests.tui.conftest import World, make_film, settle
from tui.app import MilimoApp
from tui.widgets.thumbnail import Thumbnail


def table(app: MilimoApp) -> DataTable:
    return app.screen.query_one(DataTable)


async def open_elements(app: MilimoApp, pilot: object, rows: int) -> DataTable:
    await settle(pilot, lambda: app.view is not None)
    await pilot.press("5")  # type: ignore[attr-defined]
    await settle(pilot, lambda: table(app).row_count == rows)
    return table(app)


async def test_add_an_element_with_a_reference_image_shown_as_a_thumbnail(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    lamp = world.tmp / "lamp.jpg"
    Image.new("RGB", (200, 120), (240, 200, 40)).save(lamp, "JPEG")
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        elements = await open_elements(app, pilot, rows=1)
        thumb = app.screen.query_one(Thumbnail)
        assert thumb.pixels is None and "no reference image" in thumb.reason
        await pilot.press("n")
        await settle(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"Brass lamp", "enter", "o", "right", "enter", *"an old ship's lamp")
        await pilot.press("enter", "enter", *str(lamp), "enter")
        await settle(pilot, lambda: elements.row_count == 2)
        await pilot.press("j")
        await settle(pilot, lambda: thumb.pixels is not None)
        assert thumb.path == str(lamp.resolve())
        side = str(app.screen.query_one("#element-details", Static).render())
        assert "@BrassLamp · object · v1" in side and "an old ship's lamp" in side
    (_, added) = world.milimo.queries.project(pid)["elements"]
    assert (added["name"], added["type"], added["trigger_word"], added["image"]) == (
        "Brass lamp",
        "object",
        "@BrassLamp",
        str(lamp.resolve()),
    )


async def test_bad_input_is_the_domains_message_and_nothing_is_added(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_elements(app, pilot, rows=1)
        await pilot.press("n")
        await settle(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"Boat", "enter", *"vehicle", "enter", "enter", "enter", "enter")
        await settle(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        await pilot.press("n")
        await settle(pilot, lambda: isinstance(app.focused, Input))
        missing = world.tmp / "nope.png"
        await pilot.press(*"Boat", "enter", *"object", "enter", "enter", "enter")
        await pilot.press(*str(missing), "enter")
        await settle(pilot, lambda: any("no image file" in n.message for n in app._notifications))
    assert len(world.milimo.queries.project(pid)["elements"]) == 1


async def test_edit_sends_only_the_changed_fields_and_delete_asks_first(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        elements = await open_elements(app, pilot, rows=1)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.focused, Input))
        assert app.focused.value == "Mara"  # type: ignore[union-attr]
        await pilot.press("enter", "enter", "end", *" with a red scarf", "enter", "enter", "enter")
        await settle(
            pilot, lambda: app.view is not None and app.view["elements"][0]["version"] == 2
        )
        await settle(pilot, lambda: "red scarf" in str(elements.get_row_at(0)[4]))
        assert elements.get_row_at(0)[3] == "v2"

        await pilot.press("d")
        await pilot.press("n")  # no: nothing happens
        await pilot.pause(0.2)
        assert elements.row_count == 1
        await pilot.press("d", "y")
        await settle(pilot, lambda: elements.row_count == 0)
        await pilot.press("u")
        await settle(pilot, lambda: elements.row_count == 1)
    (changed,) = [
        e
        for e in world.milimo.studio.events.get(project_uuid(pid))
        if isinstance(e, ElementChanged)
    ]
    assert changed.changes == {"description": "a lighthouse keeper, 60s with a red scarf"}


def test_elements_snapshot(world: World, deterministic: None, snap_compare: Any) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    picture = world.tmp / "lamp.png"
    gradient = Image.linear_gradient("L").resize((160, 96)).convert("RGB")
    gradient.save(picture)
    world.milimo.studio.define_element(
        pid, "Brass lamp", "object", description="an old ship's lamp, dented", image=str(picture)
    )
    world.milimo.studio.define_element(pid, "Lighthouse", "location")
    app = world.app(pid)

    async def run_before(pilot: Any) -> None:
        await open_elements(app, pilot, rows=3)
        await pilot.press("j")
        thumb = app.screen.query_one(Thumbnail)
        await settle(pilot, lambda: thumb.pixels is not None)

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
