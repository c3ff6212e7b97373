"""milimo asset import|list|delete, segment and inpaint."""

import argparse
import time
from typing import Any

from milimo.cli.context import Context, UsageError

# A finished job's asset is recorded just after its JobCompleted: wait this long for it.
ASSET_GRACE = 15.0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    asset = sub.add_parser("asset", help="media a project holds: imported, masks, stills")
    verbs = asset.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = verbs.add_parser("import", parents=[common], help="validate and store a media file")
    p.add_argument("project")
    p.add_argument("file")
    p.set_defaults(handler=import_file)

    p = verbs.add_parser("list", parents=[common], help="the project's assets, oldest first")
    p.add_argument("project")
    p.set_defaults(handler=list_assets)

    p = verbs.add_parser(
        "delete", parents=[common], help="take an asset off the list (its file goes when unused)"
    )
    p.add_argument("project")
    p.add_argument("asset", help="id, unique id prefix or name")
    p.set_defaults(handler=delete)

    p = sub.add_parser("segment", parents=[common], help="a mask asset of one thing in an image")
    p.add_argument("project")
    p.add_argument("asset", help="an image asset: id, unique id prefix or name")
    prompt = p.add_mutually_exclusive_group(required=True)
    prompt.add_argument("--point", metavar="X,Y", help="a pixel on the thing")
    prompt.add_argument("--box", metavar="X0,Y0,X1,Y1", help="a box around the thing (pixels)")
    prompt.add_argument("--text", help="the thing named (needs SAM 3 weights)")
    p.add_argument("--wait", action="store_true", help="wait for the mask")
    p.set_defaults(handler=segment)

    p = sub.add_parser("inpaint", parents=[common], help="a new image asset, a masked part redone")
    p.add_argument("project")
    p.add_argument("asset", help="an image asset: id, unique id prefix or name")
    p.add_argument("--mask", required=True, help="a mask asset (white = paint anew)")
    p.add_argument("--prompt", required=True)
    p.add_argument("--seed", type=int, help="default: the project's seed")
    p.add_argument("--steps", type=int, help="denoising steps (default 25)")
    p.add_argument("--wait", action="store_true", help="wait for the image")
    p.set_defaults(handler=inpaint)


def asset_line(asset: dict[str, Any]) -> str:
    size = f"{asset['width']}x{asset['height']}" if asset.get("width") else "-"
    frames = f" {asset['num_frames']}f" if asset["kind"] == "video" else ""
    return (
        f"{asset['id'][:8]} {asset['kind']:<5} {size:>9}{frames}  {asset['name']}  {asset['path']}"
    )


def import_file(ctx: Context) -> int:
    from application.assets import import_asset
    from milimo.wiring import asset_store

    pid = ctx.project_id()
    imported = import_asset(ctx.studio, asset_store(ctx.milimo), pid, ctx.args.file)
    doc = imported.asset.model_dump(mode="json")
    note = "already imported: " if imported.already else ""
    ctx.emit({**doc, "already": imported.already}, f"{note}{doc['id']}  {doc['path']}")
    return 0


def list_assets(ctx: Context) -> int:
    pid = ctx.project_id()
    assets = [a.model_dump(mode="json") for a in ctx.studio.project(pid).state.assets.values()]
    ctx.emit(assets, "\n".join(asset_line(a) for a in assets) if assets else "no assets")
    return 0


def delete(ctx: Context) -> int:
    from application.asset_deletion import delete_asset
    from milimo.wiring import asset_store

    pid = ctx.project_id()
    done = delete_asset(ctx.studio, ctx.queries, asset_store(ctx.milimo), pid, ctx.args.asset)
    doc = {
        "id": done.asset.id,
        "deleted": True,
        "path": done.asset.path,
        "file_removed": done.file_removed,
        "file_kept_because": done.kept_because,
    }
    if done.kept_because:
        fate = "its file stays, still used by: " + "; ".join(done.kept_because)
    else:
        fate = f"file removed: {done.asset.path}" if done.file_removed else "no file to remove"
    ctx.emit(doc, f"deleted {done.asset.id} ({done.asset.name}); {fate}")
    return 0


def numbers(raw: str, count: int, option: str) -> tuple[float, ...]:
    parts = raw.split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != count:
        shape = "X,Y" if count == 2 else "X0,Y0,X1,Y1"
        raise UsageError(f"{option} takes {shape} in pixels: got {raw!r}")
    return values


def segment(ctx: Context) -> int:
    from application.assets import segment as request_segment
    from milimo.wiring import engine

    a = ctx.args
    point = box = None
    if a.point is not None:
        x, y = numbers(a.point, 2, "--point")
        point = (x, y)
    if a.box is not None:
        x0, y0, x1, y1 = numbers(a.box, 4, "--box")
        box = (x0, y0, x1, y1)
    pid = ctx.project_id()
    job_id = request_segment(engine(ctx.milimo), pid, a.asset, point=point, box=box, text=a.text)
    return _outcome(ctx, pid, job_id, a.wait)


def inpaint(ctx: Context) -> int:
    from application.assets import inpaint as request_inpaint
    from milimo.wiring import engine

    a = ctx.args
    pid = ctx.project_id()
    job_id = request_inpaint(
        engine(ctx.milimo), pid, a.asset, a.mask, a.prompt, seed=a.seed, steps=a.steps
    )
    return _outcome(ctx, pid, job_id, a.wait)


def _outcome(ctx: Context, pid: str, job_id: str, wait: bool) -> int:
    """The job's id at once; with --wait, the asset it made (or why it made none)."""
    if not wait:
        ctx.emit({"id": job_id}, job_id)
        return 0
    from application.assets import job_asset
    from milimo.cli.commands.jobs import job_line, wait_for

    (job,) = wait_for(ctx, [job_id])
    if job["status"] != "completed":
        ctx.emit({"id": None, "job": job_id, "status": job["status"]}, job_line(job))
        return 1
    sha = (job.get("output") or {}).get("sha256")
    deadline = time.monotonic() + ASSET_GRACE
    while (asset := job_asset(ctx.studio, pid, job_id, sha)) is None:
        if time.monotonic() > deadline:
            ctx.note(f"milimo: job {job_id[:8]} completed but its asset was not recorded")
            return 1
        time.sleep(0.1)
    doc = asset.model_dump(mode="json")
    ctx.emit({**doc, "job": job_id, "status": "completed"}, f"{doc['id']}  {doc['path']}")
    return 0
