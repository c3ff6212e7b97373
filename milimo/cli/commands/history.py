"""milimo undo|redo|history|restore."""

import argparse
from typing import Any

from milimo.cli.context import Context, UsageError


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    for name, handler in (("undo", undo), ("redo", redo)):
        p = sub.add_parser(name, parents=[common], help=f"{name} the last edit (as a new event)")
        p.add_argument("project")
        p.set_defaults(handler=handler)

    p = sub.add_parser("history", parents=[common], help="every event: version, type, who, what")
    p.add_argument("project")
    p.add_argument("--last", type=int, metavar="N", help="only the newest N events")
    p.set_defaults(handler=history)

    p = sub.add_parser("restore", parents=[common], help="bring the state back to VERSION")
    p.add_argument("project")
    p.add_argument("--to", type=int, required=True, metavar="VERSION")
    p.set_defaults(handler=restore)


def _step(ctx: Context, kind: str) -> None:
    pid = ctx.project_id()
    version = ctx.studio.undo(pid) if kind == "undo" else ctx.studio.redo(pid)
    view = ctx.queries.project(pid)
    if version is None:
        ctx.note(f"nothing to {kind} in {view['name']!r}")
        ctx.emit({"id": pid, kind + "ne": None, "version": view["version"]})
        return
    line = ctx.queries.history(pid, offset=version - 1, limit=1)[0]
    ctx.emit(
        {"id": pid, kind + "ne": version, "version": view["version"]},
        f"{kind}ne v{version}: {line['summary']}  (now v{view['version']})",
    )


def undo(ctx: Context) -> None:
    _step(ctx, "undo")


def redo(ctx: Context) -> None:
    _step(ctx, "redo")


def history(ctx: Context) -> None:
    if ctx.args.last is not None and ctx.args.last < 1:
        raise UsageError("--last N needs N of at least 1")
    pid = ctx.project_id()
    offset = 0
    if ctx.args.last:
        offset = max(0, ctx.studio.project(pid).version - ctx.args.last)
    rows = ctx.queries.history(pid, offset=offset)
    ctx.emit(
        rows,
        "\n".join(
            f"v{r['version']:<6} {r['at'][:19].replace('T', ' ')}  {r['actor']:<20} "
            f"{r['type']:<22} {r['summary']}"
            for r in rows
        ),
    )


def restore(ctx: Context) -> None:
    pid = ctx.project_id()
    changes = ctx.studio.restore(pid, ctx.args.to)
    view = ctx.queries.project(pid)
    ctx.emit(
        {
            "id": pid,
            "restored_to": ctx.args.to,
            "changes": len(changes),
            "version": view["version"],
        },
        f"restored to v{ctx.args.to} with {len(changes)} change(s) (now v{view['version']}); "
        "`milimo undo` reverts the restore"
        if changes
        else f"already as it was at v{ctx.args.to}: nothing recorded",
    )
