"""`?`: every key of the editor, with the binding ids a keymap file can remap."""

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 96%; max-width: 120; height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    HelpScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j,down", "move(1)", "Down", show=False, id="help.down"),
        Binding("k,up", "move(-1)", "Up", show=False, id="help.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="help.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="help.page_up"),
        Binding("home,g", "ends(0)", "First", show=False, id="help.first", priority=True),
        Binding("end,G", "ends(1)", "Last", show=False, id="help.last", priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                "Keys — remap any of them by id in the keymap file (see README); "
                "ctrl+p searches every command; escape closes"
            )
            yield DataTable(zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        from tui.app import MilimoApp, dialog_classes, screens

        table = self.query_one(DataTable)
        # The ids matter most (the keymap file names them): the other columns are kept narrow.
        table.add_column("where", width=18)
        table.add_column("keys", width=10)
        table.add_column("does", width=30)
        table.add_column("id")
        owners: list[tuple[str, type[Any]]] = [("everywhere", MilimoApp)]
        owners += [(t, s) for s, _, t in screens().values()]
        owners += [(f"dialog: {d.__name__.removesuffix('Screen')}", d) for d in dialog_classes()]
        for where, owner in owners:
            for binding in owner.BINDINGS:
                if isinstance(binding, Binding):
                    table.add_row(where, self.keys(binding), binding.description, binding.id or "")
        table.focus()

    def action_move(self, delta: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + delta)))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.query_one(DataTable).size.height - 2))

    def action_ends(self, end: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=(table.row_count - 1) * end)

    def keys(self, binding: Binding) -> str:
        from tui.commands import keys_display

        return keys_display(self.app, binding, getattr(self.app, "_keymap", {}))
