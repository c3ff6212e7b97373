"""History: every event of the open project, paged from the store; preview, restore, branch.

Undo and redo are the editor's global keys (u / ctrl+r); each is a new event, so it appears at
the bottom of this list like any other edit, from this process or any other.
"""

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from tui.labels import shot_labels
from tui.screens.base import MilimoScreen
from tui.screens.version_preview import VersionPreviewScreen, ask_branch, ask_restore
from tui.widgets.history_view import HistoryView, header_line
from tui.widgets.key_bar import KeyBar


class HistoryScreen(MilimoScreen):
    BINDINGS = [
        Binding("enter,p", "preview", "Preview version", id="history.preview"),
        Binding("r", "restore", "Restore to version", id="history.restore"),
        Binding("b", "branch", "Branch from version", id="history.branch"),
        Binding("j,down", "move(1)", "Down", show=False, id="history.down"),
        Binding("k,up", "move(-1)", "Up", show=False, id="history.up"),
        Binding("pagedown,ctrl+f", "page(1)", "Page down", show=False, id="history.page_down"),
        Binding("pageup,ctrl+b", "page(-1)", "Page up", show=False, id="history.page_up"),
        Binding("g,home", "first", "Oldest event", show=False, id="history.first"),
        Binding("G,end", "last", "Newest event", show=False, id="history.last"),
    ]
    DEFAULT_CSS = """
    HistoryScreen #history-header { height: 1; padding: 0 0; text-style: bold; }
    HistoryScreen #history-hint { height: 1; padding: 0 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(header_line(), id="history-header")
        yield HistoryView(id="history")
        yield Static("", id="history-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.events.on_moved = self.hint
        self.events.focus()

    @property
    def events(self) -> HistoryView:
        return self.query_one(HistoryView)

    def data_changed(self) -> None:
        if not self.is_mounted:
            return  # composed soon: resuming the screen asks again
        milimo = self.milimo
        view, pid = milimo.view, milimo.project_id
        events = self.events
        if view is None or pid is None or view["id"] != pid:
            if events.project != pid:
                events.reset(None, 0)
                self.hint()
            return
        labels = {shot_id[:8]: label for shot_id, label in shot_labels(view).items()}
        if labels != events.labels:
            events.labels = labels
            events.refresh()
        if events.project != pid:
            events.reset(pid, view["version"])
        else:
            events.set_total(view["version"])
        self.hint()

    def hint(self, version: int | None = None) -> None:
        events = self.events
        version = version or events.version
        if version is None:
            text = "no project open (1: Projects)" if self.milimo.project_id is None else "…"
        else:
            text = (
                f"v{version} of {events.total} · enter: preview · r: restore · b: branch · "
                "u / ctrl+r: undo / redo · g / G: oldest / newest"
            )
        self.query_one("#history-hint", Static).update(text, layout=False)

    @on(HistoryView.PageWanted)
    def read_page(self, message: HistoryView.PageWanted) -> None:
        io = self.milimo.io
        if io is None:
            return
        studio, events = self.milimo.services.studio, self.events
        pid, page = message.project, message.page

        def loaded(rows: list[dict[str, Any]]) -> None:
            events.page_loaded(pid, page, rows)

        def failed(error: BaseException) -> None:
            events.page_failed(page)
            self.milimo.report_error(error)

        io.submit(lambda: studio.history(pid, message.offset, message.limit), loaded, failed)

    @on(HistoryView.CursorMoved)
    def cursor_moved(self, message: HistoryView.CursorMoved) -> None:
        self.hint(message.version)

    @on(HistoryView.Chosen)
    def chosen(self, message: HistoryView.Chosen) -> None:
        self.preview(message.version)

    def selected(self) -> tuple[str, int] | None:
        pid, version = self.events.project, self.events.version
        if pid is None or version is None:
            return None
        return pid, version

    def preview(self, version: int) -> None:
        if self.events.project is not None:
            screen = VersionPreviewScreen(self.events.project, version, self.restored)
            self.app.push_screen(screen)

    def action_preview(self) -> None:
        if self.events.version is not None:
            self.preview(self.events.version)

    def action_restore(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            ask_restore(self.milimo, *chosen, self.restored)

    def restored(self, recorded: bool) -> None:
        if recorded:
            self.events.follow()  # the restore is the newest event: show it

    def action_branch(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            name = self.milimo.view["name"] if self.milimo.view else "branch"
            ask_branch(self.milimo, *chosen, name)

    def action_move(self, delta: int) -> None:
        self.events.move(delta)

    def action_page(self, direction: int) -> None:
        self.events.page(direction)

    def action_first(self) -> None:
        self.events.move_to(0)

    def action_last(self) -> None:
        self.events.move_to(self.events.total - 1)
