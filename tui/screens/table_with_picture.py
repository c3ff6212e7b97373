"""A screen of rows beside a picture: a table on the left; on the right the highlighted row's
thumbnail and details; a hint line and the key bar below (Elements, Assets)."""

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Static

from tui.screens.base import MilimoScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.thumbnail import Thumbnail


class TableWithPictureScreen(MilimoScreen):
    # Widget ids: "<plural>-body", "<plural>" (the table), "<singular>-side", "<singular>-thumb",
    # "<singular>-details", "<plural>-hint" (each screen's CSS names them).
    PLURAL: ClassVar[str]
    SINGULAR: ClassVar[str]
    COLUMNS: ClassVar[tuple[str, ...]]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id=f"{self.PLURAL}-body"):
            yield DataTable(id=self.PLURAL, cursor_type="row", zebra_stripes=True)
            with Vertical(id=f"{self.SINGULAR}-side"):
                yield Thumbnail(id=f"{self.SINGULAR}-thumb")
                with VerticalScroll():
                    yield Static("", id=f"{self.SINGULAR}-details")
        yield Static("", id=f"{self.PLURAL}-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*self.COLUMNS)
        table.focus()

    def fill(self, rows: list[dict[str, Any]], cells: Any, hint: str) -> None:
        """Show `rows` (`cells(row)` gives a row's cells), keeping the cursor on the row it was
        on where it is still there."""
        table = self.query_one(DataTable)
        keep = self.current()
        self.rows = rows
        table.clear()
        for row in rows:
            table.add_row(*cells(row), key=row["id"])
        if rows:
            ids = [r["id"] for r in rows]
            table.move_cursor(row=ids.index(keep["id"]) if keep and keep["id"] in ids else 0)
        self.query_one(f"#{self.PLURAL}-hint", Static).update(hint)
        self.show_side()

    def current(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @property
    def details(self) -> Static:
        return self.query_one(f"#{self.SINGULAR}-details", Static)

    @on(DataTable.RowHighlighted)
    def highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.show_side()

    def show_side(self) -> None:
        """Draw the highlighted row's picture and details."""
        raise NotImplementedError

    def action_cursor(self, delta: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=table.cursor_row + delta)
