"""The preview player: a take or the rendered film, at low resolution, in the terminal.

A thread worker decodes (the services' frame reader, PyAV), turns each frame into half-block
pixels and posts it; the UI shows whatever frame is newest. Frames that are late are dropped,
in the worker and in the message queue (`can_replace`), so the film keeps its time on a slow
terminal or link. Seeking restarts the decoder and skips to the frame.
"""

import threading
import time
from typing import TYPE_CHECKING, cast

from rich.align import Align
from rich_pixels import Pixels
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, Static
from textual.worker import get_current_worker

from tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from tui.app import MilimoApp


def timecode(frame: int, fps: float) -> str:
    per_second = max(1, round(fps))
    seconds, frames = divmod(frame, per_second)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02}:{minutes:02}:{seconds:02}:{frames:02}"


class Frame(Message):
    """A decoded frame; a newer one replaces it while it waits, so frames drop, never queue."""

    def __init__(self, run: int, index: int, fps: float, pixels: Pixels):
        super().__init__()
        self.run = run
        self.index = index
        self.fps = fps
        self.pixels = pixels

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Frame)


class Ended(Message):
    def __init__(self, run: int, index: int, error: str | None = None):
        super().__init__()
        self.run = run
        self.index = index
        self.error = error


class PlayerScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("space", "pause", "Play/pause", id="player.pause"),
        Binding("left,h", "seek(-1)", "−1 s", id="player.back"),
        Binding("right,l", "seek(1)", "+1 s", id="player.forward"),
        Binding("escape,q", "close", "Close", id="player.close"),
    ]
    DEFAULT_CSS = """
    PlayerScreen { align: center middle; }
    PlayerScreen > Vertical {
        width: 90%; height: 90%; border: thick $accent; background: $surface; padding: 0 1;
    }
    PlayerScreen #player-title { text-style: bold; }
    PlayerScreen #player-frame { height: 1fr; }
    PlayerScreen #player-status { height: 1; color: $text-muted; }
    """

    def __init__(self, path: str, title: str = ""):
        super().__init__()
        self.path = path
        self.title_text = title or path
        self.fps = 25.0
        self.frame = 0  # the frame on screen
        self.shown = 0  # frames drawn since the player opened
        self.ended = False
        self._run = 0  # which decoder run the frames on screen come from
        self._paused = threading.Event()

    @property
    def milimo(self) -> "MilimoApp":
        return cast("MilimoApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, id="player-title")
            yield Static("", id="player-frame")
            yield Static("opening…", id="player-status")
            yield KeyBar()

    def on_mount(self) -> None:
        if self.milimo.services.read_frames is None:
            self.app.notify("this editor cannot decode video", severity="error")
            self.dismiss(None)
            return
        self.call_after_refresh(self.play_from, 0)

    def play_from(self, frame: int) -> None:
        self._run += 1
        self.ended = False
        area = self.query_one("#player-frame").content_size
        self._decode(self._run, max(0, frame), max(8, area.width), max(4, area.height * 2))

    @work(thread=True, exclusive=True, group="player", exit_on_error=False)
    def _decode(self, run: int, start: int, width: int, height: int) -> None:
        reader = self.milimo.services.read_frames
        assert reader is not None
        worker = get_current_worker()
        index = start - 1
        try:
            fps, frames = reader(self.path, width, height)
        except Exception as error:  # a missing or broken file is a notification
            self.post_message(Ended(run, index, str(error) or type(error).__name__))
            return
        step = 1.0 / max(1.0, fps)
        began = 0.0
        try:
            for index, image in enumerate(frames):
                if worker.is_cancelled:
                    return
                if index < start:
                    continue  # seeking: decode up to the frame, show nothing
                if index == start:
                    began = time.monotonic()  # the clock starts at the first frame shown
                elif self._paused.is_set():
                    while self._paused.is_set() and not worker.is_cancelled:
                        time.sleep(0.02)
                    if worker.is_cancelled:
                        return
                    began = time.monotonic() - (index - start) * step
                due = began + (index - start) * step
                late = time.monotonic() - due
                if late > step:
                    continue  # behind time: drop this frame
                if late < 0:
                    time.sleep(-late)
                self.post_message(Frame(run, index, fps, Pixels.from_image(image)))
        except Exception as error:
            self.post_message(Ended(run, index, f"cannot decode {self.path}: {error}"))
            return
        finally:
            close = getattr(frames, "close", None)
            if close is not None:
                close()
        if not worker.is_cancelled:
            self.post_message(Ended(run, index))

    def on_frame(self, message: Frame) -> None:
        if message.run != self._run:
            return
        self.fps, self.frame = message.fps, message.index
        self.shown += 1
        self.query_one("#player-frame", Static).update(Align.center(message.pixels))
        self.show_status()

    def on_ended(self, message: Ended) -> None:
        if message.run != self._run:
            return
        if message.error:
            self.app.notify(f"cannot play: {message.error}", severity="error", timeout=8)
            self.dismiss(None)
            return
        self.ended = True
        self.frame = max(self.frame, message.index)  # its last frame may have been dropped
        self.show_status()

    def show_status(self) -> None:
        if self.ended:
            state = "ended · space plays again"
        elif self._paused.is_set():
            state = "paused · space plays"
        else:
            state = "playing · space pauses"
        self.query_one("#player-status", Static).update(
            f"frame {self.frame} · {timecode(self.frame, self.fps)} · {self.fps:g} fps · "
            f"{state} · ←/→ 1 s · esc close"
        )

    def action_pause(self) -> None:
        if self.ended:
            self._paused.clear()
            self.play_from(0)
        elif self._paused.is_set():
            self._paused.clear()
        else:
            self._paused.set()
        self.show_status()

    def action_seek(self, seconds: int) -> None:
        self.play_from(self.frame + seconds * max(1, round(self.fps)))

    def action_close(self) -> None:
        self._run += 1
        self._paused.clear()
        self.workers.cancel_group(self, "player")
        self.dismiss(None)
