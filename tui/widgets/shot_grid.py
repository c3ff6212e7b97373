"""The storyboard as a grid: each scene's heading, then its shots as cards with their pictures.

It shares the list's rows and cursor (a scene heading can hold the cursor too) and is drawn the
same way: only the visible lines, each row of cards built once and cached until the data, the
cursor or one of its pictures changes. Pictures are decoded on a thread worker, only for the
cards drawn, and kept by path, so scrolling back or a refresh of the view shows them at once.
"""

from bisect import bisect_right
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PIL import Image
from rich.align import Align
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from rich_pixels import Pixels
from textual import events, work
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from tui.widgets.shot_list import Row, RowCursor, line_of, seconds, status_text, what
from tui.widgets.thumbnail import picture

PICTURE_W, PICTURE_H = 20, 6  # cells: 20 × 12 half-block pixels
CARD_W = PICTURE_W + 2  # a cell of the card each side of the picture
CARD_H = PICTURE_H + 3  # the picture; the label, the status and the first words under it
GAP = 2  # cells between two cards
ROW_H = CARD_H + 1  # a blank line under each row of cards
MARGIN = 1
LETTERBOX = Style(bgcolor="black")
KEPT_PICTURES = 512  # far more than a screen of cards, so the visible ones are never dropped

Lines = list[list[Segment]]
PictureOf = Callable[[dict[str, Any]], tuple[str | None, str]]


@dataclass(frozen=True)
class Band:
    """Lines of the grid: one scene heading, or one row of a scene's cards."""

    y: int
    height: int
    items: tuple[int, ...]  # indexes into the rows


def decode(path: str) -> Pixels | str:
    """The card's picture of the file at `path`, or why there is none (in a card's words)."""
    try:
        with Image.open(path) as image:
            return picture(image, PICTURE_W, PICTURE_H * 2)
    except FileNotFoundError:
        return "picture file missing"
    except Exception:  # any unreadable file is a placeholder, never a crash
        return "unreadable picture"


class ShotGrid(RowCursor, can_focus=True, inherit_bindings=False):
    """Cards of shots under their scenes' headings, with a cursor; `picture_of(shot)` says which
    file a shot shows (or why none)."""

    COMPONENT_CLASSES = {
        "shot-grid--card",
        "shot-grid--cursor",
        "shot-grid--scene",
        "shot-grid--placeholder",
    }
    DEFAULT_CSS = """
    ShotGrid { overflow-x: hidden; scrollbar-gutter: stable; }
    ShotGrid > .shot-grid--card { background: $boost; }
    ShotGrid > .shot-grid--cursor { background: $accent 40%; }
    ShotGrid:focus > .shot-grid--cursor { background: $accent; color: $text; }
    ShotGrid > .shot-grid--scene { background: $boost; }
    ShotGrid > .shot-grid--placeholder { background: $panel; color: $text-muted; }
    """

    class Decoded(Message):
        def __init__(self, path: str, result: Pixels | str):
            super().__init__()
            self.path = path
            self.result = result

    class Drained(Message):
        """The decoding worker found nothing more to decode and stopped."""

    def __init__(self, picture_of: PictureOf, *, id: str | None = None):
        super().__init__(id=id)
        self.picture_of = picture_of
        self.rows: list[Row] = []
        self.cursor = 0
        self.column = 0  # the column j/k keep to, as a text editor keeps its column
        self._set_column = True  # the move under way sets that column (see move_to)
        self.bands: list[Band] = []
        self._starts: list[int] = []  # each band's first line, for bisect
        self._band_of: list[int] = []  # row index → band index
        self._drawn: dict[int, tuple[list[Strip], tuple[str, ...]]] = {}  # band → lines, loading
        self._cards: dict[tuple[int, bool], Lines] = {}  # (row, under the cursor) → its lines
        self._pictures: OrderedDict[str, Lines | str] = OrderedDict()
        self._notes: dict[str, Lines] = {}  # a placeholder's lines by its words
        self._queue: deque[str] = deque()  # paths to decode; the worker takes from the left
        self._asked: set[str] = set()  # queued or being decoded
        self._decoding = False
        self._laid = 0  # the columns the layout was made for

    # -- rows and layout -----------------------------------------------------------------------

    def set_rows(self, rows: list[Row], keep: str | None = None) -> None:
        """New rows; the cursor stays on the row with id `keep`, else at its place (on a
        first fill: on the first shot)."""
        index = self.take_rows(rows, keep)
        self.layout_cards()
        self.move_to(self.cursor if index is None else index, force=True)

    @property
    def columns(self) -> int:
        width = self.scrollable_content_region.width
        return max(1, (width - MARGIN + GAP) // (CARD_W + GAP))

    def layout_cards(self) -> None:
        """Place every row: a heading on a line of its own, then its shots, `columns` a row."""
        columns = self._laid = self.columns
        bands: list[Band] = []
        band_of = [0] * len(self.rows)
        cards: list[int] = []
        y = 0

        def place(items: tuple[int, ...], height: int) -> None:
            nonlocal y
            for item in items:
                band_of[item] = len(bands)
            bands.append(Band(y, height, items))
            y += height

        def place_cards() -> None:
            for start in range(0, len(cards), columns):
                place(tuple(cards[start : start + columns]), ROW_H)
            cards.clear()

        for index, row in enumerate(self.rows):
            if row.kind == "scene":
                place_cards()
                place((index,), 1)
            else:
                cards.append(index)
        place_cards()
        self.bands, self._band_of = bands, band_of
        self._starts = [band.y for band in bands]
        self._drawn.clear()
        self._cards.clear()
        self.virtual_size = Size(0, y)
        self.refresh()

    def band_at(self, line: int) -> int | None:
        index = bisect_right(self._starts, line) - 1
        if index < 0 or line >= self.bands[index].y + self.bands[index].height:
            return None
        return index

    # -- moving --------------------------------------------------------------------------------

    def move_to(self, index: int, force: bool = False, column: bool = True) -> None:
        """`column`: a move across (h/l, a click) sets the column j/k keep to; j/k do not."""
        self._set_column = column
        super().move_to(index, force)

    def cursor_moved(self, old: int, index: int) -> None:
        band = self.bands[self._band_of[index]]
        if self._set_column and self.rows[index].kind == "shot":
            self.column = band.items.index(index)
        for row in {old, index}:
            if row < len(self._band_of):
                self._redraw(self._band_of[row])
        self.show_cursor()

    def move_rows(self, delta: int) -> None:
        """Up or down by rows of cards (a heading is a row), keeping the column."""
        if not self.rows:
            return
        here = self._band_of[self.cursor]
        there = self.bands[max(0, min(here + delta, len(self.bands) - 1))]
        if there is not self.bands[here]:
            self.move_to(there.items[min(self.column, len(there.items) - 1)], column=False)

    @property
    def rows_per_page(self) -> int:
        return max(1, self.scrollable_content_region.height // ROW_H)

    def show_cursor(self) -> None:
        """Scroll so the cursor's band (and the heading just above its row, if any) shows."""
        if not self.bands:
            return
        at = self._band_of[self.cursor]
        band = self.bands[at]
        top = band.y
        if at > 0 and band.height > 1 and self.bands[at - 1].height == 1:
            top = self.bands[at - 1].y  # its scene's first row: the heading shows too
        bottom = band.y + band.height
        scrolled, height = self.scroll_offset.y, self.scrollable_content_region.height
        if top < scrolled:
            self.scroll_to(y=top, animate=False)
        elif height and bottom > scrolled + height:  # no further than needed, unless too tall
            self.scroll_to(y=min(top, bottom - height), animate=False)

    # -- drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        at = self.band_at(line)
        if at is None:
            return Strip.blank(width, self.rich_style)
        drawn = self._drawn.get(at)
        if drawn is None:
            if len(self._drawn) > 4 * (self.size.height // ROW_H + 2) + 16:
                self._drawn.clear()
            drawn = self._drawn[at] = self._draw(self.bands[at], width)
        for path in drawn[1]:  # still loading: asked again, in case a scroll dropped it
            self._want(path)
        return drawn[0][line - self.bands[at].y]

    def _draw(self, band: Band, width: int) -> tuple[list[Strip], tuple[str, ...]]:
        base = self.rich_style
        first = self.rows[band.items[0]]
        if first.kind == "scene":
            text = line_of(first)
            text.truncate(width, overflow="ellipsis", pad=True)
            selected = band.items[0] == self.cursor
            text.stylize(self._style("cursor" if selected else "scene"))
            strip = Strip(list(text.render(self.app.console)), width).simplify()
            return [strip.apply_style(base)], ()
        loading: list[str] = []
        cards = [self._card(item, loading) for item in band.items]
        # Every segment has its style and every length is known: no measuring, no restyling.
        used = MARGIN + len(cards) * (CARD_W + GAP) - GAP
        margin, gap = Segment(" " * MARGIN, base), Segment(" " * GAP, base)
        rest = [Segment(" " * (width - used), base)] if width > used else []
        lines = []
        for offset in range(CARD_H):
            segments = [margin]
            for n, card in enumerate(cards):
                if n:
                    segments.append(gap)
                segments.extend(card[offset])
            strip = Strip([*segments, *rest], max(width, used))
            lines.append(strip if width >= used else strip.crop(0, width))
        lines += [Strip.blank(width, base)] * (band.height - CARD_H)
        return lines, tuple(loading)

    def _card(self, index: int, loading: list[str]) -> Lines:
        """The card's CARD_H lines, each CARD_W cells: picture, label, status, first words."""
        key = (index, index == self.cursor)
        cached = self._cards.get(key)
        if cached is not None:
            return cached
        row = self.rows[index]
        shot = row.data
        style = self._style("cursor" if index == self.cursor else "card")
        path, reason = self.picture_of(shot)
        if path is None:
            picture_lines = self._note(reason.replace(" · ", "\n"))
        else:
            got = self._pictures.get(path)
            if got is None:
                loading.append(path)
                self._want(path)
                picture_lines = self._note("loading…")
            elif isinstance(got, str):
                picture_lines = self._note(got)
            else:
                self._pictures.move_to_end(path)
                picture_lines = got
        side = Segment(" ", style)
        lines = [[side, *line, side] for line in picture_lines]
        label = Text.assemble((row.label, "bold"))
        label.append(f" {shot.get('shot_type') or ''}")
        length = f" {seconds(shot):.1f}s"
        label.truncate(PICTURE_W - len(length), overflow="ellipsis", pad=True)
        label.append(length)
        status = status_text(shot)
        if shot.get("track", "V1") != "V1":
            status.append(f" {shot['track']}", style="dim")
        words = Text(what(shot), style="" if shot.get("dialogue") else "italic")
        console = self.app.console
        for text in (label, status, words):
            text.truncate(PICTURE_W, overflow="ellipsis", pad=True)
            text.stylize_before(text.style)  # render() draws spans only, not the base style
            lines.append([side, *Segment.apply_style(text.render(console), style), side])
        if path is None or path in self._pictures:  # a card still loading is drawn again
            if len(self._cards) > 1024:
                self._cards.clear()
            self._cards[key] = lines
        return lines

    def _note(self, words: str) -> Lines:
        """A placeholder picture saying `words` (why there is no picture yet)."""
        note = self._notes.get(words)
        if note is None:
            style = self._style("placeholder")
            text = Text(words, justify="center")
            options = self.app.console.options.update(width=PICTURE_W)
            said = self.app.console.render_lines(text, options, style=style, pad=True)
            said = said[:PICTURE_H]
            above = (PICTURE_H - len(said)) // 2
            blank = [Segment(" " * PICTURE_W, style)]
            note = [blank] * above + said + [blank] * (PICTURE_H - above - len(said))
            self._notes[words] = note
        return note

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"shot-grid--{name}")

    def _redraw(self, band: int) -> None:
        if 0 <= band < len(self.bands):
            self._drawn.pop(band, None)
            self.refresh_lines(self.bands[band].y, self.bands[band].height)

    def _restyle(self) -> None:
        self._drawn.clear()
        self._cards.clear()
        self._notes.clear()
        self.refresh()

    def on_resize(self) -> None:
        if self.columns != self._laid:
            self.layout_cards()
        self._drawn.clear()
        self.show_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._restyle()

    def on_focus(self, event: events.Focus) -> None:
        self._restyle()

    def on_blur(self, event: events.Blur) -> None:
        self._restyle()

    # -- pictures ------------------------------------------------------------------------------

    def shown_picture(self, row_id: str) -> Lines | str | None:
        """What the card of `row_id` shows as its picture once decoded: its lines of half-block
        pixels, or why it has none (None: no file to show, or not decoded yet)."""
        index = self.index_of(row_id)
        if index is None:
            return None
        path, _ = self.picture_of(self.rows[index].data)
        return self._pictures.get(path) if path else None

    @property
    def decoding(self) -> bool:
        return self._decoding

    @property
    def pictures_kept(self) -> int:
        return len(self._pictures)

    def _want(self, path: str) -> None:
        if path in self._pictures or path in self._asked:
            return
        self._asked.add(path)
        self._queue.append(path)
        if not self._decoding:
            self._decoding = True
            self.call_later(self._decode)  # not from inside a render

    @work(thread=True, group="shot-grid-pictures", exit_on_error=False)
    def _decode(self) -> None:
        while True:
            try:
                path = self._queue.popleft()
            except IndexError:
                break
            self.post_message(self.Decoded(path, decode(path)))
        self.post_message(self.Drained())

    def on_shot_grid_decoded(self, message: Decoded) -> None:
        message.stop()
        self._asked.discard(message.path)
        result = message.result
        if isinstance(result, Pixels):
            options = self.app.console.options.update(width=PICTURE_W, height=PICTURE_H)
            framed = Align.center(result, vertical="middle", height=PICTURE_H, style=LETTERBOX)
            lines = self.app.console.render_lines(framed, options, pad=True)[:PICTURE_H]
            self._pictures[message.path] = lines
        else:
            self._pictures[message.path] = result
        while len(self._pictures) > KEPT_PICTURES:
            self._pictures.popitem(last=False)
        for at, (_, loading) in list(self._drawn.items()):
            if message.path in loading:
                self._redraw(at)

    def on_shot_grid_drained(self, message: Drained) -> None:
        message.stop()
        self._decoding = False
        if self._queue:
            self._decoding = True
            self._decode()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        # Pictures asked for cards scrolled away wait: the cards now shown ask again.
        while True:
            try:
                self._asked.discard(self._queue.popleft())
            except IndexError:
                break

    # -- the mouse -----------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        line = self.scroll_offset.y + event.y
        at = self.band_at(line)
        if at is None:
            return
        band = self.bands[at]
        if band.height == 1:
            index = band.items[0]
        else:
            column, within = divmod(event.x - MARGIN, CARD_W + GAP)
            if event.x < MARGIN or within >= CARD_W or column >= len(band.items):
                return
            index = band.items[column]
        self.move_to(index)
        if event.chain >= 2:
            self.post_message(self.Chosen(self.rows[index]))
