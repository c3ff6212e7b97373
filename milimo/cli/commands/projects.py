"""milimo project create|list|show|set|archive|unarchive, branch, track set."""

import argparse
from typing import Any

from milimo.cli.context import Context, parse_assignments
from milimo.cli.render_text import project_text

SETTING_TYPES = {"width": int, "height": int, "fps": int, "seed": int}


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    project = sub.add_parser("project", help="create, list, show and change projects")
    verbs = project.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = verbs.add_parser("create", parents=[common], help="create a project")
    p.add_argument("name")
    p.add_argument("--width", type=int, default=768)
    p.add_argument("--height", type=int, default=512)
    p.add_argument("--fps", type=int, default=25)
    p.add_argument("--seed", type=int, default=42)
    p.set_defaults(handler=create)

    p = verbs.add_parser("list", parents=[common], help="list projects, oldest first")
    p.add_argument("--all", action="store_true", help="include archived projects")
    p.set_defaults(handler=list_projects)

    p = verbs.add_parser("show", parents=[common], help="a project's state (or as it was)")
    p.add_argument("project")
    p.add_argument("--at", type=int, metavar="VERSION", help="the state as it was at VERSION")
    p.set_defaults(handler=show)

    p = verbs.add_parser(
        "set", parents=[common], help="change name, width, height, fps, seed, style"
    )
    p.add_argument("project")
    p.add_argument("assignments", nargs="+", metavar="KEY=VALUE")
    p.set_defaults(handler=set_settings)

    for name, archived in (("archive", True), ("unarchive", False)):
        p = verbs.add_parser(name, parents=[common], help=f"{name} a project (events stay)")
        p.add_argument("project")
        p.set_defaults(handler=archive, archived=archived)

    p = sub.add_parser("branch", parents=[common], help="a new project equal to one at VERSION")
    p.add_argument("project")
    p.add_argument("--at", type=int, required=True, metavar="VERSION")
    p.add_argument("--name", required=True)
    p.set_defaults(handler=branch)

    track = sub.add_parser("track", help="mute, lock or hide a track")
    tverbs = track.add_subparsers(dest="verb", required=True, metavar="VERB")
    p = tverbs.add_parser("set", parents=[common], help="set a track's flags")
    p.add_argument("project")
    p.add_argument("track", choices=["V1", "V2", "A1"])
    for on, off, flag, on_help, off_help in (
        ("mute", "unmute", "muted", "its sound is left out of renders", "heard again"),
        ("lock", "unlock", "locked", "its shots refuse edits", "editable again"),
        ("hide", "show", "hidden", "its pictures are left out of renders", "seen again"),
    ):
        group = p.add_mutually_exclusive_group()
        group.add_argument(f"--{on}", dest=flag, action="store_const", const=True, help=on_help)
        group.add_argument(f"--{off}", dest=flag, action="store_const", const=False, help=off_help)
    p.set_defaults(handler=set_track)


def create(ctx: Context) -> None:
    a = ctx.args
    pid = ctx.studio.create_project(a.name, width=a.width, height=a.height, fps=a.fps, seed=a.seed)
    ctx.emit({"id": pid, "name": a.name.strip()}, pid)


def list_projects(ctx: Context) -> None:
    projects = ctx.queries.projects(include_archived=ctx.args.all)
    lines = [
        f"{p['id']}  v{p['version']:<5} {p['name']}" + ("  (archived)" if p["archived"] else "")
        for p in projects
    ]
    if not lines:
        hidden = len(ctx.queries.projects(include_archived=True))
        lines = [
            f"no projects in the list ({hidden} archived: milimo project list --all)"
            if hidden
            else "no projects yet: milimo project create NAME"
        ]
    ctx.emit(projects, "\n".join(lines))


def show(ctx: Context) -> None:
    pid = ctx.project_id()
    if ctx.args.at is not None:
        from application.project_view import project_view

        state, version = ctx.studio.state_at(pid, ctx.args.at)
        view = project_view(pid, version, state)
        view["created_at"] = ctx.studio.history(pid, 0, 1)[0]["at"]
        view["updated_at"] = ctx.studio.history(pid, version - 1, 1)[0]["at"]
    else:
        view = ctx.queries.project(pid)
    ctx.emit(view, project_text(view))


def set_settings(ctx: Context) -> None:
    pid = ctx.project_id()
    changes = parse_assignments(ctx.args.assignments, nullable_keys=("style",))
    ctx.studio.change_settings(pid, **changes)
    view = ctx.queries.project(pid)
    ctx.emit(view, project_text(view))


def archive(ctx: Context) -> None:
    pid = ctx.project_id()
    ctx.studio.archive(pid, ctx.args.archived)
    word = "archived" if ctx.args.archived else "unarchived"
    ctx.emit({"id": pid, "archived": ctx.args.archived}, f"{word} {pid}")


def branch(ctx: Context) -> None:
    pid = ctx.project_id()
    new = ctx.studio.branch(pid, ctx.args.at, ctx.args.name)
    name = ctx.args.name.strip()
    ctx.emit({"id": new, "name": name, "origin": {"project_id": pid, "version": ctx.args.at}}, new)


def set_track(ctx: Context) -> None:
    pid = ctx.project_id()
    flags = {k: getattr(ctx.args, k) for k in ("muted", "locked", "hidden")}
    ctx.studio.set_track(pid, ctx.args.track, **{k: v for k, v in flags.items() if v is not None})
    tracks = ctx.queries.project(pid)["tracks"]
    t = tracks[ctx.args.track]
    ctx.emit(
        {"track": ctx.args.track, **t},
        f"{ctx.args.track}: " + ", ".join(f"{k}={'yes' if v else 'no'}" for k, v in t.items()),
    )
