"""Timeline: select, zoom, trim, split, delete, reorder, undo — by keys and by mouse."""

from typing import Any

from textual.app import App, ComposeResult

from tests.tui.conftest import World, make_film, settle
from tui.app import MilimoApp
from tui.screens.dialogs import ConfirmScreen
from tui.screens.timeline import TimelineScreen
from tui.widgets.timeline_view import HEADER, ROWS, TimelineView, timecode


async def open_timeline(app: MilimoApp, pilot: Any) -> TimelineView:
    def ready() -> bool:
        screen = app.screen
        return (
            app.view is not None
            and isinstance(screen, TimelineScreen)
            and screen.timeline.loaded
            and screen.timeline.selected is not None
        )

    await settle(pilot, ready)
    return app.screen.query_one(TimelineView)


def shots_in_order(app: MilimoApp) -> list[dict[str, Any]]:
    assert app.view is not None
    scenes = {s["id"]: s["index"] for s in app.view["scenes"]}
    return sorted(app.view["shots"], key=lambda s: (scenes[s["scene_id"]], s["index"]))


def view_shot(app: MilimoApp, shot_id: str) -> dict[str, Any] | None:
    assert app.view is not None
    return next((s for s in app.view["shots"] if s["id"] == shot_id), None)


def stored(world: World, pid: str, shot_id: str) -> dict[str, Any]:
    shots = world.milimo.queries.project(pid)["shots"]
    return next(s for s in shots if s["id"] == shot_id)


def drawn(view: TimelineView, y: int) -> str:
    return view.render_line(y).text


def messages(app: MilimoApp) -> list[str]:
    return [n.message for n in app._notifications]


def errors(app: MilimoApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


async def test_keys_move_the_selection_along_a_track_and_across_tracks(world: World) -> None:
    pid = make_film(world.milimo)
    scene = world.milimo.queries.project(pid)["scenes"][0]["id"]
    overlay = world.milimo.studio.add_shot(pid, scene, track="V2", start_frame=120, action="Gull")
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        v1 = [s["id"] for s in shots_in_order(app) if s["track"] == "V1"]
        assert view.selected == v1[0] == app.selected_shot
        await pilot.press("l", "l")
        assert view.selected == v1[2] == app.selected_shot
        await pilot.press("h")
        assert view.selected == v1[1]
        await pilot.press("right", "right", "right", "right", "right")
        assert view.selected == v1[5]
        await pilot.press("j")
        assert (view.track_name, view.selected, app.selected_shot) == ("V2", overlay, overlay)
        await pilot.press("j")
        assert view.track_name == "A1" and view.selected_clip() is None
        await pilot.press("up", "up")
        assert view.track_name == "V1"
        status = str(app.screen.query_one("#timeline-status").render())
        assert "frame 0 of 342" in status and "00:00:00:00" in status


async def test_the_playhead_moves_by_frame_second_and_to_the_ends(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        await pilot.press("full_stop", "full_stop", "greater_than_sign")
        assert view.playhead == 27
        await pilot.press("comma", "less_than_sign")
        assert view.playhead == 1
        await pilot.press("plus", "plus", "dollar_sign")  # 2 frames a cell: wider than the screen
        assert view.playhead == 341
        assert view.scroll_offset.x > 0  # the view followed the playhead
        await pilot.press("0")
        assert view.playhead == 0 and view.scroll_offset.x == 0
        await pilot.press("l", "l", "l", "g")
        assert view.playhead == 171
        status = str(app.screen.query_one("#timeline-status").render())
        assert f"{timecode(171, 25)}  frame 171" in status and timecode(171, 25) == "00:00:06:21"


async def test_zoom_changes_the_drawn_width_of_a_clip(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        band = view.band_top(0)

        def width() -> int:
            return drawn(view, band).index("▐") - HEADER + 1  # the selected clip's right edge

        assert (view.zoom, width()) == (4, 12)  # 49 frames at 4 frames a cell
        await pilot.press("plus")
        assert (view.zoom, width()) == (3, 16)
        await pilot.press("minus", "minus")
        assert (view.zoom, width()) == (6, 8)
        assert "zoom 6 frames/cell" in str(app.screen.query_one("#timeline-status").render())


async def test_trim_in_and_out_at_the_playhead_and_by_a_frame(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        first = view.selected
        assert first is not None
        await pilot.press(*["full_stop"] * 10, "i")
        await settle(pilot, lambda: (view_shot(app, first) or {}).get("trim_in") == 10)
        await pilot.press("greater_than_sign", "o")  # playhead 35: the clip now shows 35 frames
        await settle(pilot, lambda: (view_shot(app, first) or {}).get("trim_out") == 4)
        await pilot.press("left_square_bracket")
        await settle(pilot, lambda: (view_shot(app, first) or {}).get("trim_in") == 11)
        await pilot.press("right_curly_bracket")
        await settle(pilot, lambda: (view_shot(app, first) or {}).get("trim_out") == 3)
        assert view.selected_clip() is not None and view.selected_clip().length == 35  # type: ignore[union-attr]
    shot = stored(world, pid, first)
    assert (shot["trim_in"], shot["trim_out"], shot["visible_frames"]) == (11, 3, 35)


async def test_undo_after_a_trim_restores_it(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        first = view.selected
        assert first is not None
        await pilot.press("l", "g", *["full_stop"] * 5, "i")
        second = view.selected
        assert second is not None and second != first
        await settle(pilot, lambda: (view_shot(app, second) or {}).get("trim_in") == 5)
        await pilot.press("u")
        await settle(pilot, lambda: (view_shot(app, second) or {}).get("trim_in") == 0)
    assert stored(world, pid, second)["trim_in"] == 0


async def test_a_trim_the_domain_refuses_is_a_notification_and_records_nothing(
    world: World,
) -> None:
    pid = make_film(world.milimo)
    version = world.milimo.queries.project(pid)["version"]
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_timeline(app, pilot)
        await pilot.press("o")  # trim out at the clip's first frame: nothing would be left
        await settle(pilot, lambda: errors(app))
        await pilot.press("left_curly_bracket")  # un-trim below zero
        await settle(pilot, lambda: len(errors(app)) == 2)
        first, second = errors(app)
        assert "must leave at least one frame" in first
        assert "trims cannot be negative" in second
        assert isinstance(app.screen, TimelineScreen)
    assert world.milimo.queries.project(pid)["version"] == version


async def test_split_at_the_playhead_makes_a_new_shot(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        first = view.selected
        assert first is not None
        await pilot.press("greater_than_sign", "s")  # frame 25 of the 49 of shot 1.1
        await settle(pilot, lambda: app.view is not None and len(app.view["shots"]) == 7)
        assert view.selected == first
    shots = world.milimo.queries.project(pid)["shots"]
    lengths = [(s["start_frame"], s["visible_frames"]) for s in shots if s["track"] == "V1"]
    assert sorted(lengths)[:2] == [(0, 25), (25, 24)]
    assert stored(world, pid, first)["visible_frames"] == 25


async def test_delete_asks_first_then_deletes(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        await pilot.press("l")
        doomed = view.selected
        await pilot.press("x")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await settle(pilot, lambda: isinstance(app.screen, TimelineScreen))
        assert app.view is not None and len(app.view["shots"]) == 6
        await pilot.press("delete")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await settle(pilot, lambda: app.view is not None and len(app.view["shots"]) == 5)
        assert view.selected is not None and view.selected != doomed  # its neighbour
    ids = {s["id"] for s in world.milimo.queries.project(pid)["shots"]}
    assert doomed not in ids and len(ids) == 5


async def test_shift_l_and_shift_h_reorder_a_shot_within_its_scene(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        a, b, c = (s["id"] for s in shots_in_order(app)[:3])
        await pilot.press("L")
        await settle(pilot, lambda: [s["id"] for s in shots_in_order(app)[:3]] == [b, a, c])
        assert view.selected == a and view.selected_clip().start == 57  # type: ignore[union-attr]
        await pilot.press("L")
        await settle(pilot, lambda: [s["id"] for s in shots_in_order(app)[:3]] == [b, c, a])
        await pilot.press("L")  # the last of its scene: it says so and stays
        await settle(
            pilot, lambda: any("already the last" in n.message for n in app._notifications)
        )
        await pilot.press("H")
        await settle(pilot, lambda: [s["id"] for s in shots_in_order(app)[:3]] == [b, a, c])
    scene = world.milimo.queries.project(pid)["shots"]
    first_scene = sorted((s for s in scene if s["id"] in (a, b, c)), key=lambda s: s["index"])
    assert [s["id"] for s in first_scene] == [b, a, c]


async def test_m_moves_a_shot_to_the_other_video_track(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        await pilot.press("l", "m")
        moved = view.selected
        assert moved is not None
        await settle(pilot, lambda: (view_shot(app, moved) or {}).get("track") == "V2")
        assert view.track_name == "V2"
    shot = stored(world, pid, moved)
    assert (shot["track"], shot["start_frame"]) == ("V2", 49)


async def test_a_click_selects_a_clip_and_puts_the_playhead_there(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        fourth = shots_in_order(app)[3]  # scene 2's first shot: frames 171..219
        await pilot.click(TimelineView, offset=(HEADER + 45, view.band_top(0) + 1))
        assert view.selected == fourth["id"] == app.selected_shot
        assert view.playhead == 180
        await pilot.click(TimelineView, offset=(HEADER + 5, 0))  # on the ruler
        assert view.playhead == 20 and view.selected == fourth["id"]


async def test_dragging_an_edge_trims_and_dragging_a_body_reorders(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        a, b, c = (s["id"] for s in shots_in_order(app)[:3])
        row = view.band_top(0) + 1
        await pilot.mouse_down(TimelineView, offset=(HEADER, row))  # shot a's left edge
        await pilot.mouse_up(TimelineView, offset=(HEADER + 2, row))
        await settle(pilot, lambda: (view_shot(app, a) or {}).get("trim_in") == 8)
        # a now covers frames 0..40 (cells 0..9); c frames 98..162 (cells 25..40)
        await pilot.mouse_down(TimelineView, offset=(HEADER + 5, row))
        await pilot.mouse_up(TimelineView, offset=(HEADER + 30, row))
        await settle(pilot, lambda: [s["id"] for s in shots_in_order(app)[:3]] == [b, c, a])
    assert stored(world, pid, a)["trim_in"] == 8


async def test_enter_opens_the_inspector_on_the_selected_shot(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        await pilot.press("l", "enter")
        await settle(pilot, lambda: app.current_mode == "inspector")
        assert app.selected_shot == view.selected


async def test_live_progress_shows_on_the_clip_and_p_says_when_nothing_plays(
    world: World,
) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        first = view.selected
        app.jobs.append({"id": "job1", "shot_id": first, "kind": "video", "status": "running"})
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        screen.job_progress("job1", 5, 20, {})
        await pilot.press("plus", "plus")  # 2 frames a cell: room for the words
        assert "generating 25%" in drawn(view, view.band_top(0) + 2)
        await pilot.press("p")
        assert any("nothing to play" in n for n in messages(app))
        assert isinstance(app.screen, TimelineScreen)


async def test_track_flags_show_in_the_track_header(world: World) -> None:
    pid = make_film(world.milimo)
    world.milimo.studio.set_track(pid, "A1", muted=True, locked=True)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        top = view.band_top(2)
        assert drawn(view, top).startswith(" A1 audio")
        assert drawn(view, top + 1)[:HEADER].strip() == "locked"
        assert drawn(view, top + 2)[:HEADER].strip() == "muted"


async def test_keys_mute_lock_and_hide_the_track_under_the_cursor(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_timeline(app, pilot)
        assert app.view is not None
        start = app.view["version"]
        await pilot.press("M", "V")  # V1, where the cursor starts
        await settle(pilot, lambda: app.view is not None and app.view["version"] == start + 2)
        assert app.view is not None
        assert world.milimo.queries.project(pid)["tracks"]["V1"] == {
            "muted": True,
            "locked": False,
            "hidden": True,
        }
        await pilot.press("K")
        await settle(pilot, lambda: app.view is not None and app.view["tracks"]["V1"]["locked"])
        await pilot.press("s")  # a split on the locked track is refused with the domain's words
        await settle(pilot, lambda: any("locked" in e for e in errors(app)))
        await pilot.press("M")  # flags of a locked track still change: that is how to unlock
        await settle(pilot, lambda: app.view is not None and not app.view["tracks"]["V1"]["muted"])
        assert any("track V1 unmuted" in m for m in messages(app))


def big_view(shots: int) -> dict[str, Any]:
    scenes = [{"id": f"scene{k}", "index": k} for k in range(shots // 50)]
    rows, start = [], 0
    for n in range(shots):
        frames = 49 + 8 * (n % 3)
        rows.append(
            {
                "id": f"shot{n}",
                "scene_id": f"scene{n // 50}",
                "index": n % 50,
                "track": "V1" if n % 5 else "V2",
                "start_frame": start,
                "visible_frames": frames,
                "num_frames": frames,
                "trim_in": 0,
                "trim_out": 0,
                "status": "completed" if n % 2 else "pending",
                "action": f"shot {n} of a long film",
                "shot_type": "wide",
            }
        )
        start += frames
    return {"fps": 25, "shots": rows, "scenes": scenes, "tracks": {}}


class Bench(App[None]):
    def compose(self) -> ComposeResult:
        yield TimelineView()


async def test_five_hundred_shots_navigate_and_draw() -> None:
    # How fast is bench/tui.py's job (keypress → repaint in a real terminal); here, that 500
    # shots load, every line draws and the selection lands where the keys say.
    app = Bench()
    async with app.run_test(size=(160, 30)) as pilot:
        view = app.query_one(TimelineView)
        view.load(big_view(500))
        await pilot.pause()
        for n in range(400):  # a key, then every line drawn again (more than a repaint needs)
            if n < 300:
                view.step_clip(1 if n < 200 else -1)
            else:
                view.move_playhead(view.playhead + 7)
            for y in range(ROWS):
                assert view.render_line(y).cell_length == view.size.width
        on_v1 = [f"shot{n}" for n in range(500) if n % 5]
        assert view.selected == on_v1[100]  # 200 on, 100 back


def test_timeline_snapshot(world: World, deterministic: None, snap_compare: Any) -> None:
    pid = make_film(world.milimo)
    studio = world.milimo.studio
    scene = world.milimo.queries.project(pid)["scenes"][1]["id"]
    studio.add_shot(pid, scene, track="V2", start_frame=150, action="A gull on the rail")
    studio.add_shot(pid, scene, track="A1", start_frame=0, num_frames=201, action="Waves")
    studio.set_track(pid, "A1", muted=True)
    app = world.app(pid)

    async def placed(pilot: Any) -> None:
        await open_timeline(app, pilot)
        await pilot.press("l", "greater_than_sign", "greater_than_sign", "full_stop")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 36), run_before=placed)


def test_status_colours_snapshot(snap_compare: Any) -> None:
    statuses = ["pending", "queued", "generating", "completed", "failed", "cancelled"]
    view = big_view(50)
    for n, shot in enumerate(view["shots"][:12]):
        shot.update(track="V1", status=statuses[n % 6], progress=40, stale=n == 3)
    app = Bench()

    async def loaded(pilot: Any) -> None:
        timeline = app.query_one(TimelineView)
        timeline.load(view)
        timeline.set_zoom(-1)
        timeline.step_clip(1)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 16), run_before=loaded)
