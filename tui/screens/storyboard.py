"""Storyboard: scenes and their shots, each with its picture, its line and its status."""

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Static

from tui.labels import active_take
from tui.screens.base import MilimoScreen
from tui.screens.dialogs import Field, FormScreen
from tui.screens.player import PlayerScreen
from tui.screens.script_editor import ScriptEditorScreen
from tui.shot_elements import elements_of
from tui.widgets.key_bar import KeyBar
from tui.widgets.shot_grid import ShotGrid
from tui.widgets.shot_list import Row, RowCursor, ShotList, rows_of, seconds, status_text, what
from tui.widgets.thumbnail import Thumbnail


def picture_of(shot: dict[str, Any]) -> tuple[str | None, str]:
    """The shot's picture (its active take's thumbnail, else its concept art) or why none."""
    take = active_take(shot)
    if take and take.get("thumbnail"):
        return take["thumbnail"], ""
    if shot.get("concept_art"):
        return shot["concept_art"], ""
    if take:
        return None, "its take has no thumbnail"
    return None, "not generated yet · g generates"


class StoryboardScreen(MilimoScreen):
    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="storyboard.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="storyboard.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="storyboard.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="storyboard.page_up"),
        Binding("home", "ends(0)", "First", show=False, id="storyboard.first"),
        Binding("end", "ends(1)", "Last", show=False, id="storyboard.last"),
        Binding("enter", "inspect", "Inspect", id="storyboard.inspect"),
        Binding("a", "add_shot", "Add shot", id="storyboard.add_shot"),
        Binding("A", "add_scene", "Add scene", id="storyboard.add_scene", key_display="A"),
        Binding("g", "generate", "Generate shot / scene", id="storyboard.generate"),
        Binding("ctrl+g", "generate_film", "Generate every shot", id="storyboard.generate_all"),
        Binding("p", "preview", "Play take", id="storyboard.preview"),
        Binding("t", "toggle_grid", "Grid / list", id="storyboard.grid"),
        Binding("i", "import_script", "Import script", id="storyboard.import"),
        Binding("e", "edit_script", "Edit script", id="storyboard.edit_script"),
        Binding("h,left", "across(-1)", "Previous card", show=False, id="storyboard.left"),
        Binding("l,right", "across(1)", "Next card", show=False, id="storyboard.right"),
    ]
    DEFAULT_CSS = """
    StoryboardScreen #board { height: 1fr; }
    StoryboardScreen ShotList { width: 1fr; height: 1fr; }
    StoryboardScreen ShotGrid { width: 1fr; height: 1fr; display: none; }
    StoryboardScreen #side { width: 40%; max-width: 48; height: 1fr; border-left: vkey $panel; }
    StoryboardScreen #shot-thumb { height: 16; }
    StoryboardScreen #shot-details { height: 1fr; padding: 0 1; overflow: hidden; }
    StoryboardScreen #storyboard-hint { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._pending: str | None = None  # a row just added, to move to once it is shown
        self._synced: str | None = None  # the shared selection as this screen last set it
        self.grid_mode = False  # cards with pictures (t) in place of the list

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="board"):
            yield ShotList(id="shots")
            yield ShotGrid(picture_of, id="grid")
            with Vertical(id="side"):
                yield Thumbnail(id="shot-thumb")
                yield Static("", id="shot-details")
        yield Static("", id="storyboard-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(ShotList).on_highlighted = self.show_row
        self.query_one(ShotGrid).on_highlighted = self.show_row
        self.shots.focus()

    @property
    def shots(self) -> ShotList | ShotGrid:
        """The list or the grid, whichever is shown; both hold the same rows and cursor."""
        return self.query_one(ShotGrid) if self.grid_mode else self.query_one(ShotList)

    def action_toggle_grid(self) -> None:
        before = self.shots
        self.grid_mode = not self.grid_mode
        after = self.shots
        before.display, after.display = False, True
        current = before.current
        after.set_rows(before.rows, current.id if current else None)
        after.focus()

    def data_changed(self) -> None:
        view = self.milimo.view
        hint = self.query_one("#storyboard-hint", Static)
        if view is None:
            self.shots.set_rows([])
            hint.update("loading…" if self.milimo.project_id else "open a project (1)")
            return
        rows = rows_of(view)
        current = self.shots.current
        keep = current.id if current else None
        if self._pending is not None:
            keep, self._pending = self._pending, None
        elif self.milimo.selected_shot != self._synced:  # chosen on another screen
            keep = self.milimo.selected_shot
        self.shots.set_rows(rows, keep)
        if not rows:
            hint.update("an empty film: A adds a scene, i imports a script, e writes one")
        else:
            count = len(view["shots"])
            hint.update(
                f"{len(view['scenes'])} scene(s) · {count} shot(s) · "
                f"{view['total_frames'] / max(1, view['fps']):.1f} s · "
                "enter: inspect · a/A: add shot/scene · g: generate · p: play · i/e: script"
            )

    @on(RowCursor.Highlighted)
    def highlighted(self, event: RowCursor.Highlighted) -> None:
        self.show_row(event.row)

    def show_row(self, row: Row | None) -> None:
        if row is not None and row.kind == "shot":
            self.milimo.selected_shot = self._synced = row.id
        self.show_side(row)

    @on(RowCursor.Chosen)
    def chosen(self, event: RowCursor.Chosen) -> None:
        self.action_inspect()

    def show_side(self, row: Row | None) -> None:
        thumb = self.query_one(Thumbnail)
        details = self.query_one("#shot-details", Static)
        view = self.milimo.view
        if row is None or view is None:
            thumb.show(None, "", "no shots yet")
            details.update("", layout=False)
            return
        if row.kind == "scene":
            scene = row.data
            thumb.show(None, scene["name"], f"{row.shots} shot(s) · {row.seconds:.1f} s")
            text = Text(scene["name"] + "\n", style="bold")
            if scene.get("heading"):
                text.append(scene["heading"] + "\n", style="italic")
            if scene.get("synopsis"):
                text.append("\n" + scene["synopsis"] + "\n")
            text.append("\na: add a shot to this scene", style="dim")
            details.update(text, layout=False)
            return
        shot = row.data
        path, reason = picture_of(shot)
        thumb.show(path, f"shot {row.label} · {shot['shot_type']}", reason)
        details.update(self.shot_text(row, shot, view), layout=False)

    def shot_text(self, row: Row, shot: dict[str, Any], view: dict[str, Any]) -> Text:
        text = Text(f"Shot {row.label}", style="bold")
        text.append(f" · {shot['shot_type']} · {seconds(shot):.1f} s ({shot['visible_frames']} f)")
        text.append("\n")
        text.append_text(status_text(shot))
        takes = shot.get("takes") or []
        text.append(f" · {len(takes)} take(s)\n", style="dim")
        for label, value in (
            ("Action", shot.get("action")),
            ("Dialogue", (f"{shot['character']}: " if shot.get("character") else "")
             + (shot.get("dialogue") or "") if shot.get("dialogue") else ""),
            ("Prompt", shot.get("prompt")),
        ):  # fmt: skip
            if value:
                text.append(f"\n{label}\n", style="bold dim")
                text.append(str(value) + "\n")
        used = elements_of(view, shot)
        if used:
            text.append("\nElements\n", style="bold dim")
            for e in used:
                text.append(f"{e['trigger_word']} ", style="bold")
                text.append(f"{e['name']} ({e['type']}, v{e['version']})\n")
        if not (shot.get("action") or shot.get("dialogue") or shot.get("prompt")):
            text.append("\n" + (what(shot) or "no action yet: enter edits it"), style="dim")
        return text

    # -- moving ----------------------------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        shots = self.shots
        if isinstance(shots, ShotGrid):
            shots.move_rows(delta)
        else:
            shots.move_by(delta)

    def action_across(self, delta: int) -> None:
        """h/l: the previous or next card of the grid (the list has no across)."""
        if self.grid_mode:
            self.shots.move_by(delta)

    def action_page(self, direction: int) -> None:
        shots = self.shots
        if isinstance(shots, ShotGrid):
            shots.move_rows(direction * shots.rows_per_page)
        else:
            shots.move_by(direction * max(1, shots.size.height - 1))

    def action_ends(self, last: int) -> None:
        self.shots.move_to(len(self.shots.rows) - 1 if last else 0)

    def current_shot(self) -> Row | None:
        row = self.shots.current
        if row is None or row.kind != "shot":
            self.app.notify("choose a shot first (j/k)", severity="warning")
            return None
        return row

    # -- doing -----------------------------------------------------------------------------------

    def action_inspect(self) -> None:
        row = self.current_shot()
        if row is not None:
            self.milimo.selected_shot = row.id
            self.milimo.action_show("inspector")

    def action_add_shot(self) -> None:
        pid = self.milimo.need_project()
        row = self.shots.current
        if pid is None:
            return
        if row is None:
            self.app.notify("add a scene first (A)", severity="warning")
            return
        scene = row.scene_id
        index = row.data["index"] + 1 if row.kind == "shot" and row.data["track"] == "V1" else None
        studio = self.milimo.services.studio

        def add(values: dict[str, str] | None) -> None:
            if values is None:
                return
            action = values["action"]
            fields: dict[str, Any] = {"action": action}
            if index is not None:
                fields["index"] = index
            self.milimo.run_command(
                lambda: studio.add_shot(pid, scene, **fields), self._select, success="shot added"
            )

        fields = [Field("action", "Action", placeholder="Mara climbs the lighthouse stairs")]
        self.app.push_screen(FormScreen("Add a shot", fields, "Add"), add)

    def action_add_scene(self) -> None:
        pid = self.milimo.need_project()
        if pid is None:
            return
        row = self.shots.current
        view = self.milimo.view or {}
        scenes = {s["id"]: s for s in view.get("scenes", [])}
        after = scenes.get(row.scene_id) if row is not None else None
        index = after["index"] + 1 if after else None
        studio = self.milimo.services.studio

        def add(values: dict[str, str] | None) -> None:
            if values is None:
                return
            name, heading = values["name"], values["heading"]
            self.milimo.run_command(
                lambda: studio.add_scene(pid, name, heading=heading, index=index),
                self._select,
                success=f"scene {name!r} added",
            )

        fields = [
            Field("name", "Name", placeholder="The storm"),
            Field("heading", "Heading", placeholder="EXT. LIGHTHOUSE - NIGHT"),
        ]
        self.app.push_screen(FormScreen("Add a scene", fields, "Add"), add)

    def _select(self, row_id: str) -> None:
        """After an add: the new row is where the cursor goes once the view has it."""
        self._pending = row_id

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.shots.focus()

    def action_generate(self) -> None:
        pid = self.milimo.need_project()
        current = self.shots.current
        if pid is not None and current is not None and current.kind == "scene":
            self.generate_scene(pid, current)
            return
        row = self.current_shot()
        if pid is None or row is None:
            return
        services = self.milimo.services
        shot_id = row.id
        self.milimo.run_command(
            lambda: services.engine().generate(pid, [shot_id]),
            success=f"generating shot {row.label} (6: Jobs shows its progress)",
        )

    def generate_scene(self, pid: str, scene: Row) -> None:
        view = self.milimo.view or {"shots": []}
        shots = [s["id"] for s in view["shots"] if s["scene_id"] == scene.id and s["track"] != "A1"]
        if not shots:
            self.app.notify(f"scene {scene.data['name']!r} has no shots to generate")
            return
        engine = self.milimo.services.engine

        def go() -> None:
            self.milimo.run_command(
                lambda: engine().generate(pid, shots),
                success=f"generating {len(shots)} shot(s) of {scene.data['name']!r} (6: Jobs)",
            )

        self.milimo.confirm(
            f"Generate all {len(shots)} shot(s) of {scene.data['name']!r}? Each one is a job "
            "(a new take; existing takes stay).",
            go,
            yes="Generate",
        )

    def action_generate_film(self) -> None:
        pid = self.milimo.need_project()
        view = self.milimo.view
        if pid is None or view is None:
            return
        count = sum(1 for s in view["shots"] if s["track"] != "A1")
        engine = self.milimo.services.engine

        def go() -> None:
            self.milimo.run_command(
                lambda: engine().generate(pid, [], all_shots=True),
                success=f"generating {count} shot(s) (6: Jobs)",
            )

        self.milimo.confirm(
            f"Generate every shot of the film ({count})? Each one is a job (a new take; existing "
            "takes stay).",
            go,
            yes="Generate",
        )

    def action_preview(self) -> None:
        row = self.current_shot()
        if row is None:
            return
        take = active_take(row.data)
        if take is None:
            self.app.notify(f"shot {row.label} has no take yet: g generates one")
            return
        self.app.push_screen(
            PlayerScreen(take["path"], f"shot {row.label} · take {take['id'][:8]}")
        )

    def action_import_script(self) -> None:
        self._script(importing=True)

    def action_edit_script(self) -> None:
        self._script(importing=False)

    def _script(self, importing: bool) -> None:
        pid = self.milimo.need_project()
        if pid is not None:
            self.app.push_screen(ScriptEditorScreen(pid, importing))
