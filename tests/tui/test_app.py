"""The editor as a whole: keys everywhere, the command palette, the keymap file, undo/redo,
errors as notifications, live edits from other processes."""

from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import DataTable

from tests.tui.conftest import World, make_film, settle
from tui.app import SCREENS, MilimoApp, all_binding_ids
from tui.screens.help import HelpScreen


def messages(app: MilimoApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_number_keys_switch_between_every_screen(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        assert app.current_mode == "timeline"
        for mode, (_, key, _) in SCREENS.items():
            await pilot.press(key)
            await pilot.pause()
            assert app.current_mode == mode


async def test_screens_that_need_a_project_say_so(world: World) -> None:
    app = world.app()
    async with app.run_test() as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert app.current_mode == "projects"
        assert any("open a project" in m for m in messages(app))


async def test_question_mark_lists_every_binding_with_its_id(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        ids = {table.get_row_at(r)[3] for r in range(table.row_count)}
        assert {"undo", "redo", "quit", "projects.new"} <= ids
        assert app.focused is table
        await pilot.press("j", "down")
        assert table.cursor_row == 2, "vim keys and arrows move through the list"
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("k", "up", "home")
        assert table.cursor_row == 0
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_undo_and_redo_from_anywhere(world: World) -> None:
    pid = make_film(world.milimo)
    studio = world.milimo.studio
    studio.change_settings(pid, name="Renamed")
    app = world.app(pid)
    async with app.run_test() as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("u")
        await settle(pilot, lambda: app.view is not None and app.view["name"] == "The Keeper")
        await pilot.press("ctrl+y")
        await settle(pilot, lambda: app.view is not None and app.view["name"] == "Renamed")
        await pilot.press("ctrl+z")
        await settle(pilot, lambda: app.view is not None and app.view["name"] == "The Keeper")
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: app.view is not None and app.view["name"] == "Renamed")
    assert any(m.startswith("undone v") for m in messages(app))


async def test_an_edit_from_another_process_appears_without_a_key(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test() as pilot:
        await settle(pilot, lambda: app.view is not None)
        shots = len(app.view["shots"]) if app.view else 0
        # Another writer of the same store (the CLI, another editor) adds a shot.
        other = world.milimo.studio
        scene = app.view["scenes"][0]["id"] if app.view else ""
        other.add_shot(pid, scene, action="a gull lands")
        # Polled every 0.1 s here: well under a second unless CI's two cores are busy.
        await settle(
            pilot, lambda: app.view is not None and len(app.view["shots"]) == shots + 1, 5.0
        )


async def test_the_palette_finds_and_runs_a_command(world: World) -> None:
    pid = make_film(world.milimo)
    world.milimo.studio.change_settings(pid, name="Renamed")
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("ctrl+p")
        await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"undo")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot, lambda: app.view is not None and app.view["name"] == "The Keeper")


async def test_a_keymap_file_remaps_keys_and_reports_mistakes(world: World) -> None:
    keymap = world.services.keymap_path
    assert isinstance(keymap, Path)
    keymap.write_text('undo = "z"\nno_such_binding = "x"\n')
    pid = make_film(world.milimo)
    world.milimo.studio.change_settings(pid, name="Renamed")
    app = world.app(pid)
    async with app.run_test() as pilot:
        await settle(pilot, lambda: app.view is not None)
        assert any("no binding 'no_such_binding'" in m for m in messages(app))
        await pilot.press("u")  # no longer undo
        await pilot.pause(0.3)
        assert app.view is not None and app.view["name"] == "Renamed"
        await pilot.press("z")
        await settle(pilot, lambda: app.view is not None and app.view["name"] == "The Keeper")


async def test_a_broken_keymap_file_keeps_the_defaults(world: World) -> None:
    keymap = world.services.keymap_path
    assert isinstance(keymap, Path)
    keymap.write_text("undo = [unclosed")
    app = world.app()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert any("using the default keys" in m for m in messages(app))


def test_every_binding_has_an_id_and_a_description() -> None:
    from textual.binding import Binding

    owners = [MilimoApp, *(screen for screen, _, _ in SCREENS.values())]
    for owner in owners:
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding), f"{owner.__name__}: use Binding(...)"
            assert binding.id, f"{owner.__name__}: {binding.key} has no id"
            assert binding.description, f"{owner.__name__}: {binding.key} has no description"
    assert len(all_binding_ids()) > 10


async def test_a_failing_command_is_a_notification_not_a_crash(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test() as pilot:
        await settle(pilot, lambda: app.view is not None)
        studio = world.milimo.studio
        app.run_command(lambda: studio.change_shot(pid, "no-such-shot", seed=1))
        await settle(pilot, lambda: any("no-such-shot" in m for m in messages(app)))
        assert app.is_running


async def test_a_job_that_fails_is_said_wherever_the_user_is(world: World) -> None:
    from milimo import wiring

    pid = make_film(world.milimo)
    shot = world.milimo.queries.project(pid)["shots"][0]["id"]
    (job,) = wiring.engine(world.milimo, spawn_worker=False).generate(pid, [shot])
    app = world.app(pid)
    async with app.run_test() as pilot:
        await settle(pilot, lambda: len(app.jobs) == 1)
        world.milimo.studio.edit_job(
            job, lambda j: j.fail("worker@gpu", "OutOfMemory", "CUDA out of memory", True)
        )
        await settle(pilot, lambda: any("CUDA out of memory" in m for m in messages(app)))
        assert app.is_running


async def test_a_locked_track_is_explained_with_the_editor_s_key(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    world.milimo.studio.set_track(pid, "V1", locked=True)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        await pilot.press("2", "a")  # the Storyboard adds a shot on V1
        await settle(pilot, lambda: len(app.screen_stack) > 1)
        await pilot.press(*"a boat", "enter")
        await settle(pilot, lambda: any("is locked" in m for m in messages(app)))
        (said,) = [m for m in messages(app) if "is locked" in m]
        assert "on the Timeline (3) move to V1 with j/k, then K unlocks it" in said
        assert "milimo track set" not in said
