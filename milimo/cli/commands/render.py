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
    from application.render_request import request_render
    from milimo.wiring import engine

    project_id = ctx.project_id()
    job_id = request_render(engine(ctx.milimo), project_id, destination(ctx.args.output))
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
    ctx.emit({"id": job_id, **{k: output.get(k) for k in RESULT_KEYS}}, output["path"])
    return 0
