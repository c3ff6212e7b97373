"""The timeline on Textual's line API: a ruler and one band per track, drawing only the cells
in view.

The clips of each track are laid out once per change of the project (`load`), sorted by start
with a running maximum of their ends, so finding the clips in view is two bisections; drawn
lines are cached, and the playhead is laid over them afterwards, so moving it repaints two
columns and moving the selection repaints one or two bands. Where clips of a free track
overlap, the cells they share are drawn in a warning colour (found with the same running
maximum, so it costs nothing per frame).
"""

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal

from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from domain.project.track import TRACKS
from tui.labels import shot_label

HEADER = 12  # cells of the fixed track headers on the left
RULER_ROWS = 2
BAND_ROWS = 3
BAND_STEP = BAND_ROWS + 1  # a band and the blank row under it
ROWS = RULER_ROWS + BAND_STEP * len(TRACKS) - 1
PAD = 24  # cells of empty timeline after the last clip
ZOOMS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 50, 100, 200)  # frames per cell
RULER_SECONDS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600)

STATUS_COLOURS = {
    "pending": "#3b404c",
    "queued": "#2b4a70",
    "generating": "#6e5514",
    "completed": "#24583a",
    "failed": "#782a2a",
    "cancelled": "#4a3c58",
}
SELECTED_COLOURS = {k: Color.parse(v).lighten(0.12).hex for k, v in STATUS_COLOURS.items()}
EMPTY = Style(bgcolor="#15171c")
HEADER_STYLE = Style(color="#aab2c0", bgcolor="#23262e")
HEADER_CURSOR = Style(color="#15171c", bgcolor="#e0b050", bold=True)
RULER = Style(color="#8a93a3", bgcolor="#1b1e24")
EDGE = "#101215"
SELECTED_EDGE = "#ffd166"
PLAYHEAD = "#ff5f5f"
OVERLAP = Style(color="#ffd7a0", bgcolor="#8c3a1a", bold=True)
OVERLAP_DIM = Style(color="#ffd7a0", bgcolor="#8c3a1a", bold=True, dim=True)

Edge = Literal["in", "out", "body"]


def timecode(frame: int, fps: int) -> str:
    """HH:MM:SS:FF at `fps` frames per second."""
    fps = max(1, fps)
    seconds, frames = divmod(max(0, frame), fps)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}:{frames:02d}"


@dataclass(frozen=True, slots=True)
class Clip:
    """One shot as the timeline draws it."""

    id: str
    track: str
    scene_id: str
    start: int
    end: int
    number: str
    status: str
    stale: bool
    progress: float
    title: str
    text: str
    shot: dict[str, Any] = field(compare=False, repr=False)

    @property
    def length(self) -> int:
        return self.end - self.start

    def lines(self) -> tuple[str, str, str]:
        status = self.status
        if status == "generating":
            status = f"generating {self.progress:.0f}%"
        if self.stale:
            status = f"stale · {status}"
        return f"{self.number} {self.title}", self.text, status

    def cells(self, zoom: int) -> tuple[int, int]:
        """The cells it covers at `zoom` frames per cell, edges rounded to the nearest cell so
        that clips end to end share no cell; at least one."""
        first = (self.start + zoom // 2) // zoom
        return first, max(first + 1, (self.end + zoom // 2) // zoom)


class Lane:
    """One track's clips by start, with what the bisections need."""

    def __init__(self, name: str, clips: list[Clip], flags: dict[str, bool]):
        self.name = name
        self.clips = sorted(clips, key=lambda c: c.start)  # stable: timeline order within a start
        self.flags = flags
        self.starts = [c.start for c in self.clips]
        self.reach: list[int] = []  # reach[i]: the furthest end among clips[: i + 1]
        # shared[i]: clips[i] shares its frames [start, shared[i]) with earlier clips (every
        # earlier clip starts no later, so what they cover from its start on is one stretch).
        self.shared: list[int] = []
        furthest = 0
        for clip in self.clips:
            self.shared.append(min(clip.end, furthest))
            furthest = max(furthest, clip.end)
            self.reach.append(furthest)
        self.index = {c.id: i for i, c in enumerate(self.clips)}
        self.revision = 0

    @property
    def end(self) -> int:
        return self.reach[-1] if self.reach else 0

    def between(self, first: int, last: int) -> list[Clip]:
        """Clips showing any frame of [first, last), bottom to top."""
        lo = bisect_right(self.reach, first)
        hi = bisect_left(self.starts, last)
        return [c for c in self.clips[lo:hi] if c.end > first]

    def at_cell(self, cell: int, zoom: int) -> Clip | None:
        """The clip drawn on top at `cell`."""
        hits = [
            c
            for c in self.between((cell - 1) * zoom, (cell + 2) * zoom)
            if c.cells(zoom)[0] <= cell < c.cells(zoom)[1]
        ]
        return hits[-1] if hits else None

    def overlapping(self, clip: Clip) -> list[Clip]:
        """The other clips sharing a frame with `clip`."""
        return [c for c in self.between(clip.start, clip.end) if c.id != clip.id]

    def near(self, frame: int) -> Clip | None:
        """The clip under `frame`, else the one starting nearest to it."""
        under = self.between(frame, frame + 1)
        if under:
            return under[-1]
        i = bisect_left(self.starts, frame)
        candidates = self.clips[max(0, i - 1) : i + 1]
        return min(candidates, key=lambda c: abs(c.start - frame), default=None)

    def replace_clip(self, clip: Clip) -> None:
        self.clips[self.index[clip.id]] = clip
        self.revision += 1


def lanes_from_view(view: dict[str, Any] | None) -> dict[str, Lane]:
    shots: list[dict[str, Any]] = view["shots"] if view else []
    scenes = {s["id"]: s["index"] + 1 for s in view["scenes"]} if view else {}
    tracks: dict[str, Any] = (view or {}).get("tracks") or {}
    by_track: dict[str, list[Clip]] = {t: [] for t in TRACKS}
    ordered = sorted(shots, key=lambda s: (scenes.get(s["scene_id"], 0), s["index"]))
    for shot in ordered:
        if shot["track"] in by_track:
            by_track[shot["track"]].append(clip_of(shot, scenes))
    return {t: Lane(t, by_track[t], dict(tracks.get(t) or {})) for t in TRACKS}


def clip_of(shot: dict[str, Any], scenes: dict[str, int]) -> Clip:
    text = shot.get("action") or shot.get("dialogue") or shot.get("prompt") or ""
    start = int(shot["start_frame"])
    return Clip(
        id=shot["id"],
        track=shot["track"],
        scene_id=shot["scene_id"],
        start=start,
        end=start + max(1, int(shot["visible_frames"])),
        number=shot_label(scenes, shot),
        status=str(shot.get("status") or "pending"),
        stale=bool(shot.get("stale")),
        progress=float(shot.get("progress") or 0),
        title=str(shot.get("shot_type") or ""),
        text=" ".join(str(text).split()),
        shot=shot,
    )


@lru_cache(maxsize=64)
def clip_styles(status: str, selected: bool, dim: bool) -> tuple[Style, Style]:
    """The body's style and its edge's style."""
    bg = STATUS_COLOURS.get(status, STATUS_COLOURS["pending"])
    if selected:
        bg = SELECTED_COLOURS.get(status, SELECTED_COLOURS["pending"])
        body = Style(color="#ffffff", bgcolor=bg, bold=True, dim=dim)
        return body, Style(color=SELECTED_EDGE, bgcolor=bg, bold=True)
    return Style(color="#e8eaef", bgcolor=bg, dim=dim), Style(color=EDGE, bgcolor=bg)


class TimelineView(ScrollView, can_focus=True, inherit_bindings=False):
    """Tracks V1, V2, A1 under a ruler; the screen owns the keys, this owns the pointer."""

    DEFAULT_CSS = f"""
    TimelineView {{
        height: {ROWS + 1};
        overflow-y: hidden;
        overflow-x: auto;
        scrollbar-size-horizontal: 0;
        background: #15171c;
    }}
    """

    class Changed(Message):
        """The selection or the playhead moved."""

    # Set by the screen to answer a move in the same frame as the key (a posted message is
    # handled a frame later, which would double the repaint latency); else Changed is posted.
    on_changed: Callable[[], None] | None = None

    def _changed(self) -> None:
        if self.on_changed is not None:
            self.on_changed()
        else:
            self.post_message(self.Changed())

    class Dragged(Message):
        """A clip's body or edge was dragged by `frames` (release over `track`, on `target`)."""

        def __init__(
            self, clip: Clip, edge: Edge, frames: int, track: str | None, target: Clip | None
        ):
            super().__init__()
            self.clip = clip
            self.edge = edge
            self.frames = frames
            self.track = track
            self.target = target

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lanes = lanes_from_view(None)
        self.fps = 25
        self.total = 0
        self.zoom = 4
        self.playhead = 0
        self.track = 0  # index of the cursor's track in TRACKS
        self.selected: str | None = None
        self.loaded = False
        self._cache: LRUCache[tuple[Any, ...], Strip] = LRUCache(256)
        self._press: tuple[Clip | None, Edge, int, int] | None = None  # clip, edge, cell, row
        self._scrubbing = False

    # -- data ---------------------------------------------------------------------------------

    def load(self, view: dict[str, Any] | None, prefer: str | None = None) -> None:
        """Lay out a fresh project view, keeping the selection where it can."""
        before = self.selected_clip()
        self.lanes = lanes_from_view(view)
        self.fps = int(view.get("fps") or 25) if view else 25
        self.total = max(lane.end for lane in self.lanes.values())
        self.loaded = view is not None
        self._cache.clear()
        self.virtual_size = Size(HEADER + -(-self.total // self.zoom) + PAD, ROWS)
        wanted = prefer if prefer and self.find(prefer) else self.selected
        if wanted and self.find(wanted):
            self.selected = wanted
            self.track = TRACKS.index(self.find_required(wanted).track)
        elif before is not None:  # it went away: take its neighbour on the same track
            lane = self.lanes[before.track]
            i = bisect_left(lane.starts, before.start)
            neighbour = lane.clips[min(i, len(lane.clips) - 1)] if lane.clips else None
            self.selected = neighbour.id if neighbour else None
        else:
            self.selected = None
        if self.selected is None and self.loaded:
            first = self.lanes[TRACKS[self.track]].near(self.playhead)
            self.selected = first.id if first else None
        self.playhead = min(self.playhead, max(0, self.total - 1))
        self.refresh()
        self._changed()

    def find(self, shot_id: str) -> Clip | None:
        for lane in self.lanes.values():
            i = lane.index.get(shot_id)
            if i is not None:
                return lane.clips[i]
        return None

    def find_required(self, shot_id: str) -> Clip:
        clip = self.find(shot_id)
        assert clip is not None
        return clip

    def selected_clip(self) -> Clip | None:
        return self.find(self.selected) if self.selected else None

    def set_progress(self, shot_id: str, progress: float) -> None:
        clip = self.find(shot_id)
        if clip is None or clip.progress == progress:
            return
        self.lanes[clip.track].replace_clip(replace(clip, progress=progress, status="generating"))
        self.refresh(self.band_region(TRACKS.index(clip.track)))

    # -- geometry -----------------------------------------------------------------------------

    @property
    def track_name(self) -> str:
        return TRACKS[self.track]

    @property
    def lane_cells(self) -> int:
        return max(1, self.size.width - HEADER)

    def band_top(self, track: int) -> int:
        return RULER_ROWS + track * BAND_STEP

    def band_region(self, track: int) -> Region:
        return Region(0, self.band_top(track), self.size.width, BAND_ROWS)

    def track_at_row(self, y: int) -> int | None:
        if y < RULER_ROWS:
            return None
        track, row = divmod(y - RULER_ROWS, BAND_STEP)
        return track if track < len(TRACKS) and row < BAND_ROWS else None

    def cell_at(self, x: int) -> int:
        return max(0, x - HEADER) + int(self.scroll_offset.x)

    def cell_of(self, frame: int) -> int:
        return (frame + self.zoom // 2) // self.zoom

    def column_of(self, frame: int) -> int | None:
        x = HEADER + self.cell_of(frame) - int(self.scroll_offset.x)
        return x if HEADER <= x < self.size.width else None

    # -- moving the selection, the playhead and the view -----------------------------------

    def select(self, clip: Clip | None, track: int | None = None) -> None:
        old = (self.track, self.selected_clip())
        self.selected = clip.id if clip else self.selected
        self.track = TRACKS.index(clip.track) if clip else (self.track if track is None else track)
        for t in {old[0], self.track}:
            self.refresh(self.band_region(t))
        if old[1] is not None and clip is not None:
            self.refresh(self.band_region(TRACKS.index(old[1].track)))
        if clip is not None:
            self.reveal(clip.start, clip.end)
        self._changed()

    def step_clip(self, delta: int) -> None:
        lane = self.lanes[TRACKS[self.track]]
        current = self.selected_clip()
        if not lane.clips:
            return
        if current is None or current.track != lane.name:
            near = lane.near(self.playhead)
            self.select(near)
            return
        i = lane.index[current.id] + delta
        if 0 <= i < len(lane.clips):
            self.select(lane.clips[i])

    def step_track(self, delta: int) -> None:
        track = self.track + delta
        if not 0 <= track < len(TRACKS):
            return
        current = self.selected_clip()
        frame = current.start if current else self.playhead
        if current and current.start <= self.playhead < current.end:
            frame = self.playhead
        near = self.lanes[TRACKS[track]].near(frame)
        if near is None:
            self.selected = None
        self.select(near, track)

    def move_playhead(self, frame: int) -> None:
        frame = max(0, min(frame, self.total))
        if frame == self.playhead:
            return
        old = self.column_of(self.playhead)
        self.playhead = frame
        # The mark runs down every row under the ruler's first, the blank last one included.
        if old is not None:
            self.refresh(Region(old, 0, 1, self.size.height))
        self.reveal(frame, frame + 1)
        new = self.column_of(frame)
        if new is not None:
            self.refresh(Region(new, 0, 1, self.size.height))
        self._changed()

    def reveal(self, first: int, end: int) -> None:
        """Scroll so that frames [first, end) show; when it must, by a good part of a page, so
        that stepping along a track scrolls seldom."""
        left, width = int(self.scroll_offset.x), self.lane_cells
        first_cell = self.cell_of(first)
        end_cell = max(first_cell + 1, self.cell_of(end))
        margin = min(4, width // 4)
        if end_cell - first_cell > width - 2 * margin:
            target = first_cell - margin if not left <= first_cell < left + width else left
        elif first_cell < left + margin:  # going left: land near the right
            target = min(end_cell - width * 3 // 4, first_cell - margin)
        elif end_cell > left + width - margin:  # going right: land near the left
            target = max(first_cell - width // 4, end_cell - width + margin)
        else:
            return
        if max(0, target) != left:
            self.scroll_to(x=max(0, target), animate=False)

    def set_zoom(self, step: int) -> None:
        """Zoom in (step < 0: fewer frames per cell) or out, keeping the playhead in place."""
        i = min(range(len(ZOOMS)), key=lambda k: abs(ZOOMS[k] - self.zoom))
        zoom = ZOOMS[max(0, min(len(ZOOMS) - 1, i + step))]
        if zoom == self.zoom:
            return
        column = self.column_of(self.playhead)
        offset = (column - HEADER) if column is not None else self.lane_cells // 2
        self.zoom = zoom
        self._cache.clear()
        self.virtual_size = Size(HEADER + -(-self.total // zoom) + PAD, ROWS)
        self.scroll_to(x=max(0, self.cell_of(self.playhead) - offset), animate=False)
        self.refresh()
        self._changed()

    # -- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        left = int(self.scroll_offset.x)
        width = self.size.width
        track = self.track_at_row(y)
        selected = self.selected_clip()
        if track is None:
            key: tuple[Any, ...] = (y, left, width, self.zoom, self.total)
        else:
            lane = self.lanes[TRACKS[track]]
            mine = selected.id if selected and selected.track == lane.name else None
            key = (y, left, width, self.zoom, lane.revision, id(lane), self.track == track, mine)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._draw(y, left, width, track)
            self._cache[key] = strip
        column = self.column_of(self.playhead)
        if column is None or y == 0:
            return strip
        return overlay(strip, column, "▼" if y == 1 else "│", PLAYHEAD)

    def _draw(self, y: int, left: int, width: int, track: int | None) -> Strip:
        cells = max(0, width - HEADER)
        if y < RULER_ROWS:
            return Strip([Segment(" " * HEADER, HEADER_STYLE), *self._ruler(y, left, cells)])
        if track is None:
            return Strip([Segment(" " * HEADER, HEADER_STYLE), Segment(" " * cells, EMPTY)])
        row = (y - RULER_ROWS) % BAND_STEP
        lane = self.lanes[TRACKS[track]]
        header = self._header(lane, row)
        style = HEADER_CURSOR if track == self.track and row == 0 else HEADER_STYLE
        if not self.loaded:
            return Strip([Segment(header, style), Segment(" " * cells, EMPTY)])
        return Strip([Segment(header, style), *self._band(lane, row, left, cells)])

    def _header(self, lane: Lane, row: int) -> str:
        if row == 0:
            text = f" {lane.name} {'video' if lane.name.startswith('V') else 'audio'}"
        else:
            flags = [name for name in ("locked", "muted", "hidden") if lane.flags.get(name)]
            text = " " + " ".join(flags[row - 1 :: 2])
        return text[:HEADER].ljust(HEADER)

    def _ruler(self, y: int, left: int, cells: int) -> list[Segment]:
        seconds = next(
            (s for s in RULER_SECONDS if s * self.fps / self.zoom >= 12), RULER_SECONDS[-1]
        )
        major = seconds * self.fps
        chars = [" "] * cells
        first_frame = left * self.zoom
        mark = (first_frame // major) * major
        while True:
            cell = self.cell_of(mark) - left
            if cell >= cells:
                break
            if cell >= 0:
                if y == 0:
                    label = timecode(mark, self.fps)[:8]
                    for k, ch in enumerate(label):
                        if cell + k < cells:
                            chars[cell + k] = ch
                else:
                    chars[cell] = "|"
            if y == 1:
                for sub in range(1, 5):
                    c = self.cell_of(mark + sub * major // 5) - left
                    if 0 <= c < cells and chars[c] == " " and major // 5 >= self.zoom * 2:
                        chars[c] = "."
            mark += major
        return [Segment("".join(chars), RULER)]

    def _band(self, lane: Lane, row: int, left: int, cells: int) -> list[Segment]:
        chars = [" "] * cells
        styles: list[Style] = [EMPTY] * cells
        dim = bool(lane.flags.get("hidden") or lane.flags.get("muted"))
        visible = lane.between((left - 1) * self.zoom, (left + cells + 1) * self.zoom)
        for clip in visible:
            first, end = clip.cells(self.zoom)
            lo, hi = max(first, left) - left, min(end, left + cells) - left
            if lo >= hi:
                continue
            chosen = clip.id == self.selected
            body, edge = clip_styles(clip.status, chosen, dim)
            chars[lo:hi] = [" "] * (hi - lo)
            styles[lo:hi] = [body] * (hi - lo)
            if first >= left:
                chars[lo], styles[lo] = ("▌" if chosen else "▏"), edge
            if chosen and end <= left + cells and hi - lo > 1:
                chars[hi - 1], styles[hi - 1] = "▐", edge
            text = clip.lines()[row]
            at = lo + 1 if first >= left else lo
            room = hi - at - (1 if chosen and end <= left + cells else 0)
            if room > 0:
                shown = text[:room]
                if not shown.isascii():
                    shown = "".join(c if get_character_cell_size(c) == 1 else "?" for c in shown)
                chars[at : at + len(shown)] = shown
        overlap = OVERLAP_DIM if dim else OVERLAP
        for clip in visible:
            shared = lane.shared[lane.index[clip.id]]
            if shared <= clip.start:
                continue
            first = self.cell_of(clip.start)
            lo = max(first, left) - left
            hi = min(max(first + 1, self.cell_of(shared)), left + cells) - left
            styles[lo:hi] = [overlap] * max(0, hi - lo)
        return runs(chars, styles)

    # -- the pointer ------------------------------------------------------------------------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1 or not self.loaded:
            return
        x, y = event.x, event.y
        if x < HEADER:
            track = self.track_at_row(y)
            if track is not None:
                self.step_track(track - self.track)
            return
        cell = self.cell_at(x)
        track = self.track_at_row(y)
        if track is None:
            if y < RULER_ROWS:
                self._scrubbing = True
                self.capture_mouse()
                self.move_playhead(cell * self.zoom)
            return
        clip = self.lanes[TRACKS[track]].at_cell(cell, self.zoom)
        edge: Edge = "body"
        if clip is not None:
            first, end = clip.cells(self.zoom)
            if end - first >= 3 and cell <= first:
                edge = "in"
            elif end - first >= 3 and cell >= end - 1:
                edge = "out"
        self._press = (clip, edge, cell, y)
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._scrubbing:
            self.move_playhead(self.cell_at(event.x) * self.zoom)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self.capture_mouse(False)
        if self._scrubbing:
            self._scrubbing = False
            return
        press, self._press = self._press, None
        if press is None:
            return
        clip, edge, cell, row = press
        here = self.cell_at(event.x)
        track = self.track_at_row(event.y)
        if clip is None:  # on an empty stretch of a track: the cursor and the playhead go there
            if track is not None:
                self.track = track
                self.refresh(self.band_region(track))
            self.move_playhead(cell * self.zoom)
            return
        if here == cell and track == self.track_at_row(row):
            self.select(clip)
            self.move_playhead(max(clip.start, min(clip.end - 1, cell * self.zoom)))
            return
        target = None
        if track is not None:
            target = self.lanes[TRACKS[track]].at_cell(here, self.zoom)
        self.post_message(
            self.Dragged(
                clip,
                edge,
                (here - cell) * self.zoom,
                TRACKS[track] if track is not None else None,
                target if target is not None and target.id != clip.id else None,
            )
        )

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.prevent_default()
        event.stop()
        self.scroll_to(x=self.scroll_offset.x + 4, animate=False)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.prevent_default()
        event.stop()
        self.scroll_to(x=max(0, self.scroll_offset.x - 4), animate=False)


def runs(chars: list[str], styles: list[Style]) -> list[Segment]:
    """Cells to segments, one per run of the same style."""
    segments: list[Segment] = []
    start = 0
    for i in range(1, len(chars) + 1):
        if i == len(chars) or styles[i] is not styles[start]:
            segments.append(Segment("".join(chars[start:i]), styles[start]))
            start = i
    return segments


def overlay(strip: Strip, x: int, char: str, colour: str) -> Strip:
    """`strip` with the cell at `x` replaced by `char` in `colour`, over the cell's background
    (every cell this widget draws is one character wide)."""
    segments: list[Segment] = []
    position = 0
    for segment in strip:
        text, style = segment.text, segment.style
        k = x - position
        position += len(text)
        if not 0 <= k < len(text):
            segments.append(segment)
            continue
        if k:
            segments.append(Segment(text[:k], style))
        segments.append(Segment(char, marked(style, colour)))
        if k + 1 < len(text):
            segments.append(Segment(text[k + 1 :], style))
    return Strip(segments, strip.cell_length)


@lru_cache(maxsize=256)
def marked(style: Style | None, colour: str) -> Style:
    return (style or Style()) + Style(color=colour, bold=True)
