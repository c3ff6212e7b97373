"""The preview player: a real MP4 plays in the terminal at its own pace; pause, seek, close."""

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from textual.widgets import Static

from tests.tui.conftest import World, settle
from tui.screens.player import PlayerScreen, timecode
from tui.widgets.key_bar import KeyBar

FPS = 25
FRAMES = 40


def make_video(path: Path, frames: int = FRAMES) -> str:
    """A small H.264 MP4 whose frames grow brighter, written with PyAV."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.time_base = Fraction(1, FPS)
        for i in range(frames):
            pixels = np.full((48, 64, 3), (i * 6) % 256, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = i
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return str(path)


def status(screen: PlayerScreen) -> str:
    return str(screen.query_one("#player-status", Static).render())


async def test_a_video_plays_to_its_last_frame_at_its_own_pace_then_closes(world: World) -> None:
    video = make_video(world.tmp / "take.mp4")
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        player = PlayerScreen(video, "take 1")
        await app.push_screen(player)
        await settle(pilot, lambda: player.shown > 0)
        await settle(pilot, lambda: player.ended, timeout=15)
        assert player.frame == FRAMES - 1 and player.fps == FPS
        assert 1 <= player.shown <= FRAMES
        assert f"frame {FRAMES - 1} · 00:00:01:14 · 25 fps · ended" in status(player)
        await pilot.press("q")
        assert app.screen is not player


async def test_pause_holds_the_frame_and_seeking_jumps_a_second(world: World) -> None:
    video = make_video(world.tmp / "take.mp4", frames=100)
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        player = PlayerScreen(video, "take 1")
        await app.push_screen(player)
        await settle(pilot, lambda: player.shown > 0)
        bar = str(player.query_one(KeyBar).build())
        assert "Undo" not in bar and "Quit" in bar, "over a dialog only what answers is shown"
        await pilot.press("space")
        await pilot.pause(0.2)
        held = player.frame
        await pilot.pause(0.4)
        assert player.frame == held and "paused" in status(player)
        await pilot.press("right")
        await settle(pilot, lambda: player.frame == held + FPS)
        await pilot.press("left", "left")
        await settle(pilot, lambda: player.frame == max(0, held - FPS))
        assert not player.ended
        await pilot.press("escape")
        assert app.screen is not player


async def test_a_missing_video_is_a_notification_not_a_crash(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        player = PlayerScreen(str(world.tmp / "gone.mp4"), "take 1")
        await app.push_screen(player)
        await settle(pilot, lambda: app.screen is not player)
        (note,) = list(app._notifications)
        assert note.severity == "error" and "cannot play: no video at" in note.message


def test_timecodes_count_hours_minutes_seconds_and_frames() -> None:
    assert timecode(0, 25) == "00:00:00:00"
    assert timecode(39, 25) == "00:00:01:14"
    assert timecode(25 * 3661 + 3, 25) == "01:01:01:03"
