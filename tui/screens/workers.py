"""Workers: the worker registry, live — host, queues, GPU and its memory, resident models, the
job each runs, the last heartbeat; a worker that stopped heart-beating is marked lost.

Heartbeats write no events, so this screen reads the registry itself, on the app's I/O thread,
at the app's poll interval while it is shown.
"""

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from tui.screens.base import MilimoScreen
from tui.widgets.key_bar import KeyBar

COLUMNS = ("worker", "status", "host:pid", "mode", "queues", "gpu", "models", "job", "heartbeat")


def size(count: int | None) -> str:
    if count is None:
        return "?"
    return f"{count / 1e9:.1f} GB" if count >= 1e8 else f"{count / 1e6:.1f} MB"


def gpu_cell(gpu: dict[str, Any]) -> str:
    name = str(gpu.get("name") or "cpu")
    if gpu.get("total_bytes") is None:
        return name
    return f"{name} {size(gpu.get('used_bytes'))}/{size(gpu['total_bytes'])}"


def job_cell(job: dict[str, Any] | None) -> str:
    if not job:
        return "idle"
    return f"{job['id'][:8]} {job['kind']} {job.get('progress') or 0:.0f}%"


def row_of(worker: dict[str, Any]) -> tuple[Any, ...]:
    lost = worker["status"] == "lost"
    status = Text("lost", style="bold red") if lost else Text("live", style="green")
    beat = (
        f"lost since {worker['lost_since'][11:19]}"
        if lost
        else f"{worker['heartbeat_age']:.0f} s ago"
    )
    models = ", ".join(r["backend"] for r in worker.get("resident_models") or []) or "-"
    return (
        worker["id"][:8],
        status,
        worker["name"],
        worker["mode"],
        ",".join(worker.get("queues") or []),
        gpu_cell(worker.get("gpu") or {}),
        models,
        job_cell(worker.get("current_job")),
        Text(beat, style="red") if lost else beat,
    )


def detail_of(worker: dict[str, Any]) -> str:
    memory = worker.get("memory") or {}
    budget = memory.get("budget_bytes")
    lines = [
        f"[b]worker {worker['id']}[/b] · {worker['name']} · {worker['mode']} · "
        f"started {worker['started_at']} · last heartbeat {worker['last_heartbeat']}",
        "resident: "
        + (
            ", ".join(
                f"{r['backend']} {size(r.get('bytes'))}"
                for r in worker.get("resident_models") or []
            )
            or "none"
        )
        + f" · budget {size(budget) if budget is not None else 'device memory'}"
        + f" · loads {worker.get('loads', 0)} · swaps {worker.get('swaps', 0)}",
    ]
    swap = worker.get("last_swap")
    if swap:
        gone = ", ".join(u["backend"] for u in swap["unloaded"])
        lines.append(
            f"last swap: unloaded {gone} for {swap['loaded']['backend']} "
            f"({swap['reason']}), loaded in {swap['load_seconds']:.1f} s"
        )
    return "\n".join(lines)


class WorkersScreen(MilimoScreen):
    BINDINGS = [
        Binding("r", "refresh_workers", "Refresh", id="workers.refresh"),
    ]
    DEFAULT_CSS = """
    WorkersScreen #workers-table { height: 1fr; }
    WorkersScreen #workers-empty { padding: 1 2; color: $text-muted; }
    WorkersScreen #worker-detail {
        height: auto; max-height: 8; padding: 0 1; border-top: solid $primary;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.listed: list[dict[str, Any]] = []
        self._reading = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="workers-empty")
        yield DataTable(id="workers-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="worker-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        interval = self.milimo.services.poll_interval if self.milimo.ready else 0.25
        self.set_interval(max(interval, 0.1), self._poll)

    def data_changed(self) -> None:
        self.action_refresh_workers()

    def _poll(self) -> None:
        if self.app.screen is self:
            self.action_refresh_workers()

    def action_refresh_workers(self) -> None:
        milimo = self.milimo
        io = milimo.io
        if not milimo.ready or io is None or self._reading or not io.idle:
            return
        read = milimo.services.workers
        if read is None:
            self._show([], "This editor was started without a worker registry.")
            return
        self._reading = True
        io.submit(read, self._read, self._failed)

    def _read(self, workers: list[dict[str, Any]]) -> None:
        self._reading = False
        self._show(workers, "No workers. A local worker starts when work is requested.")

    def _failed(self, error: BaseException) -> None:
        self._reading = False
        self._show([], f"The worker registry cannot be read: {error}")

    def _show(self, workers: list[dict[str, Any]], empty_text: str) -> None:
        selected = self.selected()
        self.listed = workers
        table = self.query_one(DataTable)
        table.clear()
        for worker in workers:
            table.add_row(*row_of(worker), key=worker["id"])
        empty = self.query_one("#workers-empty", Static)
        empty.display = not workers
        empty.update(empty_text)
        if selected is not None and selected in {w["id"] for w in workers}:
            table.move_cursor(row=table.get_row_index(selected))
        self._show_detail()

    def selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.listed or table.row_count == 0:
            return None
        row = table.cursor_row
        return self.listed[row]["id"] if 0 <= row < len(self.listed) else None

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        selected = self.selected()
        worker = next((w for w in self.listed if w["id"] == selected), None)
        self.query_one("#worker-detail", Static).update(detail_of(worker) if worker else "")
