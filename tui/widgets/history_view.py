"""Every event of a project, one line each, drawn only where the screen shows it.

The view knows how many events there are (the project's version) and draws the visible lines
from pages of rows kept in a small LRU cache. A line whose page is not loaded yet draws a
placeholder and asks for its page (`PageWanted`); the screen reads it on the I/O thread and
hands it back with `page_loaded`. Events never change once recorded, so a loaded page stays
valid: only the newest, partial page is dropped when events are appended.
"""

import re
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

PAGE = 200  # rows per read
CACHED_PAGES = 50  # 10,000 rows in memory at most

# Column widths; the summary takes what is left.
COLUMNS = (("version", 8), ("time", 20), ("actor", 18), ("type", 24), ("summary", 0))
# Events that move the project through its own history stand out.
TIME_TRAVEL = frozenset({"EditUndone", "EditRedone", "ProjectRestored"})


def header_line() -> str:
    return "".join(f"{name:<{width}}" if width else name for name, width in COLUMNS)


_SHOT_ID = re.compile(r"\bshot ([0-9a-f]{8})\b")


def named_shots(summary: str, labels: dict[str, str]) -> str:
    """ "shot 3fa2c0de" → "shot 2.3" for shots the film has now (`labels`: the id's first 8
    characters → label); a shot since removed keeps its id."""
    if not labels or "shot " not in summary:
        return summary
    return _SHOT_ID.sub(lambda m: f"shot {labels.get(m[1], m[1])}", summary)


def row_text(
    row: dict[str, Any], labels: dict[str, str] | None = None
) -> tuple[str, str, str, str, str]:
    return (
        f"v{row['version']}",
        row["at"][:19].replace("T", " "),
        row["actor"],
        row["type"],
        named_shots(row["summary"], labels or {}),
    )


def fit(text: str, width: int) -> str:
    """`text` in a column of `width` cells with one space after it, cut with an ellipsis."""
    if len(text) >= width:
        return text[: width - 2] + "… "
    return text.ljust(width)


class HistoryView(ScrollView, can_focus=True, inherit_bindings=False):
    """The screen owns the keys (they are remappable there); this draws and moves the cursor."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "history-view--cursor",
        "history-view--version",
        "history-view--muted",
        "history-view--undo",
    }
    DEFAULT_CSS = """
    HistoryView { height: 1fr; overflow-x: hidden; background: $surface; }
    HistoryView > .history-view--cursor { background: $accent 30%; text-style: bold; }
    HistoryView:focus > .history-view--cursor { background: $accent 60%; }
    HistoryView > .history-view--version { color: $accent; }
    HistoryView > .history-view--muted { color: $text-muted; }
    HistoryView > .history-view--undo { color: $warning; }
    """

    class PageWanted(Message):
        """Rows `offset+1 ..` (`limit` of them) of `project` are needed to draw."""

        def __init__(self, project: str, page: int):
            super().__init__()
            self.project = project
            self.page = page
            self.offset = page * PAGE
            self.limit = PAGE

    class Chosen(Message):
        """The user chose the event at `version` (enter or a double click)."""

        def __init__(self, version: int):
            super().__init__()
            self.version = version

    class CursorMoved(Message):
        def __init__(self, version: int):
            super().__init__()
            self.version = version

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, HistoryView.CursorMoved)

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.project: str | None = None
        self.total = 0
        self.labels: dict[str, str] = {}  # a shot id's first 8 characters → "2.3"
        self.cursor = 0
        self._pages: OrderedDict[int, list[dict[str, Any]]] = OrderedDict()
        self._asked: dict[int, int] = {}  # page → the total when it was requested
        self._settled: set[int] = set()  # pages not asked again until the history grows
        self._follow = False
        self._styles: dict[tuple[bool, str], Style] | None = None

    # -- what to show --------------------------------------------------------------------------

    def reset(self, project: str | None, total: int) -> None:
        """Show another project (or none): forget every page, the cursor on the newest."""
        self.project = project
        self._pages.clear()
        self._asked.clear()
        self._settled.clear()
        self.total = total
        self.cursor = max(0, total - 1)
        self._resize()
        self.scroll_to_cursor()
        self.call_after_refresh(self.scroll_to_cursor)  # once the new size is laid out
        self._moved()

    def set_total(self, total: int) -> None:
        """The project has `total` events now. A cursor on the newest follows the new ones."""
        if total == self.total:
            return
        at_end = self.cursor >= self.total - 1 or self._follow
        self._follow = False
        for page in [p for p, rows in self._pages.items() if len(rows) < PAGE]:
            del self._pages[page]
        self.total = total
        self._settled.clear()
        self.cursor = max(0, total - 1) if at_end else min(self.cursor, max(0, total - 1))
        self._resize()
        self.refresh()
        self.scroll_to_cursor()
        self.call_after_refresh(self.scroll_to_cursor)
        self._moved()

    def follow(self) -> None:
        """Move the cursor to the newest event once the next ones arrive."""
        self._follow = True

    def page_loaded(self, project: str, page: int, rows: list[dict[str, Any]]) -> None:
        asked_at = self._asked.pop(page, None)
        if project != self.project:
            return
        if asked_at == self.total and len(rows) < min(PAGE, self.total - page * PAGE):
            self._settled.add(page)  # the store has no more: placeholders, not a loop
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        self.refresh_lines(page * PAGE, PAGE)

    def page_failed(self, page: int) -> None:
        self._asked.pop(page, None)
        self._settled.add(page)

    def row(self, index: int) -> dict[str, Any] | None:
        """The loaded row at `index` (0 is version 1), or None while its page is not here."""
        page = self._pages.get(index // PAGE)
        if page is None or index % PAGE >= len(page):
            return None
        return page[index % PAGE]

    @property
    def version(self) -> int | None:
        """The version under the cursor."""
        return self.cursor + 1 if self.total else None

    def _resize(self) -> None:
        self.virtual_size = Size(0, self.total)

    # -- moving --------------------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        if not self.total:
            return
        index = max(0, min(index, self.total - 1))
        if index == self.cursor:
            return
        old, self.cursor = self.cursor, index
        self.refresh_line(old)
        self.refresh_line(index)
        self.scroll_to_cursor()
        self._moved()

    def move(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def page(self, direction: int) -> None:
        self.move(direction * max(1, self.size.height - 1))

    def scroll_to_cursor(self) -> None:
        height = max(1, self.size.height)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, force=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, force=True)

    # Set by the screen to answer a move in the same frame as the key (a posted message is
    # handled a frame later); else CursorMoved is posted.
    on_moved: "Callable[[int], None] | None" = None

    def _moved(self) -> None:
        if not self.total:
            return
        if self.on_moved is not None:
            self.on_moved(self.cursor + 1)
        else:
            self.post_message(self.CursorMoved(self.cursor + 1))

    def on_click(self, event: events.Click) -> None:
        index = event.y + self.scroll_offset.y
        if 0 <= index < self.total:
            self.move_to(index)
            if event.chain >= 2:
                self.post_message(self.Chosen(index + 1))

    # -- drawing -------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def on_focus(self) -> None:
        self._styles = None  # the cursor looks different with and without focus

    def on_blur(self) -> None:
        self._styles = None

    def styles_now(self) -> dict[tuple[bool, str], Style]:
        """(on the cursor, part) → style, worked out once rather than for every line drawn."""
        if self._styles is None:
            base = self.rich_style
            lines = {
                False: base,
                True: base + self.get_component_rich_style("history-view--cursor"),
            }
            parts = {"": Style()}
            for name in ("version", "muted", "undo"):
                parts[name] = self.get_component_rich_style(f"history-view--{name}", partial=True)
            self._styles = {
                (on, name): line + part
                for on, line in lines.items()
                for name, part in parts.items()
            }
        return self._styles

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        styles = self.styles_now()
        if index >= self.total:
            return Strip.blank(width, styles[False, ""])
        on = index == self.cursor
        style, muted = styles[on, ""], styles[on, "muted"]
        row = self.row(index)
        if row is None:
            self._want(index // PAGE)
            segments = [Segment(fit(f"v{index + 1}", COLUMNS[0][1]), muted), Segment("…", muted)]
        else:
            version, at, actor, kind, summary = row_text(row, self.labels)
            segments = [
                Segment(fit(version, COLUMNS[0][1]), styles[on, "version"]),
                Segment(fit(at, COLUMNS[1][1]), muted),
                Segment(fit(actor, COLUMNS[2][1]), muted),
                Segment(
                    fit(kind, COLUMNS[3][1]), styles[on, "undo"] if kind in TIME_TRAVEL else style
                ),
                Segment(summary, style),
            ]
        return Strip(segments).crop_extend(0, width, style)

    def _want(self, page: int) -> None:
        if page in self._asked or page in self._settled or self.project is None:
            return
        self._asked[page] = self.total
        self.post_message(self.PageWanted(self.project, page))
