"""Audit: every generation of the open project with all its inputs; filter, copy, reproduce.
`l` shows the project's ledger instead (machine time by shot, backend or day; `g` regroups).

The rows are the open project's jobs the editor already keeps (`app.jobs`), as
`milimo audit` shows them (`application.job_view.audit_entry`); filtering them needs no I/O.
The ledger is read from the job events on the I/O thread, again only when a job changes.
"""

import json
from collections.abc import Callable
from typing import Any, get_args

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Header, Input, Static

from application.job_view import audit_entry
from application.ledger import Ledger
from domain.job.status import JOB_KINDS, JobStatus
from tui.labels import shot_labels
from tui.screens.base import MilimoScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.ledger_table import LedgerTable

FILTER_KEYS = ("shot", "status", "backend", "kind")
LEDGER_GROUPS = ("shot", "backend", "day")
# Keys that act on the generations' table: idle while the ledger covers it.
AUDIT_ACTIONS = frozenset({"filter", "reproduce", "copy", "cursor"})
STATUS_STYLE = {
    "completed": "green",
    "failed": "red",
    "cancelled": "yellow",
    "running": "cyan",
    "queued": "blue",
    "pending": "blue",
}


def parse_filter(text: str) -> dict[str, list[str]]:
    """`shot:3 status:failed backend:ltx storm` → {"shot": ["3"], …, "": ["storm"]}."""
    terms: dict[str, list[str]] = {}
    for word in text.lower().split():
        key, colon, value = word.partition(":")
        if colon and key in FILTER_KEYS and value:
            terms.setdefault(key, []).append(value)
        elif not colon or value or key not in FILTER_KEYS:
            terms.setdefault("", []).append(word)
    return terms


KNOWN_VALUES = {"status": get_args(JobStatus), "kind": JOB_KINDS}


def unknown_terms(terms: dict[str, list[str]]) -> list[str]:
    """What a filter names that no job can have: `status:bogus` matches nothing, and says so."""
    return [
        f"no {key} {value!r} (one of {', '.join(known)})"
        for key, known in KNOWN_VALUES.items()
        for value in terms.get(key, [])
        if not any(k.startswith(value) for k in known)
    ]


def shot_matches(
    entry: dict[str, Any],
    ref: str,
    numbers: dict[str, int],
    labels: dict[str, str] | None = None,
) -> bool:
    """A shot by its label ("2.3"), its number in the film (1 is the first) or an id prefix."""
    shot_id = entry["shot_id"] or ""
    if ref.isdigit() and numbers.get(shot_id) == int(ref):
        return True
    if "." in ref and labels is not None and labels.get(shot_id) == ref:
        return True
    return bool(shot_id) and shot_id.startswith(ref.replace("-", ""))


def backend_of(entry: dict[str, Any]) -> str:
    return str(entry["request"].get("backend") or "")


def matches(
    entry: dict[str, Any],
    terms: dict[str, list[str]],
    numbers: dict[str, int],
    labels: dict[str, str] | None = None,
) -> bool:
    """Every kind of term must hold; several values of one kind are alternatives."""
    checks: dict[str, Callable[[str], bool]] = {
        "shot": lambda v: shot_matches(entry, v, numbers, labels),
        "status": lambda v: entry["status"].startswith(v),
        "backend": lambda v: v in backend_of(entry).lower(),
        "kind": lambda v: entry["kind"].startswith(v),
    }
    for key, values in terms.items():
        if key and not any(checks[key](v) for v in values):
            return False
    text = haystack(entry)
    return all(word in text for word in terms.get("", []))


def haystack(entry: dict[str, Any]) -> str:
    r = entry["request"]
    error = entry["error"] or {}
    parts = [entry["job_id"], entry["status"], entry["kind"], entry["actor"], backend_of(entry)]
    parts += [str(r.get(k) or "") for k in ("model", "prompt", "original_prompt", "seed")]
    parts += [str(error.get("message") or "")]
    return " ".join(parts).lower()


def size_of(r: dict[str, Any]) -> str:
    return f"{r['width']}x{r['height']}" if r.get("width") and r.get("height") else ""


def seconds(timings: dict[str, Any] | None) -> str:
    if not timings:
        return ""
    return " · ".join(f"{k} {v:.2f}s" for k, v in timings.items() if isinstance(v, int | float))


def model_line(request: dict[str, Any], model: dict[str, Any]) -> str:
    parts = (
        model.get("id") or request.get("model"),
        model.get("version"),
        model.get("weights_hash"),
    )
    return " ".join(str(p) for p in parts if p)


def detail(entry: dict[str, Any], number: str | None) -> RenderableType:
    """The selected generation: its parameters as a table, then its full request as JSON."""
    r, model, error = entry["request"], entry["model"] or {}, entry["error"]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    shot = entry["shot_id"] or "-"
    rows: list[tuple[str, Any]] = [
        ("job", entry["job_id"]),
        ("status", Text(entry["status"], style=STATUS_STYLE.get(entry["status"], ""))),
        ("kind", entry["kind"]),
        ("shot", f"{number} ({shot})" if number else shot),
        ("requested", f"{entry['requested_at'][:19].replace('T', ' ')} by {entry['actor']}"),
        ("backend", r.get("backend")),
        ("model", model_line(r, model)),
        ("seed", r.get("seed")),
        ("steps", r.get("num_inference_steps")),
        ("cfg", r.get("cfg_scale")),
        ("size", size_of(r)),
        ("frames", f"{r['num_frames']} @ {r.get('fps')} fps" if r.get("num_frames") else None),
        ("pipeline", r.get("pipeline")),
        ("prompt", r.get("prompt")),
        ("original", r.get("original_prompt")),
        ("composed", r.get("composed_prompt")),
        ("negative", r.get("negative_prompt")),
        ("enhancer", " ".join(str(v) for v in (r.get("enhancer") or {}).values() if v)),
        ("timings", seconds(entry["timings"])),
        ("output", (entry["output"] or {}).get("path")),
        ("error", f"{error['type']}: {error['message']}" if error else None),
        ("retry of", entry["retry_of"]),
        ("retried by", entry["retried_by"]),
    ]
    for label, value in rows:
        if value not in (None, ""):
            grid.add_row(label, value if isinstance(value, Text) else str(value))
    request = Syntax(
        json.dumps(r, indent=2, ensure_ascii=False),
        "json",
        theme="ansi_dark",
        word_wrap=True,
        background_color="default",
    )
    return Group(grid, Text(), Text("request", style="bold underline"), request)


class AuditScreen(MilimoScreen):
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="audit.filter", key_display="/"),
        Binding("escape", "leave_filter", "Clear filter", show=False, id="audit.clear_filter"),
        Binding("r", "reproduce", "Reproduce", id="audit.reproduce"),
        Binding("c", "copy", "Copy job id", id="audit.copy"),
        Binding("l", "ledger", "Ledger", id="audit.ledger"),
        Binding("g", "ledger_group", "Group ledger", id="audit.ledger_group"),
        Binding("j", "cursor(1)", "Down", show=False, id="audit.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="audit.up"),
    ]
    DEFAULT_CSS = """
    AuditScreen #audit-filter { margin: 0 1; }
    AuditScreen #audit-body { height: 1fr; }
    AuditScreen #audit-table { width: 64; height: 1fr; }
    AuditScreen #audit-detail { width: 1fr; height: 1fr; padding: 0 1; border-left: tall $panel; }
    AuditScreen #audit-hint { height: 1; padding: 0 1; color: $text-muted; }
    AuditScreen #audit-ledger { height: 1fr; display: none; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[dict[str, Any]] = []  # every generation of the open project
        self.rows: list[dict[str, Any]] = []  # those the filter lets through, as shown
        self.numbers: dict[str, int] = {}  # shot id → its number in the project
        self.labels: dict[str, str] = {}  # shot id → "2.3", as every screen names it
        self._shown: tuple[Any, ...] = ()
        self._detail: dict[str, Any] | None = None
        self.ledger_on = False
        self.ledger_by = LEDGER_GROUPS[0]
        self._ledger_asked: tuple[Any, ...] = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="/ filter: shot:2.3 status:failed backend:ltx kind:video words…",
            id="audit-filter",
            compact=True,
        )
        with Horizontal(id="audit-body"):
            yield DataTable(id="audit-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="audit-detail"):
                yield Static("", id="audit-entry")
        yield LedgerTable(id="audit-ledger")
        yield Static("", id="audit-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.table
        table.add_columns("job", "status", "shot", "backend", "seed", "prompt")
        table.focus()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#audit-table", DataTable)

    def data_changed(self) -> None:
        if not self.is_mounted:
            return  # composed soon: resuming the screen asks again
        milimo = self.milimo
        view = milimo.view
        if view is None or view["id"] != milimo.project_id:
            self.entries, self.numbers, self.labels = [], {}, {}
        else:
            self.numbers = {s["id"]: n for n, s in enumerate(view["shots"], 1)}
            self.labels = shot_labels(view)
            self.entries = [audit_entry(j) for j in milimo.jobs if j["project_id"] == view["id"]]
        self.refilter()
        if self.ledger_on:
            self.load_ledger()

    @on(Input.Changed, "#audit-filter")
    def filter_changed(self) -> None:
        self.refilter()

    @on(Input.Submitted, "#audit-filter")
    def filter_submitted(self) -> None:
        for problem in unknown_terms(parse_filter(self.query_one("#audit-filter", Input).value)):
            self.notify(problem, severity="warning", timeout=6)
        self.table.focus()

    def refilter(self) -> None:
        text = self.query_one("#audit-filter", Input).value
        terms = parse_filter(text)
        rows = [e for e in self.entries if matches(e, terms, self.numbers, self.labels)]
        shown = tuple(
            (e["job_id"], e["status"], self.numbers.get(e["shot_id"] or "")) for e in rows
        )
        if shown != self._shown:
            self._shown = shown
            self.show_rows(rows)
        else:
            self.rows = rows
            self.show_detail()
        count = f"{len(rows)} of {len(self.entries)} generation(s)"
        if not self.entries:
            count = "no generations yet (generate from the inspector or `milimo generate`)"
        hint = f"{count} · /: filter · r: reproduce · c: copy job id · l: ledger"
        self.query_one("#audit-hint", Static).update(hint)

    def show_rows(self, rows: list[dict[str, Any]]) -> None:
        table = self.table
        current = self.current()
        keep = current["job_id"] if current else None
        was_last = bool(self.rows) and table.cursor_row >= len(self.rows) - 1
        self.rows = rows
        table.clear()
        for e in rows:
            r = e["request"]
            label = self.labels.get(e["shot_id"] or "")
            table.add_row(
                e["job_id"][:8],
                Text(e["status"], style=STATUS_STYLE.get(e["status"], "")),
                label or (e["shot_id"] or "-")[:8],
                backend_of(e),
                "" if r.get("seed") is None else str(r["seed"]),
                (r.get("original_prompt") or r.get("prompt") or "")[:40],
                key=e["job_id"],
            )
        ids = [e["job_id"] for e in rows]
        if rows:
            row = ids.index(keep) if keep in ids and not was_last else len(rows) - 1
            table.move_cursor(row=row, animate=False)
        self.show_detail()

    def current(self) -> dict[str, Any] | None:
        row = self.table.cursor_row
        return self.rows[row] if self.rows and 0 <= row < len(self.rows) else None

    @on(DataTable.RowHighlighted, "#audit-table")
    def highlighted(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        entry = self.current()
        if entry == self._detail and entry is not None:
            return  # unchanged: a worker's step elsewhere redraws nothing here
        self._detail = entry
        static = self.query_one("#audit-entry", Static)
        if entry is None:
            static.update("nothing matches the filter" if self.entries else "")
            return
        static.update(detail(entry, self.labels.get(entry["shot_id"] or "")))

    def action_filter(self) -> None:
        self.query_one("#audit-filter", Input).focus()

    def action_leave_filter(self) -> None:
        field = self.query_one("#audit-filter", Input)
        if field.has_focus:
            self.table.focus()
        elif field.value:
            field.value = ""

    def action_cursor(self, delta: int) -> None:
        table = self.table
        table.move_cursor(row=table.cursor_row + delta)

    def action_copy(self) -> None:
        entry = self.current()
        if entry is not None:
            self.app.copy_to_clipboard(entry["job_id"])
            self.notify(f"copied job id {entry['job_id']}", timeout=3)

    def action_reproduce(self) -> None:
        entry = self.current()
        if entry is None:
            return
        milimo, job_id = self.milimo, entry["job_id"]

        def reproduce() -> None:
            milimo.run_command(
                lambda: milimo.services.engine().reproduce(job_id),
                lambda new: milimo.notify(f"reproducing {job_id[:8]} as job {new[:8]}"),
            )

        milimo.confirm(
            f"Reproduce job {job_id[:8]}? The same request runs again as a new job "
            "(it spends GPU time).",
            reproduce,
            yes="Reproduce",
        )

    # -- the ledger ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self.ledger_on and action in AUDIT_ACTIONS)

    def action_ledger(self) -> None:
        self.ledger_on = not self.ledger_on
        self.query_one("#audit-filter", Input).display = not self.ledger_on
        self.query_one("#audit-body").display = not self.ledger_on
        ledger = self.query_one("#audit-ledger", LedgerTable)
        ledger.display = self.ledger_on
        if self.ledger_on:
            ledger.focus()
            self.load_ledger()
        else:
            self.table.focus()
            self.refilter()
        self.refresh_bindings()

    def action_ledger_group(self) -> None:
        """The next grouping (shot → backend → day); opens the ledger when it is closed."""
        if not self.ledger_on:
            self.action_ledger()
            return
        self.ledger_by = LEDGER_GROUPS[(LEDGER_GROUPS.index(self.ledger_by) + 1) % 3]
        self.load_ledger()

    def load_ledger(self) -> None:
        """Read the ledger again when the grouping or a job of the project changed."""
        milimo, by = self.milimo, self.ledger_by
        project_id = milimo.project_id
        jobs = tuple(
            (j["id"], j["status"], j.get("attempts"), j.get("retried_by"))
            for j in milimo.jobs
            if j["project_id"] == project_id
        )
        asked = (project_id, by, jobs)
        if asked == self._ledger_asked:
            return
        self._ledger_asked = asked
        self.show_ledger_hint("reading the ledger …")
        if project_id is None:
            self.show_ledger([], by)
            return
        queries = milimo.services.queries
        milimo.run_command(
            lambda: Ledger(queries).rows(project_id, by),
            lambda rows: self.show_ledger(rows, by),
            reload=False,
        )

    def show_ledger(self, rows: list[dict[str, Any]], by: str) -> None:
        if not self.is_mounted or by != self.ledger_by:
            return  # an answer to an older question
        self.query_one("#audit-ledger", LedgerTable).show(rows, by)
        following = LEDGER_GROUPS[(LEDGER_GROUPS.index(by) + 1) % 3]
        what = "no generations yet" if len(rows) <= 1 else f"{len(rows) - 1} {by}(s)"
        self.show_ledger_hint(
            f"ledger by {by}: {what} · seconds from the job events (GPU, CPU, model load, "
            f"request to end, lost to cancelled or failed attempts) · g: by {following} · "
            "l: generations"
        )

    def show_ledger_hint(self, text: str) -> None:
        if self.ledger_on:
            self.query_one("#audit-hint", Static).update(text)
