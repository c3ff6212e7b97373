"""milimo generate, jobs, job cancel|retry|show, batches, batch show|cancel, worker, audit,
reproduce."""

import argparse
import time
from collections.abc import Iterator
from typing import Any

from milimo.cli.context import Context, UsageError

FINAL = ("completed", "failed", "cancelled")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("generate", parents=[common], help="generate takes for shots")
    p.add_argument("project")
    p.add_argument("shots", nargs="*", metavar="SHOT")
    p.add_argument("--all", action="store_true", help="every shot on V1 and V2")
    p.add_argument("--wait", action="store_true", help="wait for the jobs to finish")
    p.add_argument(
        "--variants", type=int, default=1, metavar="N", help="N seeds of each shot, as a group"
    )
    p.add_argument(
        "--priority",
        choices=("rush", "normal", "low"),
        default="normal",
        help="rush overtakes waiting jobs (never a running one)",
    )
    p.set_defaults(handler=generate)

    p = sub.add_parser("batches", parents=[common], help="the batches of generate, oldest first")
    p.add_argument("project", nargs="?")
    p.set_defaults(handler=list_batches)

    batch = sub.add_parser("batch", help="one batch of jobs: show, cancel")
    verbs = batch.add_subparsers(dest="verb", required=True, metavar="VERB")
    for name, handler, text in (
        ("show", show_batch, "a batch's counts: total, completed, failed, cancelled, waiting"),
        ("cancel", cancel_batch, "cancel every unfinished job of a batch"),
    ):
        p = verbs.add_parser(name, parents=[common], help=text)
        p.add_argument("batch")
        p.set_defaults(handler=handler)

    p = sub.add_parser("jobs", parents=[common], help="every job, oldest first")
    p.add_argument("project", nargs="?")
    p.add_argument("--active", action="store_true", help="only jobs not yet finished")
    p.add_argument("--follow", action="store_true", help="follow progress until all finish")
    p.set_defaults(handler=list_jobs)

    job = sub.add_parser("job", help="one job: cancel, retry, show")
    verbs = job.add_subparsers(dest="verb", required=True, metavar="VERB")
    for name, handler, text in (
        ("cancel", cancel, "a queued job never starts; a running one stops at its next step"),
        ("retry", retry, "run a failed or cancelled job again, as a new linked job"),
        ("show", show, "everything about one job"),
    ):
        p = verbs.add_parser(name, parents=[common], help=text)
        p.add_argument("job")
        if name == "retry":
            p.add_argument("--wait", action="store_true")
        p.set_defaults(handler=handler)

    p = sub.add_parser("reproduce", parents=[common], help="run a past generation again")
    p.add_argument("job")
    p.add_argument("--wait", action="store_true")
    p.set_defaults(handler=reproduce)

    p = sub.add_parser("audit", parents=[common], help="every generation with all its inputs")
    p.add_argument("project", nargs="?")
    p.set_defaults(handler=audit)

    p = sub.add_parser("worker", parents=[common], help="run jobs (Redis broker or embedded)")
    p.add_argument(
        "--queues",
        help="comma-separated: video,image,segment,cpu, each with every priority "
        "(or one queue: video.rush, video.low; default: all)",
    )
    p.add_argument("--embedded", action="store_true", help=argparse.SUPPRESS)
    p.add_argument(
        "--idle", type=float, default=60.0, help="embedded: exit after this many idle seconds"
    )
    p.set_defaults(handler=worker)


def _engine(ctx: Context) -> Any:
    from milimo.wiring import engine

    return engine(ctx.milimo)


def job_line(job: dict[str, Any]) -> str:
    step = (
        f" {job['step']}/{job['total']}" if job.get("step") and job["status"] == "running" else ""
    )
    eta = f" eta {job['eta']:.0f}s" if job.get("eta") and job["status"] == "running" else ""
    shot = (job.get("shot_id") or "-")[:8]
    extra = ""
    if job["status"] == "failed" and job.get("error"):
        extra = f"  {job['error']['type']}: {job['error']['message']}"
    elif job["status"] == "completed" and job.get("output"):
        extra = f"  {job['output']['path']}"
    return (
        f"{job['id'][:8]} shot {shot} {job['kind']:<6} {job['status']:<9} "
        f"{job['progress']:5.1f}%{step}{eta} {job.get('backend') or ''}{marks(job)}{extra}"
    )


def marks(job: dict[str, Any]) -> str:
    """Priority (unless normal), batch and variant, for the jobs that have them."""
    out = ""
    if job.get("priority", "normal") != "normal":
        out += f" [{job['priority']}]"
    if job.get("batch_id"):
        out += f" batch {job['batch_id'][:8]}"
    if job.get("variant") is not None:
        out += f" variant {job['variant']} seed {job['request'].get('seed')}"
    return out


def wait_for(ctx: Context, job_ids: list[str]) -> list[dict[str, Any]]:
    """Poll the store until every job is final, drawing progress bars on stderr."""
    from milimo.cli.progress import ProgressBoard

    board = None if ctx.json else ProgressBoard()
    watch = WorkerWatch(ctx)
    while True:
        docs = [ctx.queries.job(job_id) for job_id in job_ids]
        if board is not None:
            board.show(docs)
        if all(d["status"] in FINAL for d in docs):
            return docs
        watch.check()
        time.sleep(0.1)


class WorkerGone(Exception):
    """The embedded worker stopped while jobs still waited for it (the jobs stay recorded)."""


class WorkerWatch:
    """In embedded mode, notices a background worker that is not running (a crash at start, a
    kill) so a waiting command starts another, and says so instead of waiting for ever when
    workers keep dying; the jobs stay queued for the next one either way."""

    GRACE = 15.0  # seconds a worker may take to start and take its lock on a busy machine
    RESTARTS = 3

    def __init__(self, ctx: Context):
        settings = ctx.milimo.settings
        self.data_dir = settings.data_dir.expanduser().resolve()
        self.store_url = settings.store
        self.embedded = settings.broker_url == "embedded"
        self.missing_since: float | None = None
        self.restarts = 0

    def check(self) -> None:
        if not self.embedded:
            return
        from infrastructure.embedded_worker import start_worker, worker_alive

        if worker_alive(self.data_dir):
            self.missing_since = None
            return
        now = time.monotonic()
        if self.missing_since is None:
            self.missing_since = now
        if now - self.missing_since <= self.GRACE:
            return
        if self.restarts < self.RESTARTS:
            self.restarts += 1
            self.missing_since = now
            start_worker(self.data_dir, self.store_url)
            return
        log = self.data_dir / "logs" / "worker.log"
        tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log.exists() else []
        raise WorkerGone(
            f"the background worker stopped {self.RESTARTS + 1} times before the jobs finished; "
            "they stay queued and run when work is next requested. Its log "
            f"({log}) ends: " + " | ".join(tail)
        )


def _report(ctx: Context, job_ids: list[str], wait: bool, batch_id: str | None = None) -> int:
    docs = wait_for(ctx, job_ids) if wait else [ctx.queries.job(i) for i in job_ids]
    listed = [
        {
            "id": d["id"],
            "shot_id": d["shot_id"],
            "status": d["status"],
            "priority": d.get("priority", "normal"),
            "group": d.get("group"),
            "variant": d.get("variant"),
            "seed": d["request"].get("seed"),
        }
        for d in docs
    ]
    text = "\n".join(d["id"] for d in docs) if not wait else "\n".join(job_line(d) for d in docs)
    if batch_id is not None:
        text = f"batch {batch_id}\n{text}"
    ctx.emit({"jobs": listed, "batch_id": batch_id}, text)
    return 0 if not wait or all(d["status"] == "completed" for d in docs) else 1


def generate(ctx: Context) -> int:
    pid = ctx.project_id()
    generation = _engine(ctx).request_generation(
        pid,
        ctx.args.shots,
        all_shots=ctx.args.all,
        variants=ctx.args.variants,
        priority=ctx.args.priority,
    )
    return _report(ctx, generation.job_ids, ctx.args.wait, generation.batch_id)


def _batches(ctx: Context) -> Any:
    from application.batches import BatchQueries

    return BatchQueries(ctx.queries)


def batch_line(batch: dict[str, Any]) -> str:
    return (
        f"{batch['id'][:8]} {batch['status']:<10} {batch['total_jobs']} jobs: "
        f"{batch['completed_jobs']} completed, {batch['failed_jobs']} failed, "
        f"{batch['cancelled_jobs']} cancelled, {batch['running_jobs']} running, "
        f"{batch['waiting_jobs']} waiting  [{batch['priority']}]"
        + (f" {batch['variants']} variants" if batch["variants"] > 1 else "")
    )


def list_batches(ctx: Context) -> int:
    pid = ctx.project_id() if ctx.args.project else None
    found = _batches(ctx).of_project(pid)
    ctx.emit(found, "\n".join(batch_line(b) for b in found) if found else "no batches")
    return 0


def show_batch(ctx: Context) -> int:
    batch = _batches(ctx).batch(ctx.args.batch)
    jobs = [ctx.queries.job(j) for j in batch["jobs"]]
    ctx.emit(batch, "\n".join([batch_line(batch), *(job_line(j) for j in jobs)]))
    return 0


def cancel_batch(ctx: Context) -> int:
    batch = _batches(ctx).batch(ctx.args.batch)
    outcomes = _engine(ctx).cancel_batch(batch["id"])
    changed = [o for o in outcomes if o.changed]
    stopping = sum(1 for o in changed if o.status == "cancelling")
    if changed:
        text = (
            f"batch {batch['id'][:8]}: {len(changed) - stopping} job(s) cancelled before they "
            f"started, {stopping} stop at their next step"
        )
    else:
        text = f"batch {batch['id'][:8]}: every job had already finished; nothing to cancel"
    ctx.emit(
        {
            "id": batch["id"],
            "changed": bool(changed),
            "jobs": [{"id": o.job_id, "status": o.status, "changed": o.changed} for o in outcomes],
        },
        text,
    )
    return 0


def list_jobs(ctx: Context) -> int:
    pid = ctx.project_id() if ctx.args.project else None
    if ctx.args.follow:
        return follow(ctx, pid)
    jobs = ctx.queries.jobs(pid, active=ctx.args.active)
    ctx.emit(jobs, "\n".join(job_line(j) for j in jobs) if jobs else "no jobs")
    return 0


def live_messages(ctx: Context) -> Iterator[dict[str, Any] | None]:
    from infrastructure.live_feed import redis_messages, socket_messages

    settings = ctx.milimo.settings
    if settings.broker_url != "embedded":
        return redis_messages(settings.broker_url)
    return socket_messages(settings.data_dir.expanduser().resolve())


def follow(ctx: Context, pid: str | None) -> int:
    """Every step of every active job as the live feed delivers it; where jobs stand, from the
    store, whenever the feed is quiet (so a late or reconnecting follower misses nothing)."""
    seen: dict[str, str] = {}
    last_look = 0.0
    for message in live_messages(ctx):
        if message is not None and (pid is None or message["job_id"] in seen):
            if not ctx.json:
                print(
                    f"{message['job_id'][:8]} step {message['step']}/{message['total']}",
                    flush=True,
                )
            if time.monotonic() - last_look < 0.5:
                continue
        last_look = time.monotonic()
        jobs = ctx.queries.jobs(pid)
        for job in jobs:
            line = job_line(job)
            if seen.get(job["id"]) != line:
                if not ctx.json and (job["status"] not in FINAL or job["id"] in seen):
                    print(line, flush=True)
                seen[job["id"]] = line
        if all(j["status"] in FINAL for j in jobs):
            ctx.emit(jobs)
            return 0
    return 0


def cancel(ctx: Context) -> int:
    job = ctx.queries.job(ctx.args.job)
    outcome = _engine(ctx).cancel(job["id"])
    if not outcome.changed and outcome.status in FINAL:
        text = f"job {job['id'][:8]} is already {outcome.status}: nothing to cancel"
    elif outcome.status == "cancelling":
        text = f"job {job['id'][:8]} stops at its next step"
    else:
        text = f"job {job['id'][:8]} cancelled before it started"
    ctx.emit({"id": job["id"], "status": outcome.status, "changed": outcome.changed}, text)
    return 0


def retry(ctx: Context) -> int:
    job = ctx.queries.job(ctx.args.job)
    new = _engine(ctx).retry(job["id"])
    return _report(ctx, [new], ctx.args.wait)


def reproduce(ctx: Context) -> int:
    job = ctx.queries.job(ctx.args.job)
    new = _engine(ctx).reproduce(job["id"])
    return _report(ctx, [new], ctx.args.wait)


def show(ctx: Context) -> int:
    job = ctx.queries.job(ctx.args.job)
    ctx.emit(job, "\n".join(f"{k:>16}: {v}" for k, v in job.items()))
    return 0


def audit(ctx: Context) -> int:
    from application.job_view import audit_entry

    pid = ctx.project_id() if ctx.args.project else None
    entries = [audit_entry(j) for j in ctx.queries.jobs(pid)]
    lines = [audit_line(e) for e in entries]
    ctx.emit(entries, "\n".join(lines) if lines else "no generations yet")
    return 0


def audit_line(entry: dict[str, Any]) -> str:
    """One generation on one line: only the inputs its kind has (a mask has no seed)."""
    r = entry["request"]
    parts = [entry["job_id"][:8], f"{entry['status']:<9}", f"{entry['actor']:<18}"]
    parts += [f"{r.get('kind', '')}", f"{r.get('backend')}"]
    if r.get("seed") is not None:
        parts.append(f"seed {r['seed']}")
    if r.get("width") and r.get("height"):
        parts.append(f"{r['width']}x{r['height']}")
    if r.get("num_frames"):
        parts.append(f"{r['num_frames']}f")
    return " ".join(parts) + f"  {(r.get('prompt') or '')[:50]}"


def worker(ctx: Context) -> int:
    from infrastructure.redis_dispatch import QUEUE_NAMES, unknown_queues

    queues = ctx.args.queues.split(",") if ctx.args.queues else None
    unknown = unknown_queues(queues or [])
    if unknown:
        raise UsageError(f"unknown queue {', '.join(unknown)}; queues: {', '.join(QUEUE_NAMES)}")
    m = ctx.milimo
    if ctx.args.embedded or m.settings.broker_url == "embedded":
        return embedded_worker(ctx)
    from milimo.redis_worker import run_redis_worker

    return run_redis_worker(m, queues)


def embedded_worker(ctx: Context) -> int:
    import signal
    import sys

    from infrastructure.embedded_worker import WorkerLock
    from infrastructure.live_feed import SocketLiveFeed
    from infrastructure.redis_dispatch import QUEUE_NAMES
    from milimo.embedded_worker import run_embedded_worker
    from milimo.presence import worker_presence
    from milimo.wiring import resident_models, runner

    m = ctx.milimo
    data_dir = m.settings.data_dir.expanduser().resolve()
    lock = WorkerLock(data_dir)
    if not lock.acquire():
        ctx.note("milimo: a worker already runs for this data dir")
        return 0
    live = SocketLiveFeed(data_dir)
    models = resident_models(m)
    presence = worker_presence(m, models, "embedded", list(QUEUE_NAMES))
    presence.start()
    # SIGTERM (a shutdown, `kill`) leaves through the finally below: the worker deregisters and
    # frees its lock; a job it was running stays "running" and the next worker resumes it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        job_runner = runner(m, models, live=live, activity=presence)
        ran = run_embedded_worker(m, job_runner, ctx.args.idle)
        ctx.note(f"milimo worker: ran {ran} job(s), idle for {ctx.args.idle:.0f} s: exiting")
        return 0
    finally:
        presence.stop()
        live.close()
        lock.release()
