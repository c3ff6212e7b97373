"""The script editor imports only what its preview shows, and `e` opens the text last imported
(recorded with the import), not an older file."""

from pathlib import Path
from typing import Any

from textual.widgets import Checkbox, Static, TextArea

from application.studio import project_uuid
from domain.project.events import ScriptImported
from domain.script import match_elements, parse_script
from milimo.cli.main import main
from milimo.cli.script_file import read_script
from tests.tui.conftest import World, settle
from tests.tui.test_storyboard import SCRIPT, open_storyboard
from tui.app import MilimoApp
from tui.screens.script_editor import ScriptEditorScreen

SEA = "\nEXT. SEA - NIGHT\n\nA rowing boat in the swell.\n"


def keeper_file(world: World) -> tuple[str, Path]:
    """A new project and the screenplay's file, not imported yet."""
    script = world.tmp / "keeper.fountain"
    script.write_text(SCRIPT)
    return world.milimo.studio.create_project("Keeper"), script


def imports(world: World, pid: str) -> list[ScriptImported]:
    events = world.milimo.studio.events.get(project_uuid(pid))
    return [e for e in events if isinstance(e, ScriptImported)]


def preview(app: MilimoApp) -> str:
    return str(app.screen.query_one("#script-preview", Static).render())


def notified(app: MilimoApp, words: str) -> bool:
    return any(words in n.message for n in app._notifications)


async def open_editor(app: MilimoApp, pilot: Any) -> TextArea:
    await pilot.press("e")
    await settle(pilot, lambda: isinstance(app.screen, ScriptEditorScreen))
    return app.screen.query_one(TextArea)


async def previewed(app: MilimoApp, pilot: Any, key: str = "f5") -> str:
    """Press `key` and wait for the preview it brings."""
    await pilot.press(key)
    await settle(pilot, lambda: "Changes" in preview(app))
    return preview(app)


async def type_at_the_end(pilot: Any, area: TextArea, text: str) -> None:
    area.move_cursor(area.document.end)
    await pilot.press(*["enter" if c == "\n" else c for c in text])


async def test_ctrl_s_after_an_edit_previews_the_edit_and_a_second_ctrl_s_imports_it(
    world: World,
) -> None:
    pid = world.milimo.studio.create_project("Keeper")
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        shots = await open_storyboard(app, pilot, rows=0)
        area = await open_editor(app, pilot)
        area.load_text(SCRIPT)
        assert "2 scene(s), 3 shot(s)" in await previewed(app, pilot)
        await type_at_the_end(pilot, area, SEA)

        shown = await previewed(app, pilot, "ctrl+s")
        assert isinstance(app.screen, ScriptEditorScreen), "nothing is imported unseen"
        assert imports(world, pid) == []
        assert "3 scene(s), 4 shot(s)" in shown and "A rowing boat in the swell." in shown
        assert "would import (screenplay): 3 new scene(s), 4 new shot(s)" in shown
        assert notified(app, "the preview is updated to what you typed: ctrl+s imports it")

        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not isinstance(app.screen, ScriptEditorScreen))
        await settle(pilot, lambda: len(shots.rows) == 7)
    (event,) = imports(world, pid)
    assert event.counts["scenes_added"] == 3 and event.counts["shots_added"] == 4
    assert event.source["text"] == SCRIPT + SEA


async def test_ctrl_s_without_a_preview_previews_first(world: World) -> None:
    pid = world.milimo.studio.create_project("Keeper")
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_storyboard(app, pilot, rows=0)
        area = await open_editor(app, pilot)
        area.load_text(SCRIPT)
        assert "2 scene(s), 3 shot(s)" in await previewed(app, pilot, "ctrl+s")
        assert isinstance(app.screen, ScriptEditorScreen) and imports(world, pid) == []


async def test_a_project_changed_since_the_preview_is_previewed_again_before_importing(
    world: World,
) -> None:
    pid = world.milimo.studio.create_project("Keeper")
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_storyboard(app, pilot, rows=0)
        area = await open_editor(app, pilot)
        area.load_text(SCRIPT)
        shown = await previewed(app, pilot)
        assert "element new: @Lighthouse" in shown and "3 new element(s)" in shown
        assert main(["element", "add", pid, "Lighthouse", "--type", "location"]) == 0

        await pilot.press("ctrl+s")
        await settle(pilot, lambda: notified(app, "the project changed since the preview"))
        assert "element new: @Lighthouse" not in preview(app)
        assert "2 new scene(s), 3 new shot(s), 0 updated, 0 kept, 2 new element(s)" in preview(app)
        assert isinstance(app.screen, ScriptEditorScreen) and imports(world, pid) == []
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not isinstance(app.screen, ScriptEditorScreen))
    (event,) = imports(world, pid)
    assert event.counts["elements_added"] == 2  # Mara and Cliff; the Lighthouse was defined


async def test_e_opens_the_text_last_imported_even_when_it_was_edited_in_the_editor(
    world: World,
) -> None:
    pid, script = keeper_file(world)
    assert main(["script", "import", pid, str(script)]) == 0
    script.write_text("INT. SOMEWHERE ELSE - DAY\n\nA later draft, never imported.\n")
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        shots = await open_storyboard(app, pilot, rows=5)
        area = await open_editor(app, pilot)
        await settle(pilot, lambda: area.text == SCRIPT)  # what the CLI imported
        await type_at_the_end(pilot, area, SEA)
        assert "1 new scene(s), 1 new shot(s), 0 updated, 3 kept" in await previewed(app, pilot)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: len(shots.rows) == 7)

        area = await open_editor(app, pilot)
        await settle(pilot, lambda: area.text == SCRIPT + SEA)
        shown = await previewed(app, pilot)
        assert "0 new scene(s), 0 new shot(s), 0 updated, 4 kept" in shown
        assert "gone" not in shown and "removed" not in shown
    last = imports(world, pid)[-1]
    assert last.source["text"] == SCRIPT + SEA and last.source["edited_from"] == str(script)


def import_without_the_text(world: World, pid: str, path: Path) -> None:
    """An import recorded before the imported text was: the file's name, path and sha256."""
    text, source = read_script(str(path))
    plan = match_elements(parse_script(text), [])
    world.milimo.studio.import_script(pid, plan, source={**source, "requested_mode": "auto"})


async def test_an_older_import_without_its_text_opens_its_file_and_says_when_it_differs(
    world: World,
) -> None:
    pid, script = keeper_file(world)
    import_without_the_text(world, pid, script)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_storyboard(app, pilot, rows=5)
        area = await open_editor(app, pilot)
        await settle(pilot, lambda: area.text == SCRIPT)
        await pilot.press("escape")
        assert not notified(app, "is not the text last imported")

        script.write_text(SCRIPT + SEA)
        area = await open_editor(app, pilot)
        await settle(pilot, lambda: area.text == SCRIPT + SEA)
        await settle(pilot, lambda: notified(app, "keeper.fountain is not the text last imported"))
        assert "is not the text last imported" in preview(app)


async def test_the_preview_names_the_prune_checkbox_and_ticking_it_is_previewed_first(
    world: World,
) -> None:
    pid, script = keeper_file(world)
    assert main(["script", "import", pid, str(script)]) == 0
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        shots = await open_storyboard(app, pilot, rows=5)
        area = await open_editor(app, pilot)
        await settle(pilot, lambda: area.text == SCRIPT)
        area.load_text(SCRIPT.split("EXT. CLIFF")[0])
        shown = await previewed(app, pilot)
        assert '1 shot(s) gone from the script (kept; tick "prune gone shots" to remove them)' in (
            shown
        )
        assert "--prune" not in shown

        app.screen.query_one("#script-prune", Checkbox).value = True
        shown = await previewed(app, pilot, "ctrl+s")
        assert '1 shot(s) would be removed ("prune gone shots" is ticked)' in shown
        assert len(imports(world, pid)) == 1
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: len(shots.rows) == 3)
    assert imports(world, pid)[-1].counts["shots_removed"] == 1
