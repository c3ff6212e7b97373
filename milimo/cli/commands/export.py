"""milimo export: the cut as OTIO, EDL (CMX 3600) or FCP X XML, through OpenTimelineIO."""

import argparse
from typing import Any

from milimo.cli.context import Context
from milimo.cli.output_file import output_file

FORMATS = ("otio", "edl", "fcpxml")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "export",
        parents=[common],
        help="the timeline as an interchange file (an EDL holds V1 only)",
    )
    p.add_argument("project")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--at", type=int, metavar="VERSION", help="the cut as it was at VERSION")
    p.set_defaults(handler=export)


def export(ctx: Context) -> int:
    from infrastructure.timeline_export import export_timeline

    a = ctx.args
    pid = ctx.project_id()
    state, _ = ctx.studio.state_at(pid, a.at)
    path = output_file(a.output)
    result = export_timeline(state, pid, path, a.format)
    for warning in result.warnings:
        ctx.note(f"milimo: warning: {warning}")
    ctx.emit(
        {
            "path": result.path,
            "format": result.format,
            "clips": result.clips,
            "warnings": result.warnings,
        },
        f"{result.path}  ({result.clips} clips, {result.format})",
    )
    return 0
