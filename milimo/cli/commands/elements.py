"""milimo element add|set|remove|list|visualize|edit-look|looks|look and milimo style add."""

import argparse
from typing import Any

from milimo.cli.commands import loras
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

    loras.register_element_verb(verbs, common)

    p = verbs.add_parser("list", parents=[common], help="the project's elements")
    p.add_argument("project")
    p.set_defaults(handler=list_elements)

    register_looks(verbs, common)

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


# -- looks -------------------------------------------------------------------------------------


def register_looks(verbs: Any, common: argparse.ArgumentParser) -> None:
    p = verbs.add_parser(
        "visualize", parents=[common], help="a reference image (a look) from the description"
    )
    p.add_argument("project")
    p.add_argument("element")
    p.add_argument("--prompt", help="instead of the description")
    p.add_argument("--seed", type=int, help="default: the project's seed + the looks so far")
    p.add_argument("--steps", type=int, help="denoising steps (default 25)")
    p.add_argument("--wait", action="store_true", help="wait for the look")
    p.set_defaults(handler=visualize)

    p = verbs.add_parser(
        "edit-look", parents=[common], help="a variant of the element's image (reference edit)"
    )
    p.add_argument("project")
    p.add_argument("element")
    p.add_argument("--prompt", required=True, help='the change, e.g. "twenty years older"')
    p.add_argument("--seed", type=int, help="default: the project's seed + the looks so far")
    p.add_argument("--steps", type=int, help="denoising steps (default 25)")
    p.add_argument("--wait", action="store_true", help="wait for the look")
    p.set_defaults(handler=edit_look)

    p = verbs.add_parser("looks", parents=[common], help="the element's looks, oldest first")
    p.add_argument("project")
    p.add_argument("element")
    p.set_defaults(handler=list_looks)

    p = verbs.add_parser(
        "look", parents=[common], help="choose the look the element uses; lists stale shots"
    )
    p.add_argument("project")
    p.add_argument("element")
    p.add_argument("look", help="a look's id or unique id prefix (see `element looks`)")
    p.set_defaults(handler=choose_look)


def look_line(look: dict[str, Any]) -> str:
    mark = "*" if look.get("chosen") else " "
    size = f"{look['width']}x{look['height']}" if look.get("width") else "-"
    source = f" (from {look['edited_from'][:8]})" if look.get("edited_from") else ""
    return (
        f"{mark} {look['id'][:8]} {look['kind']:<9} {size:>9}  {look['prompt']!r}{source}"
        f"  {look['path']}"
    )


def visualize(ctx: Context) -> int:
    from application.element_looks import visualize as request_visualize
    from milimo.wiring import engine

    a = ctx.args
    pid = ctx.project_id()
    job_id = request_visualize(
        engine(ctx.milimo), pid, a.element, prompt=a.prompt, seed=a.seed, steps=a.steps
    )
    return _look_outcome(ctx, pid, job_id, a.wait)


def edit_look(ctx: Context) -> int:
    from application.element_looks import edit_look as request_edit
    from milimo.wiring import engine

    a = ctx.args
    pid = ctx.project_id()
    job_id = request_edit(engine(ctx.milimo), pid, a.element, a.prompt, seed=a.seed, steps=a.steps)
    return _look_outcome(ctx, pid, job_id, a.wait)


def _look_outcome(ctx: Context, pid: str, job_id: str, wait: bool) -> int:
    """The job's id at once (the look will have the same id); with --wait, the look."""
    if not wait:
        ctx.emit({"id": job_id, "job": job_id, "status": "queued"}, job_id)
        return 0
    from application.element_looks import job_look, looks
    from milimo.cli.commands.jobs import job_line, wait_for

    (job,) = wait_for(ctx, [job_id])
    if job["status"] != "completed":
        ctx.emit({"id": None, "job": job_id, "status": job["status"]}, job_line(job))
        return 1
    found = job_look(ctx.studio, pid, job_id)
    if found is None:
        ctx.note(f"milimo: job {job_id[:8]} completed, but its element was removed meanwhile")
        ctx.emit({"id": None, "job": job_id, "status": "completed"})
        return 1
    element, look = found
    (doc,) = [x for x in looks(ctx.studio, pid, element.id) if x["id"] == look.id]
    chosen = " (chosen: the element had no image)" if doc["chosen"] else ""
    text = f"{look.id}  {look.path}{chosen}"
    ctx.emit({**doc, "element_id": element.id, "status": "completed"}, text)
    return 0


def list_looks(ctx: Context) -> None:
    from application.element_looks import looks

    found = looks(ctx.studio, ctx.project_id(), ctx.args.element)
    ctx.emit(found, "\n".join(look_line(x) for x in found) if found else "no looks yet")


def choose_look(ctx: Context) -> None:
    from application.element_looks import choose_look as choose

    pid = ctx.project_id()
    chosen = choose(ctx.studio, pid, ctx.args.element, ctx.args.look)
    element = chosen.element
    who = f"{element.trigger_word} {element.name}"
    if chosen.changed:
        lines = [f"{who} uses look {chosen.look.id[:8]} now (v{element.version})"]
    else:
        lines = [f"{who} uses look {chosen.look.id[:8]} already (v{element.version})"]
    if chosen.stale_shots:
        lines.append("stale shots (their takes used an older version of it):")
        lines += [
            f"  {s['id'][:8]} {s['scene']!r} shot {s['index'] + 1} {s['track']}: "
            f"v{s['used_version']} → v{s['current_version']}  {s['prompt']}"
            for s in chosen.stale_shots
        ]
    else:
        lines.append("no shot is stale")
    ctx.emit(
        {
            "element": element.model_dump(mode="json"),
            "look": chosen.look.model_dump(mode="json"),
            "changed": chosen.changed,
            "version": element.version,
            "stale_shots": chosen.stale_shots,
        },
        "\n".join(lines),
    )
