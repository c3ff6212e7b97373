"""milimo element add|set|remove|list and milimo style add."""

import argparse
from typing import Any

from milimo.cli.context import Context, parse_assignments


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    element = sub.add_parser("element", help="characters, locations and objects")
    verbs = element.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = verbs.add_parser("add", parents=[common], help="define an element")
    p.add_argument("project")
    p.add_argument("name")
    p.add_argument("--type", required=True, choices=["character", "location", "object"])
    p.add_argument("--trigger", metavar="@Name", help="defaults to @ and the name in CamelCase")
    p.add_argument("--description", default="")
    p.add_argument("--image", metavar="PATH", help="a reference image")
    p.set_defaults(handler=add)

    p = verbs.add_parser("set", parents=[common], help="change fields: KEY=VALUE...")
    p.add_argument("project")
    p.add_argument("element")
    p.add_argument("assignments", nargs="+", metavar="KEY=VALUE")
    p.set_defaults(handler=set_fields)

    p = verbs.add_parser("remove", parents=[common], help="remove an element")
    p.add_argument("project")
    p.add_argument("element")
    p.set_defaults(handler=remove)

    p = verbs.add_parser("list", parents=[common], help="the project's elements")
    p.add_argument("project")
    p.set_defaults(handler=list_elements)

    style = sub.add_parser("style", help="style presets")
    sverbs = style.add_subparsers(dest="verb", required=True, metavar="VERB")
    p = sverbs.add_parser("add", parents=[common], help="define (or redefine) a style preset")
    p.add_argument("project")
    p.add_argument("name")
    p.add_argument("--prompt-additions", default="")
    p.add_argument("--negative", default="")
    p.set_defaults(handler=add_style)


def _image_path(raw: str | None) -> str | None:
    from infrastructure.pictures import reference_image

    return reference_image(raw)


def _element(ctx: Context, pid: str, element_id: str) -> dict[str, Any]:
    return next(e for e in ctx.queries.project(pid)["elements"] if e["id"] == element_id)


def add(ctx: Context) -> None:
    a = ctx.args
    pid = ctx.project_id()
    element_id = ctx.studio.define_element(
        pid,
        a.name,
        a.type,
        trigger_word=a.trigger,
        description=a.description,
        image=_image_path(a.image),
    )
    element = _element(ctx, pid, element_id)
    ctx.emit(element, f"{element_id}  {element['trigger_word']}")


def set_fields(ctx: Context) -> None:
    pid = ctx.project_id()
    changes = parse_assignments(ctx.args.assignments, nullable_keys=("image",))
    if "trigger" in changes:
        changes["trigger_word"] = changes.pop("trigger")
    if "image" in changes:
        changes["image"] = _image_path(changes["image"])
    element_id = ctx.studio.project(pid).element(ctx.args.element).id
    ctx.studio.change_element(pid, element_id, **changes)
    element = _element(ctx, pid, element_id)
    ctx.emit(element, f"{element['trigger_word']} {element['name']} v{element['version']}")


def remove(ctx: Context) -> None:
    pid = ctx.project_id()
    element_id = ctx.studio.project(pid).element(ctx.args.element).id
    ctx.studio.remove_element(pid, element_id)
    ctx.emit({"id": element_id, "removed": True}, f"removed {element_id}")


def list_elements(ctx: Context) -> None:
    elements = ctx.queries.project(ctx.project_id())["elements"]
    lines = [
        f"{e['id']}  {e['trigger_word']:<16} {e['type']:<9} v{e['version']}  {e['name']}"
        for e in elements
    ]
    ctx.emit(elements, "\n".join(lines) if lines else "no elements")


def add_style(ctx: Context) -> None:
    a = ctx.args
    pid = ctx.project_id()
    ctx.studio.define_style(
        pid, a.name, prompt_additions=a.prompt_additions, negative_prompt=a.negative
    )
    ctx.emit(
        {
            "name": a.name.strip(),
            "prompt_additions": a.prompt_additions,
            "negative_prompt": a.negative,
        },
        f"style {a.name.strip()!r} defined; use it with: milimo project set PROJECT style={a.name}",
    )
