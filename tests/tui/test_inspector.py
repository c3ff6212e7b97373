"""Inspector: edit a shot's spec with the domain's rules, keep unsaved edits through fresh data
and through other screens, escape out of a field, choose the active take, generate and
regenerate, move between shots."""

import html
import re
from typing import Any

from textual.widgets import DataTable, Static

from milimo.wiring import engine, runner
from tests.tui.conftest import World, make_film, settle
from tui.app import MilimoApp
from tui.screens.dialogs import ConfirmScreen
from tui.screens.inspector import InspectorScreen
from tui.screens.timeline import TimelineScreen


def field(app: MilimoApp, name: str) -> Any:
    return app.screen.query_one(f"#f-{name}")


def notified(app: MilimoApp, text: str) -> bool:
    return any(text in n.message for n in app._notifications)


def title(app: MilimoApp) -> str:
    return str(app.screen.query_one("#shot-title", Static).render())


async def open_inspector(app: MilimoApp, pilot: Any) -> InspectorScreen:
    await settle(pilot, lambda: app.view is not None)
    await pilot.press("4")
    await settle(pilot, lambda: isinstance(app.screen, InspectorScreen) and app.screen.shot_id)
    assert isinstance(app.screen, InspectorScreen)
    return app.screen


def screen_text(app: MilimoApp) -> str:
    """What the terminal shows, line by line (from the screenshot Textual exports)."""
    rows: dict[float, list[tuple[float, str]]] = {}
    svg = app.export_screenshot()
    for x, y, text in re.findall(
        r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg
    ):
        rows.setdefault(float(y), []).append((float(x), html.unescape(text)))
    lines = []
    for y in sorted(rows):
        line = ""
        for x, text in sorted(rows[y]):
            line = line.ljust(round(x / 12.2)) + text
        lines.append(line.replace("\xa0", " "))
    return "\n".join(lines)


def question(app: MilimoApp) -> str:
    assert isinstance(app.screen, ConfirmScreen)
    return app.screen.question


async def type_into(pilot: Any, name: str, text: str) -> None:
    await pilot.click(f"#f-{name}")
    await pilot.press("end", "ctrl+u", *text)


def with_takes(world: World, pid: str, shot: str, count: int) -> list[str]:
    """Takes made by running the jobs in this process (the real animatic backend)."""
    jobs = []
    for _ in range(count):
        (job,) = engine(world.milimo, spawn_worker=False).generate(pid, [shot])
        assert runner(world.milimo).run(job) == "completed"
        jobs.append(job)
    return jobs


async def test_the_form_shows_the_shot_and_saves_what_changed(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=2)
    first = world.milimo.queries.project(pid)["shots"][0]
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_inspector(app, pilot)
        assert screen.shot_id == first["id"] and "shot 1.1" in title(app)
        assert field(app, "action").value == "Mara climbs the stairs, step 1"
        assert field(app, "num_frames").value == "49" and field(app, "cfg_scale").value == "3"
        assert field(app, "shot_type").value == "medium"
        assert field(app, "enhance_prompt").value is True
        version = app.view["version"]  # type: ignore[index]

        await type_into(pilot, "prompt", "A gull lands on the rail")
        await type_into(pilot, "num_frames", "65")
        await type_into(pilot, "cfg_scale", "4.5")
        await pilot.click("#f-upscale")
        field(app, "pipeline_override").value = "keyframe"
        await pilot.pause()
        assert screen.dirty == {"prompt", "num_frames", "cfg_scale", "upscale", "pipeline_override"}
        assert app.screen.query_one("#row-prompt").has_class("-dirty")

        await pilot.press("ctrl+s")

        await settle(pilot, lambda: not screen.dirty and app.view["version"] == version + 1)  # type: ignore[index]
        assert notified(app, "saved prompt, num_frames, cfg_scale, upscale, pipeline_override")
        assert not app.screen.query_one("#row-prompt").has_class("-dirty")
    shot = world.milimo.queries.project(pid)["shots"][0]
    assert shot["prompt"] == "A gull lands on the rail" and shot["num_frames"] == 65
    assert shot["cfg_scale"] == 4.5 and shot["upscale"] is True
    assert shot["pipeline_override"] == "keyframe" and shot["action"] == first["action"]


async def test_a_broken_rule_says_the_domain_s_message_and_records_nothing(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_inspector(app, pilot)
        version = app.view["version"]  # type: ignore[index]

        await type_into(pilot, "num_frames", "50")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: notified(app, "num_frames must be 8k+1"))
        assert notified(app, "got 50, try 49 or 57")

        await type_into(pilot, "num_frames", "57")
        await type_into(pilot, "cfg_scale", "25")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: notified(app, "cfg_scale must be between 1 and 20: got 25"))

        await type_into(pilot, "cfg_scale", "3")
        await type_into(pilot, "seed", "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert notified(app, "seed must be a whole number")
        assert screen.dirty == {"num_frames", "seed"}  # still there to fix
        assert field(app, "num_frames").value == "57"
    assert world.milimo.queries.project(pid)["version"] == version
    assert world.milimo.queries.project(pid)["shots"][0]["num_frames"] == 49


async def test_unsaved_edits_win_over_fresh_data_until_escape(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    (shot,) = world.milimo.queries.project(pid)["shots"]
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_inspector(app, pilot)
        await type_into(pilot, "prompt", "mine")
        studio = world.milimo.studio

        def elsewhere() -> None:  # as another editor would: through the store
            studio.change_shot(pid, shot["id"], prompt="theirs", dialogue="Hello?", seed=7)

        assert app.io is not None
        app.io.submit(elsewhere)
        await settle(pilot, lambda: field(app, "dialogue").value == "Hello?")

        assert field(app, "prompt").value == "mine" and screen.dirty == {"prompt"}
        assert field(app, "seed").value == "7"
        await pilot.press("escape")  # reverts the field and leaves it
        await pilot.pause()
        assert field(app, "prompt").value == "theirs" and not screen.dirty
        assert isinstance(app.focused, DataTable)
    assert world.milimo.queries.project(pid)["shots"][0]["prompt"] == "theirs"


async def test_choose_the_active_take(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    (shot,) = world.milimo.queries.project(pid)["shots"]
    older, newer = with_takes(world, pid, shot["id"], 2)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_inspector(app, pilot)
        table = app.screen.query_one("#takes", DataTable)
        await settle(pilot, lambda: table.row_count == 2)
        assert [table.get_row_at(i)[0] for i in range(2)] == ["", "●"]  # the newest by default
        assert app.focused is table

        await pilot.press("up", "enter")
        await settle(pilot, lambda: table.get_row_at(0)[0] == "●")
        assert notified(app, f"take {older[:8]} is now the active take")
        await pilot.press("down", "t")
        await settle(pilot, lambda: table.get_row_at(1)[0] == "●")
        await pilot.press("t")
        await pilot.pause()
        assert notified(app, f"take {newer[:8]} is already the active one")
    view = world.milimo.queries.project(pid)
    assert view["shots"][0]["active_take"] == newer and view["shots"][0]["take_pinned"]


async def test_generate_and_regenerate_with_a_new_seed(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=2)
    second = world.milimo.queries.project(pid)["shots"][1]
    world.services.engine = lambda: engine(world.milimo, spawn_worker=False)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_inspector(app, pilot)
        await pilot.press("n")
        assert app.selected_shot == second["id"]

        await pilot.press("g")
        await settle(pilot, lambda: len(app.jobs) == 1)
        await pilot.press("G")
        await settle(pilot, lambda: len(app.jobs) == 2)
        await settle(pilot, lambda: field(app, "seed").value != "42")
    jobs = world.milimo.queries.jobs(pid)
    seed = world.milimo.queries.project(pid)["shots"][1]["seed"]
    assert [j["shot_id"] for j in jobs] == [second["id"]] * 2
    assert jobs[0]["request"]["seed"] == 42 and jobs[1]["request"]["seed"] == seed != 42


async def test_next_and_previous_shot_ask_before_dropping_edits(world: World) -> None:
    pid = make_film(world.milimo, scenes=2, shots=2)
    shots = [s["id"] for s in world.milimo.queries.project(pid)["shots"]]
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_inspector(app, pilot)
        await pilot.press("n", "n", "n")
        assert screen.shot_id == shots[3] and "shot 2.2" in title(app)
        await pilot.press("n")  # the last one stays
        await pilot.press("N")
        assert screen.shot_id == shots[2] and "shot 2.1" in title(app)

        await type_into(pilot, "dialogue", "Wait!")
        await pilot.press("escape")  # reverts the field and leaves it
        assert not screen.dirty and isinstance(app.focused, DataTable)
        await type_into(pilot, "dialogue", "Wait!")
        app.screen.query_one("#takes", DataTable).focus()
        await pilot.press("N")
        await settle(pilot, lambda: not isinstance(app.screen, InspectorScreen))
        await pilot.press("n")  # no: stay, the edit kept
        await settle(pilot, lambda: isinstance(app.screen, InspectorScreen))
        assert screen.shot_id == shots[2] and field(app, "dialogue").value == "Wait!"
        await pilot.press("N", "y")
        await settle(pilot, lambda: screen.shot_id == shots[1])
        assert not screen.dirty and field(app, "dialogue").value == "Who's there?"
        assert not app.screen.query_one("#row-dialogue").has_class("-dirty")


def inspector_with_takes(world: World) -> tuple[str, Any]:
    pid = make_film(world.milimo)
    shot = world.milimo.queries.project(pid)["shots"][1]["id"]
    with_takes(world, pid, shot, 2)

    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await settle(pilot, lambda: app.view is not None)
        app.selected_shot = shot
        await pilot.press("4")
        table = app.screen.query_one("#takes", DataTable)
        await settle(pilot, lambda: table.row_count == 2)
        field(app, "prompt").value = "Mara at the lamp"  # an unsaved edit, marked
        await pilot.pause()

    return pid, run_before


def test_inspector_snapshot(world: World, deterministic: None, snap_compare: Any) -> None:
    pid, run_before = inspector_with_takes(world)
    assert snap_compare(world.app(pid), terminal_size=(120, 36), run_before=run_before)


async def test_edits_left_for_another_screen_are_asked_about_when_the_shot_changed(
    world: World,
) -> None:
    pid = make_film(world.milimo, scenes=1, shots=2)
    first, second = (s["id"] for s in world.milimo.queries.project(pid)["shots"])
    app = world.app(pid)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_inspector(app, pilot)
        await type_into(pilot, "prompt", "A gull on the rail")
        app.screen.query_one("#takes", DataTable).focus()
        assert screen.dirty == {"prompt"}

        async def next_clip_on_the_timeline() -> None:
            await pilot.press("3")
            await settle(pilot, lambda: isinstance(app.screen, TimelineScreen))
            await pilot.press("l")
            await settle(pilot, lambda: app.selected_shot == second)
            await pilot.press("4")
            await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))

        await next_clip_on_the_timeline()
        assert question(app).startswith("Discard unsaved changes to shot 1.1 (prompt)?")
        await pilot.press("n")  # no: back to the edited shot, the edit kept
        await settle(pilot, lambda: isinstance(app.screen, InspectorScreen))
        assert screen.shot_id == first and app.selected_shot == first
        assert field(app, "prompt").value == "A gull on the rail" and screen.dirty == {"prompt"}
        assert "shot 1.1" in title(app) and notified(app, "back to shot 1.1")

        await next_clip_on_the_timeline()
        await pilot.press("y")  # discard: the chosen shot, as stored
        await settle(pilot, lambda: screen.shot_id == second)
        assert not screen.dirty and field(app, "prompt").value == ""
        assert field(app, "action").value == "Mara climbs the stairs, step 2"
    assert world.milimo.queries.project(pid)["shots"][0]["prompt"] == ""


async def test_escape_in_a_field_reverts_it_and_leaves_it_in_one_press(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    app = world.app(pid)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_inspector(app, pilot)
        await type_into(pilot, "prompt", "mine")
        await pilot.press("enter")
        await type_into(pilot, "seed", "4")
        await pilot.press("escape")
        assert field(app, "seed").value == "42" and screen.dirty == {"prompt"}
        assert isinstance(app.focused, DataTable)
        await pilot.press("3")  # a screen key again, not a digit of the seed
        await settle(pilot, lambda: isinstance(app.screen, TimelineScreen))
        await pilot.press("4")
        await settle(pilot, lambda: isinstance(app.screen, InspectorScreen))
        assert field(app, "seed").value == "42" and field(app, "prompt").value == "mine"

        await type_into(pilot, "seed", "7")
        await pilot.press("enter", "escape")  # outside a field: every edit, asked first
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert question(app) == "Revert 2 unsaved changes (prompt, seed)?"
        await pilot.press("n")
        await settle(pilot, lambda: isinstance(app.screen, InspectorScreen))
        assert screen.dirty == {"prompt", "seed"}
        await pilot.press("escape", "y")
        await settle(pilot, lambda: not screen.dirty)
        assert field(app, "prompt").value == "" and field(app, "seed").value == "42"

        await type_into(pilot, "dialogue", "Wait!")
        await pilot.press("enter", "escape")  # one edit: reverted without a question
        await pilot.pause()
        assert isinstance(app.screen, InspectorScreen) and not screen.dirty


async def test_the_trims_line_shows_the_start_frame_at_160_columns(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=3)
    *before, last = (s["id"] for s in world.milimo.queries.project(pid)["shots"])
    for shot in before:
        world.milimo.studio.change_shot(pid, shot, num_frames=601)
    world.milimo.studio.change_shot(pid, last, num_frames=241)
    world.milimo.studio.trim_shot(pid, last, 16, 24)
    app = world.app(pid)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: app.view is not None)
        app.selected_shot = last
        await open_inspector(app, pilot)
        await pilot.pause()
        shown = screen_text(app)
        assert "trim in 16 · out 24 · 201 of 241 frames shown" in shown
        assert "V1 from frame 1202" in shown


async def test_a_click_on_a_take_only_highlights_it_a_double_click_chooses(world: World) -> None:
    pid = make_film(world.milimo, scenes=1, shots=1)
    (shot,) = world.milimo.queries.project(pid)["shots"]
    older, newer = with_takes(world, pid, shot["id"], 2)
    app = world.app(pid)
    async with app.run_test(size=(160, 45)) as pilot:
        await open_inspector(app, pilot)
        table = app.screen.query_one("#takes", DataTable)
        await settle(pilot, lambda: table.row_count == 2)
        assert table.cursor_row == 0  # the older take, highlighted
        await pilot.click("#takes", offset=(1, 1))  # a click on it: still only highlighted
        await pilot.click("#takes", offset=(1, 2))  # the newer, active one
        await pilot.pause(0.3)
        assert table.cursor_row == 1 and table.get_row_at(1)[0] == "●"
        assert world.milimo.queries.project(pid)["shots"][0]["active_take"] == newer

        await pilot.double_click("#takes", offset=(1, 1))
        await settle(pilot, lambda: table.get_row_at(0)[0] == "●")
        assert notified(app, f"take {older[:8]} is now the active take")
    assert world.milimo.queries.project(pid)["shots"][0]["active_take"] == older
