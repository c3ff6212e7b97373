"""What every screen of the editor shares: the app it serves and a hook for fresh data."""

from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from tui.app import MilimoApp


class MilimoScreen(Screen[None]):
    """A mode of the editor. The app keeps the open project's view and jobs up to date and
    calls `data_changed` on the visible screen whenever they change (any process's edit or a
    worker's event); `job_progress` carries the live feed's steps between events."""

    TITLE_TEXT = ""

    @property
    def milimo(self) -> "MilimoApp":
        return cast("MilimoApp", self.app)

    def on_screen_resume(self) -> None:
        if self.milimo.ready:
            self.data_changed()

    def data_changed(self) -> None:
        """The project view, the jobs or the open project changed; redraw from `self.milimo`."""

    def job_progress(self, job_id: str, step: int, total: int, data: dict[str, Any]) -> None:
        """A live step of a running job (between store events)."""
