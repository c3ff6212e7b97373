"""The storyboard's list: scene headers and compact shot rows, drawn line by line.

Only the visible lines are drawn (Textual's line API) and each drawn line is cached until the
data changes, so a 500-shot film scrolls and moves its cursor as fast as a 5-shot one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.labels import shot_label

STATUS_STYLE = {
    "completed": "green",
    "generating": "yellow",
    "queued": "cyan",
    "failed": "red",
    "cancelled": "magenta",
    "pending": "dim",
}


@dataclass(frozen=True)
class Row:
    kind: Literal["scene", "shot"]
    id: str
    scene_id: str
    number: int  # the shot's number in the film (1-based); a scene's index
    data: dict[str, Any]  # the scene or shot as the project view has it
    shots: int = 0  # a scene's shot count
    seconds: float = 0.0  # a scene's visible length
    label: str = ""  # a shot's "2.3" (scene 2, its third shot), as every screen names it


def seconds(shot: dict[str, Any]) -> float:
    return float(shot["visible_frames"]) / max(1, int(shot.get("fps") or 25))


def what(shot: dict[str, Any]) -> str:
    """The line of the script a shot shows: its dialogue with who speaks, else its action."""
    if shot.get("dialogue"):
        who = f"{shot['character']}: " if shot.get("character") else ""
        line = f'{who}"{shot["dialogue"]}"'
    else:
        line = shot.get("action") or shot.get("prompt") or ""
    return " ".join(line.split())


def rows_of(view: dict[str, Any]) -> list[Row]:
    """Scenes in order, each followed by its shots in order."""
    by_scene: dict[str, list[dict[str, Any]]] = {s["id"]: [] for s in view["scenes"]}
    for shot in view["shots"]:  # already in film order
        by_scene.setdefault(shot["scene_id"], []).append(shot)
    rows: list[Row] = []
    number = 0
    for position, scene in enumerate(view["scenes"], 1):
        shots = by_scene[scene["id"]]
        # The scene lasts as long as its main track: V2 lies over V1, A1 under it.
        length = sum(seconds(s) for s in shots if s.get("track", "V1") == "V1")
        rows.append(
            Row("scene", scene["id"], scene["id"], scene["index"] + 1, scene, len(shots), length)
        )
        for shot in shots:
            number += 1
            label = shot_label({scene["id"]: position}, shot)
            rows.append(Row("shot", shot["id"], scene["id"], number, shot, label=label))
    return rows


def status_text(shot: dict[str, Any]) -> Text:
    status = str(shot.get("status", "pending"))
    label = f"{status} {int(shot.get('progress') or 0)}%" if status == "generating" else status
    text = Text(f"● {label}", style=STATUS_STYLE.get(status, ""))
    if shot.get("stale"):
        text.append(" stale", style="bold dark_orange")
    return text


def line_of(row: Row) -> Text:
    if row.kind == "scene":
        scene = row.data
        text = Text(f"▌ {scene['name']}", style="bold")
        if scene.get("heading") and scene["heading"] != scene["name"]:
            text.append(f"  {scene['heading']}", style="italic")
        text.append(f"   {row.shots} shot(s) · {row.seconds:.1f} s", style="dim")
        return text
    shot = row.data
    text = Text(f"{row.label:>5}  ")
    # "establishing" fills 12 cells: one more keeps it apart from the status.
    text.append(f"{shot.get('shot_type', ''):<13}", style="bold" if shot.get("dialogue") else "")
    status = status_text(shot)
    status.truncate(17, pad=True)
    text.append_text(status)
    text.append(f"{seconds(shot):>6.1f}s  ")
    if shot.get("track", "V1") != "V1":
        text.append(f"[{shot['track']}] ", style="dim")
    text.append(what(shot), style="italic" if not shot.get("dialogue") else "")
    return text


class RowCursor(ScrollView):
    """A cursor over the storyboard's rows, and its messages: what the list and the grid share.
    Each draws its own way (`cursor_moved`)."""

    rows: list[Row]
    cursor: int

    class Highlighted(Message):
        def __init__(self, row: Row | None):
            super().__init__()
            self.row = row

    class Chosen(Message):
        """Enter or a double click on a row."""

        def __init__(self, row: Row):
            super().__init__()
            self.row = row

    # Set by the screen to answer a move in the same frame as the key (a posted message is
    # handled a frame later); else Highlighted is posted.
    on_highlighted: "Callable[[Row | None], None] | None" = None

    def _highlighted(self, row: "Row | None") -> None:
        if self.on_highlighted is not None:
            self.on_highlighted(row)
        else:
            self.post_message(self.Highlighted(row))

    @property
    def current(self) -> Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def index_of(self, row_id: str) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.id == row_id), None)

    def take_rows(self, rows: list[Row], keep: str | None) -> int | None:
        """Hold new rows; where the cursor goes: the row with id `keep`, else on a first fill the
        first shot, else None (it stays at its place)."""
        first_fill = not self.rows
        self.rows = rows
        index = self.index_of(keep) if keep else None
        if index is None and first_fill:
            index = next((i for i, r in enumerate(rows) if r.kind == "shot"), 0)
        return index

    def move_to(self, index: int, force: bool = False) -> None:
        if not self.rows:
            self.cursor = 0
            self._highlighted(None)
            return
        index = max(0, min(index, len(self.rows) - 1))
        if index == self.cursor and not force:
            return
        old, self.cursor = self.cursor, index
        self.cursor_moved(old, index)
        self._highlighted(self.rows[index])

    def cursor_moved(self, old: int, index: int) -> None:
        """Redraw what the move changed and keep the cursor in view."""
        raise NotImplementedError

    def move_by(self, delta: int) -> None:
        self.move_to(self.cursor + delta)


class ShotList(RowCursor, can_focus=True):
    """Rows of scenes and shots with a cursor; the cursor may rest on a scene header too."""

    COMPONENT_CLASSES = {"shot-list--cursor", "shot-list--scene"}
    DEFAULT_CSS = """
    ShotList { overflow-x: hidden; }
    ShotList > .shot-list--cursor { background: $accent 40%; }
    ShotList:focus > .shot-list--cursor { background: $accent; color: $text; }
    ShotList > .shot-list--scene { background: $boost; }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.cursor = 0
        self._lines: dict[tuple[int, int, bool], Strip] = {}

    def set_rows(self, rows: list[Row], keep: str | None = None) -> None:
        """New rows; the cursor stays on the row with id `keep`, else at its place (on a
        first fill: on the first shot)."""
        index = self.take_rows(rows, keep)
        self._lines.clear()
        self.virtual_size = Size(0, len(rows))
        self.refresh()
        self.move_to(self.cursor if index is None else index, force=True)

    def cursor_moved(self, old: int, index: int) -> None:
        self.refresh_lines(old)
        self.refresh_lines(index)
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif height and index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False)

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        key = (index, width, index == self.cursor)
        strip = self._lines.get(key)
        if strip is None:
            row = self.rows[index]
            text = line_of(row)
            text.truncate(width, overflow="ellipsis", pad=True)
            if index == self.cursor:
                text.stylize(self.get_component_rich_style("shot-list--cursor"))
            elif row.kind == "scene":
                text.stylize(self.get_component_rich_style("shot-list--scene"))
            strip = Strip(list(text.render(self.app.console)), width).simplify()
            strip = strip.apply_style(self.rich_style)
            if len(self._lines) > 4 * max(1, self.size.height) + 16:
                self._lines.clear()
            self._lines[key] = strip
        return strip

    def on_resize(self) -> None:
        self._lines.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    def on_focus(self, event: events.Focus) -> None:
        self._lines.clear()
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self._lines.clear()
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.rows):
            self.move_to(index)
            if event.chain >= 2:
                self.post_message(self.Chosen(self.rows[index]))
