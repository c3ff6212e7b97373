"""One job on one line: what it is, where it stands, a progress bar, its ETA and an it/s sparkline.

A row is updated in place: by the store's view of the job (`show`, a few times a second at most)
and by the live feed's steps (`step_seen`, as often as the worker steps), each a one-line repaint.
"""

from collections import deque
from statistics import fmean
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.color import Color, ColorParseError
from textual.widget import Widget

FINAL = ("completed", "failed", "cancelled")
ACTIVE = ("pending", "queued", "running")
SPARKS = "▁▂▃▄▅▆▇█"
RATES_KEPT = 30  # it/s samples kept per job for the sparkline
RATES_FOR_ETA = 5  # the recent ones the ETA trusts
# The fixed columns around the bar and the sparkline: mark, id, kind, where, status; %, steps,
# eta, rate and the space after it.
FIXED_WIDTH = 2 + 9 + 8 + 17 + 11 + 6 + 10 + 10 + 12


def duration(seconds: float | None) -> str:
    if seconds is None or seconds < 0:
        return ""
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def sparkline(values: list[float], width: int) -> str:
    values = values[-width:]
    if not values:
        return ""
    low, high = min(values), max(values)
    span = high - low
    if span <= 0:
        return SPARKS[len(SPARKS) // 2] * len(values)
    return "".join(SPARKS[round((v - low) / span * (len(SPARKS) - 1))] for v in values)


# Each part's colour, from the theme's variables: one set of rich styles per theme, shared by
# every row (CSS component classes would restyle hundreds of rows one by one).
PARTS = {
    "done": "success",
    "done-active": "accent",
    "todo": "panel-lighten-3",
    "running": "accent",
    "completed": "success",
    "failed": "error",
    "cancelled": "warning",
    "muted": "foreground-darken-3",
    "spark": "primary-lighten-2",
}
_palettes: dict[str, dict[str, Style]] = {}


def palette(theme: str, variables: dict[str, str]) -> dict[str, Style]:
    if theme not in _palettes:
        styles = {}
        for part, variable in PARTS.items():
            try:
                styles[part] = Style(color=Color.parse(variables[variable]).rich_color)
            except (KeyError, ColorParseError):
                styles[part] = Style()
        _palettes[theme] = styles
    return _palettes[theme]


class JobRow(Widget):
    """A job's line on the Jobs screen; the `-selected` class marks the chosen one."""

    DEFAULT_CSS = """
    JobRow { height: 1; padding: 0 1; }
    JobRow.-selected { background: $primary 35%; }
    """

    def __init__(self, job: dict[str, Any], where: str = ""):
        super().__init__(id=f"job-{job['id']}")
        self.job = job
        self.where = where
        self.step: int = int(job.get("step") or 0)
        self.total: int = int(job.get("total") or 0)
        self.rates: deque[float] = deque(maxlen=RATES_KEPT)
        self._last: tuple[int, float] | None = None  # the previous live step and when it was sent

    # -- what changes a row ---------------------------------------------------------------------

    def show(self, job: dict[str, Any], where: str) -> None:
        """The store's view of the job: it may lag the live feed, so a step never goes back."""
        changed = job != self.job or where != self.where
        self.job, self.where = job, where
        if job.get("total"):
            self.total = int(job["total"])
        if job.get("step") is not None and int(job["step"]) >= self.step:
            self.step = int(job["step"])
        if job["status"] == "completed" and self.total:
            self.step = self.total
        if changed:
            self.refresh()

    def step_seen(self, step: int, total: int, sent: float | None) -> None:
        """A live step: moves the bar and, from the time between steps, the it/s and ETA."""
        if sent is not None:
            if self._last is not None and step > self._last[0] and sent > self._last[1]:
                self.rates.append((step - self._last[0]) / (sent - self._last[1]))
            if self._last is None or step != self._last[0]:
                self._last = (step, sent)
        self.step, self.total = step, total or self.total
        self.refresh()

    def select(self, selected: bool) -> None:
        self.set_class(selected, "-selected")
        self.refresh()

    # -- what a row shows -----------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def status(self) -> str:
        return str(self.job["status"])

    @property
    def percent(self) -> float:
        if self.status == "completed":
            return 100.0
        if self.total:
            return min(100.0, 100.0 * self.step / self.total)
        return float(self.job.get("progress") or 0.0)

    @property
    def rate(self) -> float | None:
        """Steps per second, over the recent live steps."""
        recent = list(self.rates)[-RATES_FOR_ETA:]
        return fmean(recent) if recent else None

    @property
    def finishing(self) -> bool:
        """Every step done, the job still running: the worker encodes and stores the result."""
        return self.status == "running" and bool(self.total) and self.step >= self.total

    @property
    def eta(self) -> float | None:
        if self.status != "running" or self.finishing:
            return None
        rate = self.rate
        if rate and self.total:
            return max(0, self.total - self.step) / rate
        eta = self.job.get("eta")
        return float(eta) if eta is not None else None

    def render(self) -> Text:
        job = self.job
        width = max(self.size.width, FIXED_WIDTH + 20)
        spark_width = min(RATES_KEPT, max(8, (width - FIXED_WIDTH) // 3))
        bar_width = max(8, width - FIXED_WIDTH - spark_width)
        colours = palette(self.app.theme, self.app.theme_variables)
        status_style = colours[self.status if self.status in colours else "muted"]
        text = Text(no_wrap=True, overflow="crop", end="", style="bold" if self.active else "")
        text.append("▶ " if self.has_class("-selected") else "  ")
        text.append(f"{job['id'][:8]} ", colours["muted"])
        text.append(f"{job['kind'][:7]:<8}")
        text.append(f"{self.where[:16]:<17}")
        status = "cancelling" if job.get("cancel_requested") and self.status in ACTIVE else None
        status = status or ("finishing" if self.finishing else None)
        text.append(f"{(status or self.status)[:10]:<11}", status_style)
        done = round(bar_width * self.percent / 100)
        text.append("━" * done, colours["done-active" if self.active else "done"])
        text.append("━" * (bar_width - done), colours["todo"])
        text.append(f"{self.percent:5.0f}%")
        steps = f"{self.step}/{self.total}" if self.total else ""
        text.append(f"{steps:>10}", colours["muted"])
        eta = self.eta
        text.append(f"{'eta ' + duration(eta) if eta is not None else '':>10}")
        rate = self.rate
        text.append(f"{f'{rate:.1f} it/s' if rate is not None else '':>11} ", colours["muted"])
        text.append(sparkline(list(self.rates), spark_width), colours["spark"])
        # Textual wraps a line wider than the row at its last space, whatever `no_wrap` says.
        text.truncate(self.size.width or width, overflow="crop")
        return text
