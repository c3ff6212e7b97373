"""Jobs: every job newest first with a live progress bar, ETA and it/s; cancel, retry, details;
above them the batches still running, with their counts, cancellable as a whole."""

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from application.batches import batches
from tui.labels import shot_labels as labels_of
from tui.screens.base import MilimoScreen
from tui.widgets.job_row import ACTIVE, FINAL, JobRow, duration
from tui.widgets.key_bar import KeyBar

MAX_ROWS = 200  # the newest; older jobs are in `milimo jobs` and the Audit screen
MAX_BATCH_LINES = 3  # the unfinished batches (newest) and the selected job's
RETRYABLE = ("failed", "cancelled")


def shot_labels(view: dict[str, Any] | None) -> dict[str, str]:
    """Shot id → "shot 2.3" (scene 2, its third shot), as every screen names them."""
    return {shot: f"shot {label}" for shot, label in labels_of(view).items()}


def cancel_outcome(job_id: str, status: str, changed: bool) -> str:
    """What `milimo job cancel` says about the same outcome."""
    if not changed and status in FINAL:
        return f"job {job_id[:8]} is already {status}: nothing to cancel"
    if status == "cancelling":
        return f"job {job_id[:8]} stops at its next step"
    return f"job {job_id[:8]} cancelled before it started"


def worker_text(worker: Any) -> str:
    """Where an attempt runs, as the worker's start was said in the history: host:pid (device)."""
    if not worker:
        return "-"
    if not isinstance(worker, dict):
        return str(worker)
    where = f"{worker.get('host') or '?'}:{worker.get('pid') or '?'}"
    return f"{where} ({worker['device']})" if worker.get("device") else where


def job_detail(job: dict[str, Any], where: str) -> str:
    lines = [
        f"[b]job {job['id']}[/b]  {job['kind']} · {where} · {job['status']}"
        + (
            " (cancel requested)" if job.get("cancel_requested") and job["status"] in ACTIVE else ""
        ),
        f"backend {job.get('backend') or '-'} · model {(job.get('model') or {}).get('id') or '-'}"
        f" · attempts {job.get('attempts', 0)} · worker {worker_text(job.get('worker'))}",
        f"requested {_when(job.get('requested_at'))} by {job.get('actor') or '-'}"
        f" · started {_when(job.get('started_at'))} · updated {_when(job.get('updated_at'))}",
    ]
    if job.get("retry_of") or job.get("retried_by"):
        lines.append(
            f"retry of {(job.get('retry_of') or '-')[:8]} · retried by "
            f"{(job.get('retried_by') or '-')[:8]}"
        )
    error = job.get("error")
    if error:
        again = "retryable" if error.get("retryable") else "not retryable"
        lines.append(f"[$error]{error['type']}: {error['message']}[/] ({again})")
    output = job.get("output")
    if output:
        lines.append(f"output {output.get('path')}")
    timings = job.get("timings")
    if timings:
        lines.append(
            "timings "
            + " · ".join(
                f"{k} {duration(v) if isinstance(v, int | float) else v}"
                for k, v in timings.items()
            )
        )
    prompt = (job.get("request") or {}).get("prompt")
    if prompt:
        lines.append(f"prompt {prompt[:200]}")
    return "\n".join(lines)


def batch_line(batch: dict[str, Any], selected: bool) -> str:
    mark = "▸" if selected else " "
    variants = f" · {batch['variants']} variants" if batch["variants"] > 1 else ""
    return (
        f"{mark} batch {batch['id'][:8]} {batch['status']:<10} {batch['total_jobs']} jobs: "
        f"{batch['completed_jobs']} done · {batch['failed_jobs']} failed · "
        f"{batch['cancelled_jobs']} cancelled · {batch['running_jobs']} running · "
        f"{batch['waiting_jobs']} waiting · {batch['priority']}{variants}"
    )


def batch_cancel_outcome(batch_id: str, outcomes: list[Any]) -> str:
    """What `milimo batch cancel` says about the same outcome."""
    changed = [o for o in outcomes if o.changed]
    if not changed:
        return f"batch {batch_id[:8]}: every job had already finished; nothing to cancel"
    stopping = sum(1 for o in changed if o.status == "cancelling")
    return (
        f"batch {batch_id[:8]}: {len(changed) - stopping} job(s) cancelled before they started, "
        f"{stopping} stop at their next step"
    )


def _when(at: str | None) -> str:
    return str(at)[:19].replace("T", " ") if at else "-"


class JobsScreen(MilimoScreen):
    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="jobs.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="jobs.up"),
        Binding("home", "cursor_to(0)", "First", show=False, id="jobs.first"),
        Binding("end", "cursor_to(-1)", "Last", show=False, id="jobs.last"),
        Binding("enter", "detail", "Details", id="jobs.detail"),
        Binding("c", "cancel", "Cancel job", id="jobs.cancel"),
        Binding("r", "retry", "Retry", id="jobs.retry"),
        Binding("b", "cancel_batch", "Cancel batch", id="jobs.cancel_batch"),
        Binding("escape", "close_detail", "Close details", show=False, id="jobs.close"),
    ]
    DEFAULT_CSS = """
    JobsScreen #jobs-columns { height: 1; padding: 0 1; color: $text-muted; text-style: bold; }
    JobsScreen #jobs-batches { height: auto; padding: 0 1; color: $text-muted; }
    JobsScreen #job-list { height: 1fr; }
    JobsScreen #jobs-empty { padding: 1 2; color: $text-muted; }
    JobsScreen #job-detail {
        display: none; height: auto; max-height: 12; padding: 0 1;
        border-top: solid $primary; background: $surface;
    }
    JobsScreen #job-detail.-open { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, JobRow] = {}
        self.order: list[str] = []  # job ids, newest first, as the rows stand
        self.selected: str | None = None
        self.follow: str | None = None  # a job to select once its row arrives (a retry's)
        self.project_names: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="jobs-batches")
        yield Static(self._columns(), id="jobs-columns")
        yield VerticalScroll(
            Static("", id="jobs-empty"), id="job-list", can_focus=False, can_focus_children=False
        )
        yield Static("", id="job-detail")
        yield KeyBar()

    @staticmethod
    def _columns() -> str:
        return f"  {'job':<9}{'kind':<8}{'shot':<17}{'status':<11}progress"

    # -- keeping the rows in step with the jobs -------------------------------------------------

    def data_changed(self) -> None:
        milimo = self.milimo
        jobs = milimo.jobs[::-1][:MAX_ROWS]
        if milimo.project_id is None:
            missing = {j["project_id"] for j in jobs} - set(self.project_names)
            if missing and milimo.io is not None:
                queries = milimo.services.queries
                milimo.io.submit(lambda: queries.projects(include_archived=True), self._names_read)
        labels = shot_labels(milimo.view) if milimo.project_id else {}
        ids = [j["id"] for j in jobs]
        if ids != self.order:
            self._arrange(jobs, labels)
        for job in jobs:
            self.rows[job["id"]].show(job, self._where(job, labels))
        empty = self.query_one("#jobs-empty", Static)
        empty.display = not jobs
        if not jobs:
            empty.update(
                "No jobs yet. In the Inspector (4), g generates the selected shot."
                if milimo.project_id
                else "No jobs yet. Open a project (1), then generate shots from the Inspector."
            )
        if self.follow in self.rows:
            self._select(self.follow, scroll=True)
            self.follow = None
        else:
            self._select(self.selected if self.selected in self.rows else None)
        self._show_detail()
        self._show_batches()

    def _show_batches(self) -> None:
        """The unfinished batches and the selected job's, counted from the jobs in memory."""
        found = {b["id"]: b for b in batches(self.milimo.jobs)}
        job = self.current()
        chosen = job.get("batch_id") if job else None
        shown = [b for b in found.values() if b["running_jobs"] + b["waiting_jobs"]]
        shown = shown[-MAX_BATCH_LINES:]
        if chosen in found and found[chosen] not in shown:
            shown.append(found[chosen])
        box = self.query_one("#jobs-batches", Static)
        box.display = bool(shown)
        box.update("\n".join(batch_line(b, b["id"] == chosen) for b in shown))

    def _arrange(self, jobs: list[dict[str, Any]], labels: dict[str, str]) -> None:
        """Mount rows for new jobs, remove the rows of jobs gone; existing rows stay as they are
        (their live rates with them)."""
        ids = [j["id"] for j in jobs]
        keep = set(ids)
        gone = [row for job_id, row in self.rows.items() if job_id not in keep]
        for row in gone:
            del self.rows[row.job["id"]]
        job_list = self.query_one("#job-list", VerticalScroll)
        if gone:
            job_list.remove_children(gone)
        # Runs of new jobs mounted at once, each before the existing row below it.
        run: list[JobRow] = []
        for job in jobs:
            if job["id"] not in self.rows:
                self.rows[job["id"]] = JobRow(job, self._where(job, labels))
                run.append(self.rows[job["id"]])
            elif run:
                job_list.mount_all(run, before=self.rows[job["id"]])
                run = []
        if run:
            job_list.mount_all(run)
        self.order = ids

    def _names_read(self, projects: list[dict[str, Any]]) -> None:
        self.project_names.update({p["id"]: p["name"] for p in projects})
        for row in self.rows.values():
            row.show(row.job, self._where(row.job, {}))

    def _where(self, job: dict[str, Any], labels: dict[str, str]) -> str:
        shot = job.get("shot_id")
        if self.milimo.project_id is None:
            name = self.project_names.get(job["project_id"], job["project_id"][:8])
            return f"{name[:9]}/{(shot or '-')[:6]}"
        if not shot:
            return "project"
        return labels.get(shot, f"shot {shot[:8]}")

    def job_progress(self, job_id: str, step: int, total: int, data: dict[str, Any]) -> None:
        row = self.rows.get(job_id)
        if row is not None:
            sent = data.get("sent")
            row.step_seen(step, total, float(sent) if sent is not None else None)

    # -- selection ------------------------------------------------------------------------------

    def current(self) -> dict[str, Any] | None:
        row = self.rows.get(self.selected) if self.selected else None
        return row.job if row is not None else None

    def _select(self, job_id: str | None, scroll: bool = False) -> None:
        if job_id is None and self.order:
            job_id = self.order[0]
        if self.selected != job_id and self.selected in self.rows:
            self.rows[self.selected].select(False)
        self.selected = job_id
        if job_id is not None:
            row = self.rows[job_id]
            if not row.has_class("-selected"):
                row.select(True)
            if scroll:
                self.query_one("#job-list", VerticalScroll).scroll_to_widget(row, animate=False)

    def action_cursor(self, delta: int) -> None:
        if not self.order:
            return
        at = self.order.index(self.selected) if self.selected in self.order else 0
        self._select(self.order[max(0, min(len(self.order) - 1, at + delta))], scroll=True)
        self._show_detail()
        self._show_batches()

    def action_cursor_to(self, index: int) -> None:
        if self.order:
            self._select(self.order[index], scroll=True)
            self._show_detail()
            self._show_batches()

    def on_click(self, event: events.Click) -> None:
        if isinstance(event.widget, JobRow):
            self._select(event.widget.job["id"])
            self._show_detail()
            self._show_batches()

    # -- details --------------------------------------------------------------------------------

    def action_detail(self) -> None:
        detail = self.query_one("#job-detail", Static)
        detail.set_class(not detail.has_class("-open"), "-open")
        self._show_detail()

    def action_close_detail(self) -> None:
        self.query_one("#job-detail", Static).remove_class("-open")

    def _show_detail(self) -> None:
        detail = self.query_one("#job-detail", Static)
        job = self.current()
        if not detail.has_class("-open"):
            return
        if job is None:
            detail.update("no job selected")
            return
        detail.update(job_detail(job, self.rows[job["id"]].where))

    # -- cancel and retry -----------------------------------------------------------------------

    def action_cancel(self) -> None:
        job = self.current()
        if job is None:
            return
        job_id, status = job["id"], job["status"]
        if status in FINAL:
            self.notify(cancel_outcome(job_id, status, False), timeout=4)
            return
        engine = self.milimo.services.engine
        where = self.rows[job_id].where

        def cancel() -> None:
            self.milimo.run_command(
                lambda: engine().cancel(job_id),
                lambda outcome: self.notify(
                    cancel_outcome(job_id, outcome.status, outcome.changed), timeout=4
                ),
            )

        self.milimo.confirm(
            f"Cancel job {job_id[:8]} ({job['kind']}, {where}, {status})?", cancel, "Cancel job"
        )

    def action_retry(self) -> None:
        job = self.current()
        if job is None:
            return
        job_id, status = job["id"], job["status"]
        if status not in RETRYABLE:
            self.notify(
                f"job {job_id[:8]} is {status}: only a failed or cancelled job can be retried",
                severity="warning",
                timeout=4,
            )
            return
        engine = self.milimo.services.engine

        def retried(new_id: str) -> None:
            self.follow = new_id
            self.notify(f"job {job_id[:8]} retried as {new_id[:8]}", timeout=4)

        self.milimo.run_command(lambda: engine().retry(job_id), retried)

    def action_cancel_batch(self) -> None:
        """Cancel every unfinished job of the selected job's batch, after asking."""
        job = self.current()
        if job is None:
            return
        batch_id = job.get("batch_id")
        if not batch_id:
            self.notify(f"job {job['id'][:8]} is not part of a batch", severity="warning")
            return
        batch = next(b for b in batches(self.milimo.jobs) if b["id"] == batch_id)
        engine = self.milimo.services.engine

        def cancel() -> None:
            self.milimo.run_command(
                lambda: engine().cancel_batch(batch_id),
                lambda outcomes: self.notify(batch_cancel_outcome(batch_id, outcomes), timeout=4),
            )

        unfinished = batch["running_jobs"] + batch["waiting_jobs"]
        self.milimo.confirm(
            f"Cancel batch {batch_id[:8]}: {unfinished} of its {batch['total_jobs']} jobs "
            "are unfinished?",
            cancel,
            "Cancel batch",
        )
