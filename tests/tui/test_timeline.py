"""Timeline: select, zoom, trim, split, delete, reorder, undo — by keys and by mouse."""

from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.geometry import Region

from tests.tui.conftest import World, make_film, settle
from tui.app import MilimoApp
from tui.screens.dialogs import ConfirmScreen
from tui.screens.timeline import TimelineScreen
from tui.widgets.timeline_view import HEADER, OVERLAP, ROWS, TimelineView, timecode


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
        await pilot.press("home")
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


async def test_zero_shows_the_workers_screen_from_the_timeline_too(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        await pilot.press("greater_than_sign", "0")
        await settle(pilot, lambda: app.current_mode == "workers")
        await pilot.press("3")
        await settle(pilot, lambda: app.current_mode == "timeline")
        assert view.playhead == 25
        await pilot.press("home")  # the start of the timeline is on home (and ^)
        assert view.playhead == 0
        await pilot.press("greater_than_sign", "circumflex_accent")
        assert view.playhead == 0


def test_no_screen_takes_a_key_that_shows_a_screen() -> None:
    from tui.app import SCREEN_MODULES, screens

    screen_keys = {key for _, _, key, _ in SCREEN_MODULES.values()}
    taken = [
        (mode, binding.id, binding.key)
        for mode, (screen, _, _) in screens().items()
        for binding in screen.BINDINGS
        if isinstance(binding, Binding)
        and screen_keys & {k.strip() for k in binding.key.split(",")}
    ]
    assert taken == []


LOCKED_HERE = "track V1 is locked: K unlocks the track"


async def test_a_locked_track_refuses_edits_before_asking_and_says_how_to_unlock_here(
    world: World,
) -> None:
    pid = make_film(world.milimo)
    world.milimo.studio.set_track(pid, "V1", locked=True)
    version = world.milimo.queries.project(pid)["version"]
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        await pilot.press("l", "x")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)  # no "Delete shot …?" first
        assert errors(app) == [LOCKED_HERE]
        keys = ["i", "o", "left_square_bracket", "right_curly_bracket", "s", "L", "H", "m"]
        for n, key in enumerate(keys, 2):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, TimelineScreen)
            assert errors(app) == [LOCKED_HERE] * n, key
        row = view.band_top(0) + 1
        await pilot.mouse_down(TimelineView, offset=(HEADER, row))  # shot 1.1's left edge
        await pilot.mouse_up(TimelineView, offset=(HEADER + 2, row))
        await pilot.mouse_down(TimelineView, offset=(HEADER + 5, row))  # its body, onto 1.3
        await pilot.mouse_up(TimelineView, offset=(HEADER + 30, row))
        await settle(pilot, lambda: len(errors(app)) == len(keys) + 3)
        assert set(errors(app)) == {LOCKED_HERE}
        await pilot.press("K")  # as it says: the track unlocks and the delete asks again
        await settle(pilot, lambda: app.view is not None and not app.view["tracks"]["V1"]["locked"])
        await pilot.press("x")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
    assert world.milimo.queries.project(pid)["version"] == version + 1  # the unlock only


async def test_a_move_onto_a_locked_track_names_it_and_how_to_get_there(world: World) -> None:
    pid = make_film(world.milimo)
    world.milimo.studio.set_track(pid, "V2", locked=True)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_timeline(app, pilot)
        await pilot.press("m")
        await settle(pilot, lambda: errors(app))
        assert errors(app) == ["track V2 is locked: j/k to V2, then K unlocks the track"]


async def test_a_lock_made_elsewhere_is_refused_in_the_editors_terms(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        first = view.selected
        world.milimo.studio.set_track(pid, "V1", locked=True)  # the view still shows it open
        screen.edit(lambda studio, p: studio.split_shot(p, first, 10), "split")
        await settle(pilot, lambda: errors(app))
        assert errors(app) == [LOCKED_HERE]
        assert "split" not in messages(app)


async def test_a_move_that_changes_nothing_says_so(world: World) -> None:
    pid = make_film(world.milimo)
    scene = world.milimo.queries.project(pid)["scenes"][0]["id"]
    gull = world.milimo.studio.add_shot(pid, scene, track="V2", start_frame=0, action="Gull")
    version = world.milimo.queries.project(pid)["version"]
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        await pilot.press("j")
        assert view.selected == gull
        await pilot.press("H")
        await settle(pilot, lambda: messages(app))
        assert messages(app) == ["shot 1.4 is already at the start of V2: nothing moved"]
        await pilot.press("i")  # the playhead is at its first frame
        await settle(pilot, lambda: len(messages(app)) == 2)
        assert messages(app)[1] == "shot 1.4 already starts there: nothing trimmed"
    assert world.milimo.queries.project(pid)["version"] == version


async def test_a_reordered_shot_is_named_by_its_label_after_the_move(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        await pilot.press("l", "l")
        moved = view.selected
        await pilot.press("H")
        await settle(pilot, lambda: (view_shot(app, moved) or {}).get("index") == 1)
        await settle(pilot, lambda: messages(app))
        assert messages(app) == ["shot 1.2 moved (was 1.3)"]
        row = view.band_top(0) + 1
        await pilot.mouse_down(TimelineView, offset=(HEADER + 15, row))  # 1.2, onto 2.2
        await pilot.mouse_up(TimelineView, offset=(HEADER + 57, row))
        assert app.view is not None
        scene_two = app.view["scenes"][1]["id"]
        await settle(pilot, lambda: (view_shot(app, moved) or {}).get("scene_id") == scene_two)
        await settle(pilot, lambda: len(messages(app)) == 2)
        assert messages(app)[1] == "shot 2.2 moved (was 1.2)"
        assert (view_shot(app, moved) or {}).get("index") == 1


async def test_a_trim_in_on_v2_keeps_the_clip_out_point_by_mouse_and_by_key(world: World) -> None:
    pid = make_film(world.milimo)
    scene = world.milimo.queries.project(pid)["scenes"][0]["id"]
    gull = world.milimo.studio.add_shot(
        pid, scene, track="V2", start_frame=40, action="Gull", num_frames=49
    )

    def placed() -> tuple[int, int, int]:
        shot = view_shot(app, gull) or {}
        return shot.get("trim_in", -1), shot.get("start_frame", -1), shot.get("visible_frames", -1)

    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        assert placed() == (0, 40, 49)  # frames 40..88: cells 10..21 at 4 frames a cell
        row = view.band_top(1) + 1
        await pilot.mouse_down(TimelineView, offset=(HEADER + 10, row))  # its left edge
        await pilot.mouse_up(TimelineView, offset=(HEADER + 12, row))  # 8 frames later
        await settle(pilot, lambda: placed() == (8, 48, 41))
        await pilot.press("j", "g", *["full_stop"] * 10, "i")  # trim in at frame 58
        await settle(pilot, lambda: placed() == (18, 58, 31))
        await pilot.press("left_curly_bracket")  # a frame back: it starts a frame earlier
        await settle(pilot, lambda: placed() == (17, 57, 32))
    shot = stored(world, pid, gull)
    assert shot["start_frame"] + shot["visible_frames"] == 89  # where it always ended


async def test_moving_the_playhead_leaves_no_mark_behind(world: World) -> None:
    pid = make_film(world.milimo)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        width, height = view.size

        def marks(y: int) -> list[int]:
            line = view.render_lines(Region(0, 0, width, height))[y].text  # as on the screen
            return [x for x, ch in enumerate(line) if ch == "│"]

        assert marks(height - 1) == [HEADER]  # the bottom row, under A1's band
        await pilot.press(*["full_stop"] * 8)
        await pilot.pause()
        assert [marks(y) for y in (height - 1, view.band_top(0) + 1)] == [[HEADER + 2]] * 2


async def test_overlapping_clips_show_where_they_overlap(world: World) -> None:
    pid = make_film(world.milimo)
    scene = world.milimo.queries.project(pid)["scenes"][0]["id"]
    studio = world.milimo.studio
    for start, action in ((0, "Gull"), (20, "Rain"), (69, "Fog")):  # 0..48, 20..68, 69..117
        studio.add_shot(pid, scene, track="V2", start_frame=start, action=action, num_frames=49)
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_timeline(app, pilot)
        await pilot.press("j")

        def overlapped(y: int) -> list[int]:
            cells: list[int] = []
            for segment in view.render_line(y):
                cells += [segment.style == OVERLAP] * len(segment.text)
            return [x - HEADER for x, hit in enumerate(cells) if hit]

        band = view.band_top(1)
        assert [overlapped(y) for y in range(band, band + 3)] == [list(range(5, 12))] * 3
        assert overlapped(view.band_top(0) + 1) == []
        details = str(app.screen.query_one("#timeline-clip").render())
        assert "1.4 V2" in details and "overlaps 1.5" in details
        await pilot.press("l", "l")
        details = str(app.screen.query_one("#timeline-clip").render())
        assert "1.6 V2" in details and "overlaps" not in details


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
