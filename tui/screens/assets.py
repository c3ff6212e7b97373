"""Assets: the project's gallery (imports, masks, generated stills) with a half-block picture of
the highlighted one; make a new image from a prompt and references, preview, delete."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from domain.errors import InvalidValue
from tui.screens.dialogs import Field
from tui.screens.table_with_picture import TableWithPictureScreen
from tui.widgets.thumbnail import Thumbnail

# The new-image form: field, label, placeholder.
FORM = (
    ("prompt", "Prompt", "the keeper on the gallery at dusk, oil painting"),
    ("refs", "Reference images (asset names or ids, comma-separated; empty: none)", "door.png"),
    ("width", "Width (a multiple of 16; empty: 1024)", "1024"),
    ("height", "Height (a multiple of 16; empty: 1024)", "1024"),
    ("seed", "Seed (empty: the project's)", "42"),
    ("steps", "Steps (empty: 25)", "25"),
)
NUMBERS = ("width", "height", "seed", "steps")


def size_text(asset: dict[str, Any]) -> str:
    size = f"{asset['width']}×{asset['height']}" if asset.get("width") else "-"
    if asset["kind"] == "video" and asset.get("num_frames"):
        size += f" {asset['num_frames']}f"
    elif asset["kind"] == "audio" and asset.get("duration"):
        size = f"{asset['duration']:.1f} s"
    return size


def source_text(asset: dict[str, Any]) -> str:
    source = asset["source"]
    if "job_id" in source:
        return f"job {source['job_id'][:8]}"
    return f"import {Path(source['import']).name}"


def whole_numbers(values: dict[str, str]) -> dict[str, int | None]:
    numbers: dict[str, int | None] = {}
    for name in NUMBERS:
        raw = values.get(name, "").strip()
        try:
            numbers[name] = int(raw) if raw else None
        except ValueError:
            raise InvalidValue(f"{name} must be a whole number: got {raw!r}") from None
    return numbers


class KeepFiles:
    """Without a media store (a bare test wiring) a deletion removes no file."""

    def remove(self, path: str) -> bool:
        return False


class PicturePreviewScreen(ModalScreen[None]):
    """One still, as large as the terminal allows."""

    BINDINGS = [Binding("escape,q,p", "close", "Close", id="picture.close")]
    DEFAULT_CSS = """
    PicturePreviewScreen { align: center middle; }
    PicturePreviewScreen > Vertical {
        width: 90%; height: 90%; border: thick $accent; background: $surface; padding: 0 1;
    }
    PicturePreviewScreen #picture-title { text-style: bold; }
    PicturePreviewScreen Thumbnail { height: 1fr; border: none; }
    """

    def __init__(self, path: str, title: str):
        super().__init__()
        self.path, self.title_text = path, title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, id="picture-title")
            yield Thumbnail(id="picture")

    def on_mount(self) -> None:
        self.query_one(Thumbnail).show(self.path, self.title_text, "cannot show it")

    def action_close(self) -> None:
        self.dismiss(None)


class AssetsScreen(TableWithPictureScreen):
    PLURAL, SINGULAR = "assets", "asset"
    COLUMNS = ("name", "kind", "size", "source")
    BINDINGS = [
        Binding("n", "new_image", "New image", id="assets.new"),
        Binding("p", "preview", "Preview", id="assets.preview"),
        Binding("d,delete", "delete", "Delete", id="assets.delete"),
        Binding("j,down", "cursor(1)", "Down", show=False, id="assets.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="assets.up"),
    ]
    DEFAULT_CSS = """
    AssetsScreen #assets-body { height: 1fr; }
    AssetsScreen DataTable { width: 1fr; height: 1fr; }
    AssetsScreen #asset-side { width: 48; border-left: vkey $panel; }
    AssetsScreen #asset-thumb { height: 18; }
    AssetsScreen #asset-details { padding: 0 1; }
    AssetsScreen #assets-hint { height: 1; padding: 0 1; color: $text-muted; }
    """

    def data_changed(self) -> None:
        """Read the assets again on the I/O thread (the project view does not carry them)."""
        pid = self.milimo.project_id
        if pid is None or not self.milimo.ready:
            self.show_rows([])
            return
        studio = self.milimo.services.studio

        def read() -> list[dict[str, Any]]:
            assets = studio.project(pid).state.assets.values()
            return [a.model_dump(mode="json") for a in assets]

        self.milimo.run_command(read, self.show_rows, reload=False)

    def show_rows(self, rows: list[dict[str, Any]]) -> None:
        if not self.is_mounted:
            return
        hint = "n: a new image" if not rows else "n: new image · p: preview · d: delete"
        self.fill(rows, lambda a: (a["name"], a["kind"], size_text(a), source_text(a)), hint)

    @on(DataTable.RowSelected)
    def selected(self, _event: DataTable.RowSelected) -> None:
        self.action_preview()

    def show_side(self) -> None:
        asset = self.current()
        thumb = self.query_one(Thumbnail)
        details = self.details
        if asset is None:
            thumb.show(None, "", "no assets yet: n makes an image")
            details.update("")
            return
        still = asset["kind"] in ("image", "mask")
        thumb.show(
            asset["path"] if still else None, asset["name"], f"a {asset['kind']}: p plays it"
        )
        text = Text(f"{asset['name']}\n", style="bold")
        text.append(f"{asset['kind']} · {size_text(asset)} · {source_text(asset)}\n")
        text.append(f"\n{asset['id']}\nsha256 {asset['sha256'][:16]}…\n", style="dim")
        text.append(f"{asset['path']}\n", style="dim")
        details.update(text)

    def action_preview(self) -> None:
        asset = self.current()
        if asset is None:
            return
        title = f"{asset['name']} · {asset['kind']} · {size_text(asset)}"
        if asset["kind"] in ("image", "mask"):
            self.app.push_screen(PicturePreviewScreen(asset["path"], title))
        else:
            from tui.screens.player import PlayerScreen

            self.app.push_screen(PlayerScreen(asset["path"], title))

    def action_new_image(self) -> None:
        pid = self.milimo.need_project()
        if pid is None:
            return
        engine = self.milimo.services.engine

        def make(values: dict[str, str]) -> Callable[[], str]:
            def work() -> str:
                from application.images import request_image

                refs = [r.strip() for r in values["refs"].split(",") if r.strip()]
                numbers = whole_numbers(values)
                return request_image(engine(), pid, values["prompt"], refs, **numbers)

            return work

        fields = [Field(name, label, placeholder=hint) for name, label, hint in FORM]
        self.milimo.form(
            "A new image",
            fields,
            "Make",
            make,
            lambda _v: "image requested: it joins the gallery when its job completes (6: Jobs)",
        )

    def action_delete(self) -> None:
        pid = self.milimo.need_project()
        asset = self.current()
        if pid is None or asset is None:
            return
        services = self.milimo.services
        files = services.media_files or KeepFiles()

        def work() -> str:
            from application.asset_deletion import delete_asset

            done = delete_asset(services.studio, services.queries, files, pid, asset["id"])
            if done.kept_because:
                return f"its file stays: used by {'; '.join(done.kept_because)}"
            return "its file was removed" if done.file_removed else "it had no file"

        def deleted(fate: str) -> None:
            self.app.notify(f"{asset['name']!r} deleted; {fate}", timeout=6)

        self.milimo.confirm(
            f"Delete {asset['kind']} {asset['name']!r}? It leaves the gallery for good (undo does "
            "not bring an asset back); its file goes once nothing else uses it.",
            lambda: self.milimo.run_command(work, deleted),
            yes="Delete",
        )
