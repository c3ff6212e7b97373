"""Inspector: a shot's conditioning added and removed (the command `milimo shot set …
conditioning=[…]` runs, with the domain's messages), and the elements it uses as the prompt's
composition finds them (cue, scene heading, @trigger, its take), the same on the Storyboard."""

from PIL import Image
from textual.widgets import DataTable, Input, Static

from application.assets import import_asset
from milimo.wiring import asset_store
from tests.tui.conftest import World, make_film, settle
from tests.tui.test_inspector import notified, open_inspector, question, with_takes
from tests.tui.test_inspector_presets_loras import loras_panel, tiny_lora
from tui.app import MilimoApp
from tui.screens.dialogs import ConfirmScreen, FormScreen
from tui.screens.inspector import InspectorScreen
from tui.screens.storyboard import StoryboardScreen


def conditioning(world: World, pid: str) -> list[dict[str, object]]:
    return list(world.milimo.queries.project(pid)["shots"][0]["conditioning"])


def form_value(app: MilimoApp, name: str) -> str:
    return app.screen.query_one(f"#field-{name}", Input).value


async def test_c_adds_a_conditioning_item_and_capital_c_removes_the_highlighted_one(
    world: World,
) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    plate = world.tmp / "plate.png"
    Image.new("RGB", (64, 48), (200, 60, 40)).save(plate)
    Image.new("RGB", (64, 48), (20, 60, 140)).save(world.tmp / "deck.png")
    deck = import_asset(
        world.milimo.studio, asset_store(world.milimo), pid, str(world.tmp / "deck.png")
    ).asset
    app = world.app(pid)
    async with app.run_test(size=(160, 45)) as pilot:
        await open_inspector(app, pilot)
        table = app.screen.query_one("#conditioning", DataTable)
        assert str(table.get_row_at(0)[0]) == "none"
        await pilot.press("c")
        await settle(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*str(plate), "enter", "enter", "end", *["backspace"] * 3, *"0.5")
        await pilot.press("enter", "enter")
        await settle(pilot, lambda: len(conditioning(world, pid)) == 1)
        assert conditioning(world, pid) == [
            {"asset": str(plate.resolve()), "frame_index": 0, "strength": 0.5, "type": "image"}
        ]
        await settle(pilot, lambda: str(table.get_row_at(0)[1]) == "plate.png")

        await pilot.press("c")  # an asset by name, at a frame the shot does not have
        await settle(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*deck.name, "enter", "end", "backspace", *"60", "enter", "enter")
        await pilot.press("enter")
        await settle(pilot, lambda: notified(app, "frame_index must be within the shot's 49"))
        await settle(pilot, lambda: isinstance(app.screen, FormScreen))
        assert form_value(app, "asset") == deck.name and form_value(app, "frame") == "60"
        await pilot.press("enter", "end", "backspace", "backspace", *"48", "enter", "enter")
        await pilot.press("enter")
        await settle(pilot, lambda: len(conditioning(world, pid)) == 2)
        assert conditioning(world, pid)[1] == {
            "asset": deck.path,
            "frame_index": 48,
            "strength": 1.0,
            "type": "image",
        }

        await pilot.press("c")  # a file that is not there
        await settle(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"/nowhere/plate.png", "enter", "enter", "enter", "enter")
        await settle(pilot, lambda: notified(app, "no image file at /nowhere/plate.png"))
        await settle(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, InspectorScreen))

        table.focus()
        await pilot.press("up", "C")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert question(app) == "Remove the conditioning image plate.png at frame 0?"
        await pilot.press("y")
        await settle(pilot, lambda: len(conditioning(world, pid)) == 1)
    assert conditioning(world, pid)[0]["asset"] == deck.path


def elements_panel(app: MilimoApp) -> str:
    return str(app.screen.query_one("#elements", Static).render())


async def test_the_elements_a_shot_uses_are_the_prompt_s_and_its_take_s_on_every_screen(
    world: World,
) -> None:
    studio = world.milimo.studio
    pid = studio.create_project("The Keeper")
    studio.define_element(pid, "Mara Quinn", "character", description="a keeper, 60s")
    studio.define_element(pid, "Lighthouse", "location", description="white, on a rock")
    studio.define_element(pid, "Lamp", "object", description="brass")
    lora = tiny_lora(world.tmp / "rock.safetensors")
    studio.add_element_lora(pid, "Lighthouse", lora, 0.7)
    scene = studio.add_scene(pid, "Lamp room", heading="INT. LIGHTHOUSE - NIGHT")
    shot = studio.add_shot(
        pid, scene, prompt="She lights @Lamp", character="MARA", dialogue="Who's there?"
    )
    with_takes(world, pid, shot, 1)
    studio.change_shot(pid, shot, prompt="She waits by the window")  # @Lamp: its take's only
    app = world.app(pid)
    async with app.run_test(size=(160, 45)) as pilot:
        await open_inspector(app, pilot)
        await settle(pilot, lambda: "Lamp" in elements_panel(app))
        panel = elements_panel(app)
        assert "Mara Quinn (character) @MaraQuinn v1 · by character" in panel
        assert "Lighthouse (location) @Lighthouse v2 · by scene heading" in panel
        assert "Lamp (object) @Lamp v1 · by its take" in panel
        assert "0.7 · rock.safetensors · from @Lighthouse" in loras_panel(app)

        await pilot.press("2")
        await settle(pilot, lambda: isinstance(app.screen, StoryboardScreen))
        details = app.screen.query_one("#shot-details", Static)
        await settle(pilot, lambda: "Elements" in str(details.render()))
        shown = str(details.render())
        for line in (
            "@MaraQuinn Mara Quinn (character, v1)",
            "@Lighthouse Lighthouse (location, v2)",
            "@Lamp Lamp (object, v1)",
        ):
            assert line in shown
