"""milimo image: a still from a prompt (Flux 2 Klein, the animatic card without weights)."""

import argparse
from typing import Any

from milimo.cli.commands.assets import _outcome
from milimo.cli.context import Context


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "image", parents=[common], help="a new image asset from a prompt (and reference images)"
    )
    p.add_argument("project")
    p.add_argument("--prompt", required=True, help="what the image shows")
    p.add_argument(
        "--ref",
        action="append",
        default=[],
        metavar="ASSET",
        help="an image asset to use as a reference (id, prefix or name); repeatable",
    )
    p.add_argument("--width", type=int, help="pixels, a multiple of 16 (default 1024)")
    p.add_argument("--height", type=int, help="pixels, a multiple of 16 (default 1024)")
    p.add_argument("--seed", type=int, help="default: the project's seed")
    p.add_argument("--steps", type=int, help="denoising steps (default 25)")
    p.add_argument("--wait", action="store_true", help="wait for the image and print its asset")
    p.set_defaults(handler=image)


def image(ctx: Context) -> int:
    from application.images import request_image
    from milimo.wiring import engine

    a = ctx.args
    pid = ctx.project_id()
    job_id = request_image(
        engine(ctx.milimo),
        pid,
        a.prompt,
        a.ref,
        width=a.width,
        height=a.height,
        seed=a.seed,
        steps=a.steps,
    )
    return _outcome(ctx, pid, job_id, a.wait)
