"""milimo tui [PROJECT] [--serve]: the Textual editor, in this terminal or served to a browser."""

import argparse
import functools
import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from milimo.cli.context import Context, UsageError

if TYPE_CHECKING:
    from infrastructure.bootstrap import Milimo
    from tui.services import EditorServices


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "tui",
        parents=[common],
        help="the editor (also plain `milimo` in a terminal)",
        description=(
            "The Textual editor: projects, storyboard, timeline, inspector, elements, jobs, "
            "history, audit. `?` lists every key; ctrl+p searches every command; ctrl+q quits. "
            "TEXTUAL_FPS=15 suits a slow SSH link."
        ),
    )
    p.add_argument("project", nargs="?", help="open on this project's timeline")
    p.add_argument(
        "--serve", action="store_true", help="serve the editor to a browser on 127.0.0.1"
    )
    p.add_argument("--port", type=int, default=8000, help="port for --serve (default 8000)")
    p.set_defaults(handler=editor)


def keymap_path() -> Path:
    from infrastructure.settings import config_file

    explicit = os.environ.get("MILIMO_KEYMAP")
    return Path(explicit) if explicit else config_file().parent / "keymap.toml"


def export_cut(state: Any, project_id: str, raw: str, kind: str) -> Any:
    """`milimo export` for the editor: the file checked as `-o` is, then written."""
    from infrastructure.timeline_export import export_timeline
    from milimo.cli.output_file import output_file

    try:
        path = output_file(raw)
    except UsageError as error:  # said about `-o` in the CLI; here the field is the file
        raise ValueError(str(error).removeprefix("-o ")) from None
    return export_timeline(state, project_id, path, kind)


def editor_services(m: "Milimo") -> "EditorServices":
    from infrastructure.asset_store import LocalAssetStore
    from infrastructure.frame_reader import read_frames
    from infrastructure.live_feed import redis_messages, socket_messages
    from infrastructure.pictures import reference_image
    from infrastructure.worker_registry import worker_directory
    from milimo.cli.script_file import read_script
    from models.inventory import inventory
    from models.lora_files import checked_lora
    from tui.services import EditorServices

    settings = m.settings

    def live() -> Any:
        if settings.broker_url != "embedded":
            return redis_messages(settings.broker_url)
        return socket_messages(settings.data_dir.expanduser().resolve())

    # The engine's wiring is imported when first needed, not before the first paint.
    @functools.cache
    def engine() -> Any:
        from milimo import wiring

        return wiring.engine(m)

    def script(path: str) -> tuple[str, dict[str, Any]]:
        from milimo import wiring

        if Path(path).expanduser().is_file():
            wiring.asset_store(m).readable(path)  # only from where a user may import files
        return read_script(path)

    def storyboard(text: str, rounds: int) -> Any:
        from application.storyboard_ai import write_storyboard
        from milimo import wiring
        from milimo.cli.commands.script import no_model_reason
        from models.catalog import ModelCatalog

        model = wiring.storyboard_writer(ModelCatalog(settings.models_dir))
        return write_storyboard(text, model, rounds, no_model_reason(settings.models_dir))

    registry = functools.cache(lambda: worker_directory(settings))  # one Redis client

    return EditorServices(
        studio=m.studio,
        queries=m.queries,
        engine=engine,
        live_messages=live,
        read_script=script,
        write_storyboard=storyboard,
        read_frames=read_frames,
        check_image=reference_image,
        keymap_path=keymap_path(),
        keymap_named=bool(os.environ.get("MILIMO_KEYMAP")),
        check_lora=checked_lora,
        models=lambda: inventory(settings.models_dir),
        media_files=LocalAssetStore(settings.media, roots=()),  # removes, never imports
        workers=lambda: registry().workers(),
        export_timeline=export_cut,
    )


def editor(ctx: Context) -> int:
    a = ctx.args
    if a.serve:
        return serve(ctx)
    # textual-serve runs the editor on pipes, with its web driver named in TEXTUAL_DRIVER.
    served = bool(os.environ.get("TEXTUAL_DRIVER"))
    if not served and not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "the editor needs a terminal (run it in one, or `milimo tui --serve` for a browser)"
        )
    from tui.app import MilimoApp

    # The store is opened on the editor's I/O thread after its first paint; an unknown PROJECT
    # is then said in the editor, which stays open on the Projects screen.
    MilimoApp(connect=lambda: editor_services(ctx.milimo), project=a.project).run()
    return 0


def serve(ctx: Context) -> int:
    """textual-serve runs one editor process per browser tab, on this machine only: reach it
    over SSH with `ssh -L 8000:127.0.0.1:8000 box`."""
    from textual_serve.server import Server

    a = ctx.args
    if not 1 <= a.port <= 65535:
        raise UsageError(f"--port {a.port} is not a port number")
    command = [sys.executable, "-m", "milimo", "tui"]
    if a.project:
        command.append(ctx.project_id())
    command += ["--data-dir", str(ctx.settings.data_dir.expanduser().resolve())]
    ctx.note(f"serving the editor on http://127.0.0.1:{a.port} (ctrl+c stops)")
    Server(shlex.join(command), host="127.0.0.1", port=a.port, title="Milimo").serve()
    return 0
