"""milimo script import: a screenplay into a project, merged as one undoable step."""

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from milimo.cli.context import Context, UsageError

if TYPE_CHECKING:
    from application.storyboard_ai import StoryboardRun
    from domain.project.script_result import ImportResult
    from domain.script.plan import ScriptPlan

# domain.script.plan.SCRIPT_MODES, spelled out so that `--help` loads no model code.
MODES = ("auto", "fountain", "screenplay", "numbered", "freeform", "ai")
# application.storyboard_ai.MAX_ROUNDS, for the same reason.
MAX_ROUNDS = 5


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
    p.add_argument(
        "--rounds",
        type=int,
        metavar="N",
        help=f"--mode ai: N director → critic rounds (1 to {MAX_ROUNDS}), each recorded",
    )
    p.add_argument("--dry-run", action="store_true", help="print the plan; record nothing")
    p.add_argument("--prune", action="store_true", help="remove shots whose beat is gone")
    p.set_defaults(handler=import_script)


def import_script(ctx: Context) -> None:
    a = ctx.args
    if a.rounds is not None and a.mode != "ai":
        raise UsageError("--rounds N is the director → critic rounds of --mode ai")
    if a.rounds is not None and not 1 <= a.rounds <= MAX_ROUNDS:
        raise UsageError(f"--rounds is 1 to {MAX_ROUNDS}: got {a.rounds}")
    from milimo.cli.script_file import read_script

    pid = ctx.project_id()
    if Path(a.file).expanduser().is_file() and Path(a.file).expanduser().stat().st_size:
        from milimo.wiring import asset_store

        asset_store(ctx.milimo).readable(a.file)  # only from where a user may import files
    text, source = read_script(a.file)
    from application.script_import import import_text, import_view, plan_changes, preview_view
    from domain.script import match_elements, parse_script

    run = ai_storyboard(ctx, text) if a.mode == "ai" else None
    plan = run.plan if run is not None else parse_script(text, mode=a.mode)
    state = ctx.studio.project(pid).state
    plan = match_elements(plan, state.elements.values())
    ai = run.view() if run is not None else {}
    if a.dry_run:
        preview = plan_changes(state, plan, a.prune)
        ctx.emit({**preview_view(plan, preview), **ai}, plan_text(plan, preview, ai))
        return
    source = {**source, "requested_mode": a.mode, "text": text}  # `e` in the editor opens it
    if run is not None and run.fallback:
        source["fallback"] = run.fallback
    record = run.record() if run is not None else None
    result = ctx.studio.import_script(pid, plan, a.prune, source, record)
    ctx.emit({**import_view(pid, result), **ai}, import_text(result, dry_run=False))


def no_model_reason(models_dir: Path | None) -> str:
    from models.catalog import ENHANCER_DIR, STORYBOARD_DIR

    if models_dir is None:
        return "no local language model (MILIMO_MODELS_DIR is not set)"
    where = models_dir.expanduser()
    return (
        f"no local language model in {where / STORYBOARD_DIR} or {where / ENHANCER_DIR} "
        "(a transformers causal LM folder with config.json)"
    )


def ai_storyboard(ctx: Context, text: str) -> "StoryboardRun":
    """The model's storyboard, or the rules' plan with a note on stderr saying why."""
    from application.storyboard_ai import write_storyboard
    from milimo.wiring import storyboard_writer
    from models.catalog import ModelCatalog

    models_dir = ctx.settings.models_dir
    model = storyboard_writer(ModelCatalog(models_dir))
    run = write_storyboard(text, model, ctx.args.rounds or 0, no_model_reason(models_dir))
    if run.fallback:
        ctx.note(f"--mode ai: {run.fallback}; read the text with the rules ({run.plan.mode})")
    return run


def plan_text(plan: "ScriptPlan", result: "ImportResult", ai: dict[str, Any]) -> str:
    from application.script_import import import_text

    status = {o.key: name for name, outs in _outcomes(result) for o in outs}
    lines = [f"mode: {plan.mode}"]
    for entry in ai.get("rounds") or ():
        critique = " ".join(str(entry["critique"]).split())
        lines.append(f"round {entry['round']}: the critic said: {critique[:200]}")
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
