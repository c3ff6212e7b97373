"""milimo ledger: GPU-seconds, CPU-seconds, load and wall time, retries and cancelled work,
summed from the job events (application/ledger.py says exactly what is summed)."""

import argparse
from typing import Any

from milimo.cli.context import Context

COLUMNS = (
    ("jobs", "jobs", "{:>5}"),
    ("completed", "done", "{:>5}"),
    ("failed", "fail", "{:>5}"),
    ("cancelled", "canc", "{:>5}"),
    ("retries", "retry", "{:>5}"),
    ("gpu_seconds", "gpu s", "{:>9.1f}"),
    ("cpu_seconds", "cpu s", "{:>9.1f}"),
    ("load_seconds", "load s", "{:>8.1f}"),
    ("wall_seconds", "wall s", "{:>9.1f}"),
    ("cancelled_work_seconds", "lost s", "{:>8.1f}"),
)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "ledger",
        parents=[common],
        help="GPU-seconds and wall time from the events",
        description="Machine time spent on generations, summed from the job events: "
        "GPU-seconds (attempts on a GPU), CPU-seconds, model load time, wall time from request "
        "to end, retries, and the run time of attempts that were cancelled, failed or "
        "interrupted (lost s). Without PROJECT: every project.",
    )
    p.add_argument("project", nargs="?")
    p.add_argument(
        "--by",
        choices=("project", "shot", "backend", "day"),
        default="project",
        help="one row per project (default), shot, backend or UTC day; then a totals row",
    )
    p.set_defaults(handler=ledger)


def ledger(ctx: Context) -> None:
    from application.ledger import Ledger

    project_id = ctx.project_id() if ctx.args.project is not None else None
    rows = Ledger(ctx.queries).rows(project_id, ctx.args.by)
    ctx.emit(rows, table(rows, ctx.args.by))


def table(rows: list[dict[str, Any]], by: str) -> str:
    if len(rows) == 1:
        return "no jobs yet: the ledger counts generations (`milimo generate`)"
    width = max(len(by), *(len(str(r["group"])) for r in rows))
    header = f"{by:<{width}} " + " ".join(
        f"{title:>{len(fmt.format(0))}}" for _, title, fmt in COLUMNS
    )
    lines = [header]
    for row in rows:
        if row["group"] == "total":
            lines.append("-" * len(header))
        cells = " ".join(fmt.format(row[key]) for key, _, fmt in COLUMNS)
        lines.append(f"{row['group']!s:<{width}} {cells}")
    return "\n".join(lines)
