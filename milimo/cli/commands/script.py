"""milimo script import: a screenplay into a project, merged as one undoable step."""

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from milimo.cli.context import Context, UsageError

if TYPE_CHECKING:
    from domain.project.script_result import ImportResult
    from domain.script.plan import ScriptPlan

# domain.script.plan.SCRIPT_MODES, spelled out so that `--help` loads no model code.
MODES = ("auto", "fountain", "screenplay", "numbered", "freeform", "ai")
AI_NOT_YET = (
    "--mode ai needs a local language model (from MILIMO_MODELS_DIR) and is not available in "
    "this version; nothing was imported. Use --mode auto, fountain, screenplay, numbered or "
    "freeform"
)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    script = sub.add_parser("script", help="import a screenplay into a project")
    verbs = script.add_subparsers(dest="verb", required=True, metavar="VERB")
    p = verbs.add_parser(
        "import",
        parents=[common],
        help="read a screenplay and merge its scenes and shots into the project",
        description=(
            "Importing again merges: shots you edited keep your edits, new beats are added in "
            "place, beats gone from the script are listed and removed only with --prune. One "
            "import is one step for `milimo undo`."
        ),
    )
    p.add_argument("project")
    p.add_argument("file")
    p.add_argument("--mode", choices=MODES, default="auto", help="how to read it (default: auto)")
    p.add_argument("--rounds", type=int, metavar="N", help="refinement rounds of --mode ai")
    p.add_argument("--dry-run", action="store_true", help="print the plan; record nothing")
    p.add_argument("--prune", action="store_true", help="remove shots whose beat is gone")
    p.set_defaults(handler=import_script)


def import_script(ctx: Context) -> None:
    a = ctx.args
    if a.mode == "ai":
        from domain.errors import DomainError

        raise DomainError(AI_NOT_YET)
    if a.rounds is not None:
        raise UsageError("--rounds belongs to --mode ai, which is not available yet")
    from milimo.cli.script_file import read_script

    pid = ctx.project_id()
    if Path(a.file).expanduser().is_file() and Path(a.file).expanduser().stat().st_size:
        from milimo.wiring import asset_store

        asset_store(ctx.milimo).readable(a.file)  # only from where a user may import files
    text, source = read_script(a.file)
    from application.script_import import import_text, import_view, plan_changes, preview_view
    from domain.script import match_elements, parse_script

    plan = parse_script(text, mode=a.mode)
    state = ctx.studio.project(pid).state
    plan = match_elements(plan, state.elements.values())
    if a.dry_run:
        preview = plan_changes(state, plan, a.prune)
        ctx.emit(preview_view(plan, preview), plan_text(plan, preview))
        return
    result = ctx.studio.import_script(pid, plan, a.prune, {**source, "requested_mode": a.mode})
    ctx.emit(import_view(pid, result), import_text(result, dry_run=False))


def plan_text(plan: "ScriptPlan", result: "ImportResult") -> str:
    from application.script_import import import_text

    status = {o.key: name for name, outs in _outcomes(result) for o in outs}
    lines = [f"mode: {plan.mode}"]
    for scene in plan.scenes:
        lines.append(f"scene {scene.name}" + (f"  ({scene.heading})" if scene.heading else ""))
        for shot in scene.shots:
            who = f"{shot.character}: " if shot.character else ""
            what = (f'{who}"{shot.dialogue}"' if shot.dialogue else shot.action).replace("\n", " ")
            lines.append(f"  {status.get(shot.key, ''):<8} {shot.shot_type:<12} {what[:70]}")
    for element in plan.elements_proposed:
        lines.append(f"element proposed: {element.trigger_word} {element.name} ({element.type})")
    lines.extend(f"warning: {w}" for w in plan.warnings)
    lines.append(import_text(result, dry_run=True))
    return "\n".join(lines)


def _outcomes(result: "ImportResult") -> list[tuple[str, tuple[Any, ...]]]:
    return [("added", result.added), ("updated", result.updated), ("kept", result.kept)]
