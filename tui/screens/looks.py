"""An element's looks, each with its thumbnail: enter chooses the one the element uses, then the
shots made with an older look are listed (they are stale now)."""

from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, ListItem, ListView, Static

from tui.screens.dialogs import DIALOG_CSS
from tui.widgets.thumbnail import Thumbnail

if TYPE_CHECKING:
    from tui.app import MilimoApp


def chosen_id(element: dict[str, Any]) -> str | None:
    """The look the element uses (none while its image is no look of its own)."""
    looks = {look["id"]: look for look in element.get("looks", [])}
    look = looks.get(element.get("look") or "")
    return look["id"] if look is not None and look["path"] == element.get("image") else None


def look_text(look: dict[str, Any], chosen: bool) -> Text:
    text = Text("● " if chosen else "  ", style="bold green" if chosen else "")
    text.append(f"{look['id'][:8]} {look['kind']}", style="bold")
    if look.get("edited_from"):
        text.append(f" from {look['edited_from'][:8]}", style="dim")
    if look.get("width"):
        text.append(f" · {look['width']}×{look['height']}", style="dim")
    text.append(f"\n{look['prompt']}")
    return text


def stale_text(shots: list[dict[str, Any]]) -> str:
    if not shots:
        return "no shot is stale"
    lines = [f"{len(shots)} stale shot(s), made with an older look (regenerate them):"]
    lines += [
        f"  {s['id'][:8]} {s['scene']!r} shot {s['index'] + 1}: "
        f"v{s['used_version']} → v{s['current_version']}  {s['prompt']}"
        for s in shots
    ]
    return "\n".join(lines)


class LookRow(ListItem):
    def __init__(self, look: dict[str, Any], chosen: bool):
        super().__init__()
        self.look = look
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Thumbnail(classes="look-thumb")
            yield Static(look_text(self.look, self.chosen), classes="look-text")

    def on_mount(self) -> None:
        self.query_one(Thumbnail).show(self.look["path"], self.look["id"][:8], "no picture")

    def mark(self, chosen: bool) -> None:
        self.chosen = chosen
        self.query_one(".look-text", Static).update(look_text(self.look, chosen))


class LooksScreen(ModalScreen[None]):
    """The looks of one element, oldest first; enter chooses the highlighted one."""

    DEFAULT_CSS = (
        "LooksScreen {"
        + DIALOG_CSS
        + """
    & > Vertical { width: 96; }
    ListView { height: auto; max-height: 24; }
    LookRow Horizontal { height: 8; }
    LookRow .look-thumb { width: 20; height: 8; }
    LookRow .look-text { padding: 0 1; width: 1fr; }
    #looks-stale { margin-top: 1; color: $warning; }
    }"""
    )
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="looks.close"),
        Binding("j,down", "cursor_down", "Down", show=False, id="looks.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="looks.up"),
    ]

    def __init__(self, project_id: str, element: dict[str, Any]):
        super().__init__()
        self.project_id = project_id
        self.element = element

    @property
    def milimo(self) -> "MilimoApp":
        return cast("MilimoApp", self.app)

    def compose(self) -> ComposeResult:
        chosen = chosen_id(self.element)
        looks = self.element.get("looks", [])
        with Vertical():
            yield Label(
                f"Looks of {self.element['name']} ({self.element['trigger_word']}) · "
                "enter: use it · esc: close",
                classes="title",
            )
            yield ListView(*(LookRow(look, look["id"] == chosen) for look in looks), id="looks")
            hint = "" if looks else "no looks yet: v makes one from the description"
            yield Static(hint, id="looks-stale")

    def on_mount(self) -> None:
        rows = list(self.query(LookRow))
        view = self.query_one(ListView)
        chosen = next((i for i, r in enumerate(rows) if r.chosen), len(rows) - 1)
        if rows:
            view.index = chosen
        view.focus()

    def action_cursor_down(self) -> None:
        self.query_one(ListView).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(ListView).action_cursor_up()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(ListView.Selected)
    def selected(self, event: ListView.Selected) -> None:
        row = event.item
        if not isinstance(row, LookRow):
            return
        from application.element_looks import Chosen, choose_look

        app = self.milimo
        studio = app.services.studio
        pid, element_id, look_id = self.project_id, self.element["id"], row.look["id"]
        name = self.element["name"]

        def chose(chosen: Chosen) -> None:
            for other in self.query(LookRow):
                other.mark(other.look["id"] == chosen.look.id)
            self.query_one("#looks-stale", Static).update(stale_text(chosen.stale_shots))
            how = "now" if chosen.changed else "already"
            app.notify(
                f"{name!r} uses look {look_id[:8]} {how} (v{chosen.element.version})", timeout=4
            )

        app.run_command(lambda: choose_look(studio, pid, element_id, look_id), chose)
