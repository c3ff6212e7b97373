"""The `milimo` command: parse, dispatch, map errors to exit codes (CONTRACT.md).

0 done, 2 usage, 3 rejected by a rule (nothing recorded), 4 not found, 1 anything else.
"""

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from milimo.cli.commands import (
    assets,
    demo,
    editor,
    elements,
    export,
    history,
    images,
    jobs,
    ledger,
    models,
    projects,
    render,
    scenes,
    script,
    shots,
    system,
    workers,
)
from milimo.cli.context import Context, UsageError

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_REJECTED, EXIT_NOT_FOUND = 0, 1, 2, 3, 4


def common_options() -> argparse.ArgumentParser:
    # SUPPRESS keeps an option given before the command from being reset by the subparser.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print exactly one JSON document",
    )
    common.add_argument(
        "--data-dir", default=argparse.SUPPRESS, metavar="DIR", help="overrides MILIMO_DATA_DIR"
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="milimo",
        parents=[common],
        description="Milimo, a terminal-first AI video studio: every edit is an event.",
    )
    parser.add_argument("--version", action="version", version=f"milimo {version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (projects, scenes, shots, elements, history, jobs, assets, export, system, demo):
        module.register(sub, common)
    images.register(sub, common)
    render.register(sub, common)
    ledger.register(sub, common)
    models.register(sub, common)
    script.register(sub, common)
    editor.register(sub, common)
    workers.register(sub, common)
    return parser


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("milimo")
    except PackageNotFoundError:
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None and sys.stdin.isatty() and sys.stdout.isatty():
        # Plain `milimo` in a terminal opens the editor; piped, it prints the help.
        args = parser.parse_args([*(sys.argv[1:] if argv is None else argv), "tui"])
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_OK if args.command is None else EXIT_USAGE
    ctx = Context(args)
    try:
        return int(handler(ctx) or EXIT_OK)
    except BrokenPipeError:
        # The reader went away (`| head`): say nothing more, on a stdout that is gone.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except UsageError as error:
        print(f"milimo: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:
        return report(error)
    finally:
        ctx.close()


def report(error: Exception) -> int:
    from domain.errors import AmbiguousReference, DomainError, NotFound
    from infrastructure.settings import SettingsError
    from infrastructure.store_url import StoreUrlError

    if isinstance(error, NotFound):
        print(f"milimo: not found: {error}", file=sys.stderr)
        return EXIT_NOT_FOUND
    if isinstance(error, AmbiguousReference | DomainError):
        print(f"milimo: rejected: {error}", file=sys.stderr)
        return EXIT_REJECTED
    if isinstance(error, StoreUrlError | SettingsError):
        print(f"milimo: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"milimo: error: {type(error).__name__}: {error}", file=sys.stderr)
    if os.environ.get("MILIMO_DEBUG"):
        traceback.print_exc()
    else:
        print("  (set MILIMO_DEBUG=1 for the traceback)", file=sys.stderr)
    return EXIT_ERROR


def run() -> None:
    sys.exit(main())
