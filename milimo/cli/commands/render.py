"""milimo render: the whole timeline to one file (H.264 + AAC), as a job with progress."""

import argparse
from typing import Any

from milimo.cli.commands.jobs import wait_for
from milimo.cli.context import Context, UsageError
from milimo.cli.output_file import output_file

RESULT_KEYS = ("path", "sha256", "frames", "total_frames", "stream_copy", "sidecar", "takes")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "render", parents=[common], help="the whole timeline to one file (H.264 + AAC)"
    )
    p.add_argument("project")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="where to write (default: the project's renders)"
    )
    p.add_argument("--no-wait", action="store_true", help="request the render and print its job id")
    p.set_defaults(handler=render)


def destination(raw: str | None) -> str | None:
    """The absolute path to write, checked before anything is recorded."""
    if raw is None:
        return None
    path = output_file(raw)
    if path.suffix.lower() not in (".mp4", ".m4v", ".mov"):
        raise UsageError(
            f"-o {raw}: a render is an MP4 (H.264 + AAC); name the file .mp4 (or .m4v, .mov)"
        )
    return str(path)


def render(ctx: Context) -> int:
    from application.render_request import left_out, request_render
    from milimo.wiring import engine

    project_id = ctx.project_id()
    for note in left_out(ctx.studio.project(project_id).state):
        ctx.note(f"milimo: {note}")
    target = destination(ctx.args.output)
    # With a Redis broker the render may run on another box, where this box's paths mean
    # nothing: it is written into the shared media dir, and this box copies it to -o.
    copy_to = target if ctx.milimo.settings.broker_url != "embedded" else None
    if copy_to and ctx.args.no_wait:
        raise UsageError(
            "-o with --no-wait: with a Redis broker the render is written into the media dir "
            "by a worker and copied to -o once it is done; wait for it, or drop -o"
        )
    job_id = request_render(engine(ctx.milimo), project_id, None if copy_to else target)
    if ctx.args.no_wait:
        ctx.emit({"id": job_id, "status": ctx.queries.job(job_id)["status"]}, job_id)
        return 0
    [job] = wait_for(ctx, [job_id])
    if job["status"] != "completed":
        error = job.get("error") or {}
        reason = error.get("message") or job["status"]
        ctx.note(f"milimo: render {job_id[:8]} {job['status']}: {reason}")
        ctx.emit({"id": job_id, "status": job["status"], "error": job.get("error")})
        return 1
    output = job["output"]
    if copy_to:
        output = {**output, **copy_render(output, copy_to)}
    ctx.emit({"id": job_id, **{k: output.get(k) for k in RESULT_KEYS}}, output["path"])
    return 0


def copy_render(output: dict[str, Any], target: str) -> dict[str, Any]:
    """The finished render and its sidecar copied to `target` on this box, checked."""
    import hashlib
    import shutil
    from pathlib import Path

    if not Path(output["path"]).is_file():
        raise FileNotFoundError(
            f"the render was written to {output['path']}, which this box cannot see: "
            "MILIMO_MEDIA_DIR must be a mount every box shares, at the same path"
        )
    partial = target + ".partial"
    shutil.copyfile(output["path"], partial)
    with open(partial, "rb") as copy:
        digest = hashlib.file_digest(copy, "sha256").hexdigest()
    if digest != output["sha256"]:
        Path(partial).unlink()
        raise RuntimeError(f"the render {output['path']} changed while it was copied to {target}")
    Path(partial).replace(target)
    copied = {"path": target}
    if output.get("sidecar"):
        copied["sidecar"] = shutil.copyfile(output["sidecar"], target + ".json")
    return copied
