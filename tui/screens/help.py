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
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

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

    def keys(self, binding: Binding) -> str:
        from tui.commands import keys_display

        return keys_display(self.app, binding, getattr(self.app, "_keymap", {}))
