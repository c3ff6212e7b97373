"""milimo scene add|list|rename|remove|reorder."""

import argparse
from typing import Any

from milimo.cli.context import Context


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    scene = sub.add_parser("scene", help="add, list, rename, remove and reorder scenes")
    verbs = scene.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = verbs.add_parser("add", parents=[common], help="add a scene at the end")
    p.add_argument("project")
    p.add_argument("name")
    p.add_argument("--heading", default="", help="e.g. INT. KITCHEN - NIGHT")
    p.add_argument("--script", default="", help="the scene's script text")
    p.set_defaults(handler=add)

    p = verbs.add_parser("list", parents=[common], help="the scenes in order")
    p.add_argument("project")
    p.set_defaults(handler=list_scenes)

    p = verbs.add_parser("rename", parents=[common], help="rename a scene")
    p.add_argument("project")
    p.add_argument("scene")
    p.add_argument("name")
    p.set_defaults(handler=rename)

    p = verbs.add_parser("remove", parents=[common], help="remove a scene and its shots")
    p.add_argument("project")
    p.add_argument("scene")
    p.set_defaults(handler=remove)

    p = verbs.add_parser("reorder", parents=[common], help="put every scene in a new order")
    p.add_argument("project")
    p.add_argument("scenes", nargs="+", metavar="SCENE")
    p.set_defaults(handler=reorder)


def add(ctx: Context) -> None:
    pid = ctx.project_id()
    scene_id = ctx.studio.add_scene(
        pid, ctx.args.name, heading=ctx.args.heading, script_text=ctx.args.script
    )
    ctx.emit({"id": scene_id, "name": ctx.args.name.strip()}, scene_id)


def list_scenes(ctx: Context) -> None:
    view = ctx.queries.project(ctx.project_id())
    counts: dict[str, int] = {}
    for shot in view["shots"]:
        counts[shot["scene_id"]] = counts.get(shot["scene_id"], 0) + 1
    scenes = [{**s, "shots": counts.get(s["id"], 0)} for s in view["scenes"]]
    lines = [
        f"{s['index']:>3} {s['id']}  {s['name']}  ({s['shots']} shots)"
        + (f"  {s['heading']}" if s["heading"] else "")
        for s in scenes
    ]
    ctx.emit(scenes, "\n".join(lines) if lines else "no scenes yet: milimo scene add PROJECT NAME")


def rename(ctx: Context) -> None:
    pid = ctx.project_id()
    scene_id = ctx.studio.project(pid).scene(ctx.args.scene).id
    ctx.studio.rename_scene(pid, scene_id, ctx.args.name)
    name = ctx.args.name.strip()
    ctx.emit({"id": scene_id, "name": name}, f"renamed scene {scene_id[:8]} to {name!r}")


def remove(ctx: Context) -> None:
    pid = ctx.project_id()
    shots = ctx.studio.remove_scene(pid, ctx.args.scene)
    ctx.emit(
        {"removed_shots": shots},
        f"removed the scene and {len(shots)} shot(s); `milimo undo` brings them back",
    )


def reorder(ctx: Context) -> None:
    pid = ctx.project_id()
    ctx.studio.reorder_scenes(pid, ctx.args.scenes)
    scenes = ctx.queries.project(pid)["scenes"]
    ctx.emit(scenes, "\n".join(f"{s['index']:>3} {s['id'][:8]} {s['name']}" for s in scenes))
