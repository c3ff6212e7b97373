"""milimo shot add|set|trim|move|split|delete|show|reorder|concept, and milimo shots."""

import argparse
from typing import Any

from application.take_quality import quality_line
from milimo.cli.commands import loras
from milimo.cli.context import Context, UsageError, parse_assignments
from milimo.cli.render_text import shot_line

# `shot add` options that map straight onto spec fields.
ADD_OPTIONS: tuple[tuple[str, str, type], ...] = (
    ("--prompt", "prompt", str),
    ("--negative", "negative_prompt", str),
    ("--action", "action", str),
    ("--dialogue", "dialogue", str),
    ("--character", "character", str),
    ("--shot-type", "shot_type", str),
    ("--frames", "num_frames", int),
    ("--seed", "seed", int),
    ("--width", "width", int),
    ("--height", "height", int),
    ("--fps", "fps", int),
    ("--cfg", "cfg_scale", float),
    ("--steps", "num_inference_steps", int),
    ("--pipeline", "pipeline_override", str),
)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    shot = sub.add_parser("shot", help="add and edit shots on the timeline")
    verbs = shot.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = verbs.add_parser("add", parents=[common], help="add a shot at the end of a scene")
    p.add_argument("project")
    p.add_argument("--scene", required=True)
    p.add_argument("--track", default="V1", choices=["V1", "V2", "A1"])
    p.add_argument("--start", type=int, metavar="FRAME", help="start frame on V2 or A1")
    p.add_argument(
        "--asset", metavar="ASSET", help="an imported clip or sound as the shot's media (its take)"
    )
    for flag, dest, kind in ADD_OPTIONS:
        p.add_argument(flag, dest=dest, type=kind)
    p.set_defaults(handler=add)

    p = verbs.add_parser("set", parents=[common], help="change spec fields: KEY=VALUE...")
    p.add_argument("project")
    p.add_argument("shot")
    p.add_argument("assignments", nargs="+", metavar="KEY=VALUE")
    p.set_defaults(handler=set_fields)

    p = verbs.add_parser("trim", parents=[common], help="frames trimmed from start / end")
    p.add_argument("project")
    p.add_argument("shot")
    p.add_argument("--in", dest="trim_in", type=int, metavar="N")
    p.add_argument("--out", dest="trim_out", type=int, metavar="M")
    p.set_defaults(handler=trim)

    p = verbs.add_parser("move", parents=[common], help="to another track, frame or place")
    p.add_argument("project")
    p.add_argument("shot")
    p.add_argument("--track", choices=["V1", "V2", "A1"])
    p.add_argument("--start", type=int, metavar="FRAME")
    p.add_argument("--before", metavar="SHOT")
    p.set_defaults(handler=move)

    p = verbs.add_parser("split", parents=[common], help="split at a frame of the visible range")
    p.add_argument("project")
    p.add_argument("shot")
    p.add_argument("--at", type=int, required=True, metavar="FRAME")
    p.set_defaults(handler=split)

    p = verbs.add_parser("delete", parents=[common], help="remove a shot (undo brings it back)")
    p.add_argument("project")
    p.add_argument("shot")
    p.set_defaults(handler=delete)

    p = verbs.add_parser("show", parents=[common], help="one shot's full spec")
    p.add_argument("project")
    p.add_argument("shot")
    p.set_defaults(handler=show)

    p = verbs.add_parser("reorder", parents=[common], help="put a scene's shots in a new order")
    p.add_argument("project")
    p.add_argument("--scene", required=True)
    p.add_argument("shots", nargs="+", metavar="SHOT")
    p.set_defaults(handler=reorder)

    p = verbs.add_parser("concept", parents=[common], help="concept art for the storyboard")
    p.add_argument("project")
    p.add_argument("shot")
    p.add_argument("--wait", action="store_true", help="wait for the image to be made")
    p.set_defaults(handler=concept)

    loras.register_shot_verb(verbs, common)

    p = sub.add_parser("shots", parents=[common], help="the shots, scene by scene")
    p.add_argument("project")
    p.add_argument(
        "--status",
        choices=("pending", "queued", "running", "completed", "failed", "cancelled"),
        help="only shots with this status",
    )
    p.add_argument("--stale", action="store_true", help="only shots whose take is stale")
    p.add_argument(
        "--min-consistency",
        type=float,
        metavar="X",
        help="only shots whose active take's temporal consistency (0..1) is at least X",
    )
    p.set_defaults(handler=list_shots)


def _shot_view(ctx: Context, pid: str, shot_id: str) -> dict[str, Any]:
    for shot in ctx.queries.shots(pid):
        if shot["id"] == shot_id:
            return shot
    raise AssertionError(f"shot {shot_id} is missing from the read model")


def _resolve_shot(ctx: Context, pid: str, ref: str) -> str:
    return ctx.studio.project(pid).shot(ref).id


def _print_shot(ctx: Context, pid: str, shot_id: str, text: str | None = None) -> None:
    view = _shot_view(ctx, pid, shot_id)
    ctx.emit(view, text if text is not None else shot_line(view).strip())


def add(ctx: Context) -> None:
    a = ctx.args
    pid = ctx.project_id()
    spec = {dest: getattr(a, dest) for _, dest, _ in ADD_OPTIONS if getattr(a, dest) is not None}
    if a.asset is not None:
        if spec:
            given = ", ".join(flag for flag, dest, _ in ADD_OPTIONS if dest in spec)
            raise UsageError(f"--asset gives the shot its length and text: drop {given}")
        shot_id = ctx.studio.place_asset(pid, a.scene, a.asset, a.track, a.start)
        _print_shot(ctx, pid, shot_id, shot_id)
        return
    shot_id = ctx.studio.add_shot(pid, a.scene, track=a.track, start_frame=a.start, **spec)
    _print_shot(ctx, pid, shot_id, shot_id)


def set_fields(ctx: Context) -> None:
    pid = ctx.project_id()
    shot_id = _resolve_shot(ctx, pid, ctx.args.shot)
    changes = parse_assignments(
        ctx.args.assignments, json_keys=("conditioning",), nullable_keys=("active_take", "preset")
    )
    ctx.studio.change_shot(pid, shot_id, **changes)
    _print_shot(ctx, pid, shot_id)


def trim(ctx: Context) -> None:
    if ctx.args.trim_in is None and ctx.args.trim_out is None:
        raise UsageError("shot trim needs --in N, --out M or both")
    pid = ctx.project_id()
    shot_id = _resolve_shot(ctx, pid, ctx.args.shot)
    ctx.studio.trim_shot(pid, shot_id, ctx.args.trim_in, ctx.args.trim_out)
    _print_shot(ctx, pid, shot_id)


def move(ctx: Context) -> None:
    a = ctx.args
    if a.track is None and a.start is None and a.before is None:
        raise UsageError("shot move needs --track, --start or --before")
    pid = ctx.project_id()
    shot_id = _resolve_shot(ctx, pid, a.shot)
    ctx.studio.move_shot(pid, shot_id, track=a.track, start_frame=a.start, before=a.before)
    _print_shot(ctx, pid, shot_id)


def split(ctx: Context) -> None:
    pid = ctx.project_id()
    shot_id = _resolve_shot(ctx, pid, ctx.args.shot)
    new_id = ctx.studio.split_shot(pid, shot_id, ctx.args.at)
    first, second = _shot_view(ctx, pid, shot_id), _shot_view(ctx, pid, new_id)
    ctx.emit(
        {"id": new_id, "shots": [first, second]},
        f"{new_id}\n{shot_line(first)}\n{shot_line(second)}",
    )


def delete(ctx: Context) -> None:
    pid = ctx.project_id()
    shot_id = _resolve_shot(ctx, pid, ctx.args.shot)
    ctx.studio.remove_shot(pid, shot_id)
    ctx.emit({"id": shot_id, "deleted": True}, f"deleted {shot_id}; `milimo undo` brings it back")


def show(ctx: Context) -> None:
    pid = ctx.project_id()
    view = _shot_view(ctx, pid, _resolve_shot(ctx, pid, ctx.args.shot))
    extras = loras.shot_extras(ctx, pid, view["id"])
    lines = [f"{k:>20}: {v}" for k, v in view.items() if k != "takes"] + loras.extras_text(extras)
    view = {**view, **extras}
    ctx.emit(view, "\n".join(lines + [take_line(t, view) for t in view["takes"]]))


def take_line(take: dict[str, Any], shot: dict[str, Any]) -> str:
    """A take beside its measured quality: "take: 1a2b3c4d * cons 0.93 · motion 1.2 · …"."""
    active = "*" if take["id"] == shot.get("active_take") else " "
    return f"{'take':>20}: {take['id'][:8]} {active} {quality_line(take.get('quality'))}".rstrip()


def reorder(ctx: Context) -> None:
    pid = ctx.project_id()
    ctx.studio.reorder_shots(pid, ctx.args.scene, ctx.args.shots)
    list_shots(ctx)


def list_shots(ctx: Context) -> None:
    a = ctx.args
    pid = ctx.project_id()
    shots = ctx.queries.shots(pid, status=getattr(a, "status", None))
    if getattr(a, "stale", False):
        shots = [s for s in shots if s["stale"]]
    minimum = getattr(a, "min_consistency", None)
    if minimum is not None and not 0.0 <= minimum <= 1.0:
        raise UsageError(f"--min-consistency is a mean SSIM between 0 and 1: got {minimum}")
    if minimum is not None:
        shots = [
            s
            for s in shots
            if any(
                (t.get("quality") or {}).get("temporal_consistency", -1) >= minimum
                for t in s["takes"]
                if t["id"] == s["active_take"]
            )
        ]
    text = "\n".join(shot_line(s) + stale_text(s) for s in shots) if shots else "no shots"
    ctx.emit(shots, text)


def stale_text(shot: dict[str, Any]) -> str:
    """Why a shot's take is stale: one line per element it used that changed or went."""
    lines = []
    for why in shot.get("stale_because", []):
        if why["reason"] == "removed":
            lines.append(f"element {why['element_id'][:8]} (v{why['used_version']}) was removed")
        else:
            lines.append(
                f"{why['trigger_word']} {why['element']} changed: take used "
                f"v{why['used_version']}, now v{why['current_version']}"
            )
    return "".join(f"\n        stale: {line}" for line in lines)


def concept(ctx: Context) -> int:
    """An image job for the shot's concept art; with --wait, the still's path once made."""
    from milimo.cli.commands.jobs import job_line, wait_for
    from milimo.wiring import engine

    pid = ctx.project_id()
    shot_id = _resolve_shot(ctx, pid, ctx.args.shot)
    job_id = engine(ctx.milimo).concept_art(pid, shot_id)
    job = wait_for(ctx, [job_id])[0] if ctx.args.wait else ctx.queries.job(job_id)
    art = _shot_view(ctx, pid, shot_id).get("concept_art") if ctx.args.wait else None
    data = {"id": job_id, "shot_id": shot_id, "status": job["status"], "concept_art": art}
    if not ctx.args.wait:
        ctx.emit(data, job_id)
    else:
        ctx.emit(data, f"{job_line(job)}\nconcept art: {art}" if art else job_line(job))
    return 0 if not ctx.args.wait or job["status"] == "completed" else 1
