"""milimo shot lora and milimo element lora: add or remove a LoRA of a shot's or an element's
stack, and what `shot show` adds about the preset and the effective stack."""

import argparse
from collections.abc import Callable
from typing import Any

from milimo.cli.context import Context


def _verbs(parser: Any, common: argparse.ArgumentParser, owner: str) -> None:
    actions = parser.add_subparsers(dest="lora_action", required=True, metavar="add|remove")
    p = actions.add_parser("add", parents=[common], help=f"add a LoRA to the {owner}'s stack")
    p.add_argument("path", metavar="PATH", help="a LoRA .safetensors file")
    p.add_argument(
        "--strength", type=float, default=1.0, help="-2 to 2 (default 1.0); again to change it"
    )
    p = actions.add_parser("remove", parents=[common], help="take a LoRA off the stack")
    p.add_argument("path", metavar="PATH", help="its path, or its file name")


def register_shot_verb(verbs: Any, common: argparse.ArgumentParser) -> None:
    p = verbs.add_parser(
        "lora", parents=[common], help="add or remove a LoRA: lora PROJECT SHOT add|remove PATH"
    )
    p.add_argument("project")
    p.add_argument("shot")
    _verbs(p, common, "shot")
    p.set_defaults(handler=shot_lora)


def register_element_verb(verbs: Any, common: argparse.ArgumentParser) -> None:
    p = verbs.add_parser(
        "lora",
        parents=[common],
        help="add or remove a LoRA every shot using the element gets: lora PROJECT ELEMENT "
        "add|remove PATH",
    )
    p.add_argument("project")
    p.add_argument("element")
    _verbs(p, common, "element")
    p.set_defaults(handler=element_lora)


def _checked(path: str) -> str:
    from models.lora_files import checked_lora

    return checked_lora(path)


def _removal_ref(path: str) -> str:
    """The stack's key for a path as typed: absolute when it names a file here, else as given
    (a file name, or the path of a file that has gone since)."""
    from pathlib import Path

    given = Path(path).expanduser()
    return str(given.resolve()) if given.exists() or given.is_absolute() else path


def stack_text(loras: list[dict[str, Any]]) -> str:
    lines = [f"  {lora['strength']:>5g}  {lora['path']}" for lora in loras]
    return "\n".join(lines) if lines else "  (no LoRAs)"


def _change_stack(
    ctx: Context,
    add: Callable[[str, float], bool],
    remove: Callable[[str], Any],
) -> str:
    """Add or remove the LoRA the arguments name; what to say before the stack."""
    a = ctx.args
    if a.lora_action == "add":
        return (
            "" if add(_checked(a.path), a.strength) else "already in the stack at that strength\n"
        )
    return f"removed {remove(_removal_ref(a.path)).path}\n"


def shot_lora(ctx: Context) -> None:
    pid = ctx.project_id()
    shot_id = ctx.studio.project(pid).shot(ctx.args.shot).id
    said = _change_stack(
        ctx,
        lambda path, strength: ctx.studio.add_shot_lora(pid, shot_id, path, strength),
        lambda path: ctx.studio.remove_shot_lora(pid, shot_id, path),
    )
    view = next(s for s in ctx.queries.shots(pid) if s["id"] == shot_id)
    ctx.emit(view, f"{said}shot {shot_id[:8]} LoRAs:\n{stack_text(view['loras'])}")


def element_lora(ctx: Context) -> None:
    pid = ctx.project_id()
    element_id = ctx.studio.project(pid).element(ctx.args.element).id
    said = _change_stack(
        ctx,
        lambda path, strength: ctx.studio.add_element_lora(pid, element_id, path, strength),
        lambda path: ctx.studio.remove_element_lora(pid, element_id, path),
    )
    element = next(e for e in ctx.queries.project(pid)["elements"] if e["id"] == element_id)
    ctx.emit(
        element,
        f"{said}{element['trigger_word']} v{element['version']} LoRAs:\n"
        f"{stack_text(element['loras'])}",
    )


def shot_extras(ctx: Context, pid: str, shot_id: str) -> dict[str, Any]:
    """For `shot show`: what the chosen preset sets in the request (it replaces the shot's own
    num_inference_steps, cfg_scale and upscale), and the stack a generation would apply."""
    from application.engine.lora_stack import effective_loras
    from application.engine.requests import resolve_pipeline
    from models.catalog import ModelCatalog

    state = ctx.studio.project(pid).state
    shot = state.shots[shot_id]
    catalog = ModelCatalog(ctx.settings.models_dir)
    backend, _ = catalog.choose("video", resolve_pipeline(shot))
    applied = catalog.preset(backend, shot.preset) if shot.preset else None
    from application.engine.prompts import compose

    _, _, used = compose(shot, state)
    return {
        "preset_applies": {"backend": backend, **applied} if applied else None,
        "effective_loras": [
            {"path": lora.path, "strength": lora.strength, "source": source}
            for lora, source in effective_loras(state, shot, used)
        ],
    }


def extras_text(extras: dict[str, Any]) -> list[str]:
    lines = []
    applied = extras["preset_applies"]
    if applied:
        stages = "on" if applied["two_stage"] else "off"
        lines.append(
            f"{'preset applies':>20}: {applied['num_inference_steps']} steps, cfg "
            f"{applied['cfg_scale']:g}, two-stage {stages}, for {applied['backend']} "
            "(replacing the shot's num_inference_steps, cfg_scale and upscale)"
        )
    for lora in extras["effective_loras"]:
        lines.append(f"{'LoRA':>20}: {lora['strength']:g} {lora['path']} ({lora['source']})")
    return lines
