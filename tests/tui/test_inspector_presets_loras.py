"""Inspector: a shot's preset as a spec field, its LoRA stack with add/remove keys, and the
Models view it opens."""

from pathlib import Path
from typing import Any

import numpy as np
from safetensors.numpy import save_file
from textual.widgets import DataTable, Input, Static

from tests.tui.conftest import World, make_film, settle
from tests.tui.test_inspector import field, notified, open_inspector
from tui.app import MilimoApp
from tui.screens.models import ModelsScreen


def tiny_lora(path: Path) -> str:
    prefix = "transformer.transformer_blocks.0.attn1.to_q"
    save_file(
        {
            f"{prefix}.lora_A.weight": np.ones((2, 8), np.float32),
            f"{prefix}.lora_B.weight": np.zeros((8, 2), np.float32),
        },
        str(path),
    )
    return str(path)


def loras_panel(app: MilimoApp) -> str:
    return str(app.screen.query_one("#loras", Static).render())


def first_shot(world: World, pid: str) -> dict[str, Any]:
    return world.milimo.queries.project(pid)["shots"][0]


async def test_the_preset_is_a_choice_of_the_form_saved_like_any_field(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    app = world.app(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inspector(app, pilot)
        preset = field(app, "preset")
        assert preset.value == "none"
        preset.value = "quality"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: first_shot(world, pid)["preset"] == "quality")
        preset.value = "none"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: first_shot(world, pid)["preset"] is None)


async def test_l_adds_a_lora_and_capital_l_removes_it(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    lora = tiny_lora(world.tmp / "dolly.safetensors")
    app = world.app(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inspector(app, pilot)
        assert "none" in loras_panel(app)
        await pilot.press("l")
        await settle(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*lora, "enter", "end", *["backspace"] * 3, *"0.8", "enter")
        await settle(pilot, lambda: "dolly.safetensors" in loras_panel(app))
        assert first_shot(world, pid)["loras"] == [{"path": lora, "strength": 0.8}]
        assert "0.8 · dolly.safetensors · from shot" in loras_panel(app)
        await pilot.press("L")
        await settle(pilot, lambda: isinstance(app.focused, Input))
        assert app.focused.value == lora  # type: ignore[union-attr]
        await pilot.press("enter")
        await settle(pilot, lambda: first_shot(world, pid)["loras"] == [])
        await settle(pilot, lambda: "none" in loras_panel(app))


async def test_a_file_that_is_no_lora_is_refused_with_the_reason(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    checkpoint = world.tmp / "model.safetensors"
    save_file({"blocks.0.weight": np.zeros((4, 4), np.float32)}, str(checkpoint))
    version = world.milimo.queries.project(pid)["version"]
    app = world.app(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inspector(app, pilot)
        await pilot.press("l")
        await settle(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*str(checkpoint), "enter", "enter")
        await settle(pilot, lambda: notified(app, "holds no LoRA weights"))
        assert world.milimo.queries.project(pid)["version"] == version


async def test_an_elements_lora_shows_in_the_stack_of_a_shot_that_names_it(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=2)
    lora = tiny_lora(world.tmp / "mara.safetensors")
    world.milimo.studio.add_element_lora(pid, "Mara", lora, 0.6)
    app = world.app(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inspector(app, pilot)
        await pilot.press("n")  # the second shot: Mara speaks
        await settle(pilot, lambda: "mara.safetensors" in loras_panel(app))
        assert "0.6 · mara.safetensors · from @Mara" in loras_panel(app)


async def test_capital_m_opens_the_models_view(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    app = world.app(pid)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_inspector(app, pilot)
        await pilot.press("M")
        await settle(pilot, lambda: isinstance(app.screen, ModelsScreen))
        table = app.screen.query_one(DataTable)
        await settle(pilot, lambda: table.row_count >= 7)
        rows = {table.get_row_at(i)[0]: table.get_row_at(i) for i in range(table.row_count)}
        assert rows["animatic"][2] == "ready"
        assert rows["ltx2"][6] == "40 st, cfg 3 2-stage"
        assert rows["flux2"][7] == "4 st, cfg 1"
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, ModelsScreen))
