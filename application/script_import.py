"""Script import as the outside sees it: the --dry-run preview and the import's answer.

The preview runs the very merge the import runs (domain/project/script_merge), on the current
state, and records nothing; so what --dry-run shows is what the import does.
"""

from typing import Any

from domain.project.script_merge import merge_script
from domain.project.script_result import BeatOutcome, ImportResult
from domain.project.state import ProjectState
from domain.script.plan import ScriptPlan


def plan_changes(state: ProjectState, plan: ScriptPlan, prune: bool = False) -> ImportResult:
    """What importing `plan` would do to `state`; raises what the import would raise."""
    _, result = merge_script(state, plan, prune)
    return result


def _outcome(outcome: BeatOutcome) -> dict[str, Any]:
    return outcome.model_dump(mode="json")


def changes_view(result: ImportResult) -> dict[str, Any]:
    return {
        "scenes_added": list(result.scenes_added),
        "scenes_updated": list(result.scenes_updated),
        "scenes_gone": list(result.scenes_gone),
        "scenes_removed": list(result.scenes_removed),
        "added": [_outcome(o) for o in result.added],
        "updated": [_outcome(o) for o in result.updated],
        "kept": [_outcome(o) for o in result.kept],
        "gone": [_outcome(o) for o in result.gone],
        "removed": [_outcome(o) for o in result.removed],
        "elements_added": list(result.elements_added),
        "elements_existing": list(result.elements_existing),
        "counts": result.counts(),
    }


def preview_view(plan: ScriptPlan, result: ImportResult) -> dict[str, Any]:
    """CONTRACT.md's `script import --dry-run --json`, with what the import would change."""
    status: dict[str, tuple[str, BeatOutcome]] = {}
    for name, outcomes in (
        ("added", result.added),
        ("updated", result.updated),
        ("kept", result.kept),
    ):
        status.update({o.key: (name, o) for o in outcomes})
    existing = {name.casefold() for name in result.elements_existing}
    return {
        "mode": plan.mode,
        "title": dict(plan.title),
        "scenes": [
            {
                "name": scene.name,
                "heading": scene.heading,
                "key": scene.key,
                "synopsis": scene.synopsis,
                "shots": [
                    {
                        "action": shot.action,
                        "dialogue": shot.dialogue,
                        "character": shot.character,
                        "shot_type": shot.shot_type,
                        "key": shot.key,
                        "extensions": list(shot.extensions),
                        "parenthetical": shot.parenthetical,
                        "dual": shot.dual,
                        "duration_seconds": shot.duration_seconds,
                        "num_frames": status[shot.key][1].num_frames,
                        "status": status[shot.key][0],
                    }
                    for shot in scene.shots
                ],
            }
            for scene in plan.scenes
        ],
        "elements_proposed": [
            {
                **element.model_dump(mode="json"),
                "status": "exists" if element.name.strip().casefold() in existing else "new",
            }
            for element in plan.elements_proposed
        ],
        "element_matches": [m.model_dump(mode="json") for m in plan.element_matches],
        "warnings": list(plan.warnings),
        "prune": result.pruned,
        "changes": changes_view(result),
    }


def import_view(project_id: str, result: ImportResult) -> dict[str, Any]:
    """What `script import --json` prints after a real import."""
    counts = result.counts()
    return {
        "id": project_id,
        "version": result.version,
        "mode": result.mode,
        **counts,
        "shots_gone": [_outcome(o) for o in result.gone],
        "scenes_gone": list(result.scenes_gone),
        "new_elements": list(result.elements_added),
        "changes": changes_view(result),
    }


def import_text(result: ImportResult, dry_run: bool) -> str:
    """The humane summary of an import or its preview."""
    c = result.counts()
    verb = "would import" if dry_run else "imported"
    lines = [
        f"{verb} ({result.mode}): {c['scenes_added']} new scene(s), {c['shots_added']} new "
        f"shot(s), {c['shots_updated']} updated, {c['shots_kept']} kept, "
        f"{c['elements_added']} new element(s)"
    ]
    for outcome in (*result.updated, *result.kept):
        if outcome.previous_key:
            lines.append(
                f"  shot {outcome.shot_id[:8]} ({outcome.scene}) follows its edited line: "
                f"{(outcome.action or outcome.dialogue)[:60]}"
            )
        if outcome.kept_edits:
            lines.append(
                f"  kept your edits to {', '.join(outcome.kept_edits)} of shot "
                f"{outcome.shot_id[:8]} ({outcome.scene})"
            )
    if result.gone:
        removed = "would be removed (--prune)" if dry_run else "removed (--prune)"
        what = removed if result.pruned else "gone from the script (kept; --prune)"
        lines.append(f"  {len(result.gone)} shot(s) {what}:")
        lines.extend(
            f"    {o.shot_id[:8]} {o.scene}: {(o.action or o.dialogue)[:60]}" for o in result.gone
        )
    if result.scenes_gone:
        lines.append(f"  scene(s) gone from the script: {', '.join(result.scenes_gone)}")
    if not dry_run and result.version is not None:
        lines.append(f"  version {result.version}")
    return "\n".join(lines)
