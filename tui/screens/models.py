"""Models (`M` in the Inspector, or the command palette): what `milimo models` lists — each
backend, its weights, size, expected VRAM, hash, and its quality and speed presets."""

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label


def size_text(size: int | None) -> str:
    if size is None:
        return ""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


def preset_text(preset: dict[str, Any] | None) -> str:
    if not preset:
        return ""
    stages = " 2-stage" if preset["two_stage"] else ""
    return f"{preset['num_inference_steps']} st, cfg {preset['cfg_scale']:g}{stages}"


def model_row(entry: dict[str, Any]) -> tuple[str, ...]:
    state = "ready" if entry["ready"] else "found" if entry["installed"] else "—"
    presets = entry.get("presets") or {}
    return (
        entry["name"],
        ", ".join(entry["serves"]),
        state,
        size_text(entry["size_bytes"]),
        size_text(entry["vram_estimate_bytes"]),
        (entry["weights_hash"] or "")[7:19],
        preset_text(presets.get("quality")),
        preset_text(presets.get("speed")),
    )


class ModelsScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    ModelsScreen { align: center middle; }
    ModelsScreen > Vertical {
        width: 96%; max-width: 140; height: 80%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    ModelsScreen DataTable { height: 1fr; }
    ModelsScreen #models-where { color: $text-muted; }
    """
    BINDINGS = [Binding("escape,q", "dismiss", "Close", id="models.close")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Models — VRAM: parameters × 2 bytes × 1.2, an estimate", id="models-title")
            yield Label("reading the models dir…", id="models-where")
            yield DataTable(zebra_stripes=True, cursor_type="row", id="models")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("model", "serves", "", "on disk", "VRAM", "hash", "quality", "speed")
        table.focus()
        app: Any = self.app
        list_models = app.services.models
        if list_models is None:
            self._where("no models listing in this editor")
            return
        app.run_command(list_models, self.show, reload=False)

    def show(self, entries: list[dict[str, Any]]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for entry in entries:
            table.add_row(*model_row(entry), key=entry["name"])
        found = [e["name"] for e in entries if e["installed"] and e["path"] != "built in"]
        self._where(f"weights found: {', '.join(found)}" if found else "no weights found")

    def _where(self, text: str) -> None:
        self.query_one("#models-where", Label).update(text)
