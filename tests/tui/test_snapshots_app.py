"""Snapshots of the screens the app itself owns: Projects, the key list, a confirmation."""

from typing import Any

from tests.tui.conftest import World, make_film, settle


def test_projects_screen(world: World, deterministic: None, snap_compare: Any) -> None:
    make_film(world.milimo, "The Keeper")
    make_film(world.milimo, "Night Ferry", scenes=1, shots=2)
    app = world.app()

    async def loaded(pilot: Any) -> None:
        await settle(pilot, lambda: len(getattr(app.screen, "rows", [])) == 2)

    assert snap_compare(app, terminal_size=(120, 30), run_before=loaded)


def test_delete_asks_first(world: World, deterministic: None, snap_compare: Any) -> None:
    make_film(world.milimo, "The Keeper")
    app = world.app()

    async def asked(pilot: Any) -> None:
        await settle(pilot, lambda: len(getattr(app.screen, "rows", [])) == 1)
        await pilot.press("d")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 30), run_before=asked)


def test_help_lists_the_keys(world: World, snap_compare: Any) -> None:
    app = world.app()
    assert snap_compare(app, terminal_size=(120, 40), press=["question_mark"])
