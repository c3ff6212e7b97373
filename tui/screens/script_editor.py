"""Write or import the screenplay: see its parse and what merging it would change, then commit.

The parse and the merge preview run on the I/O thread with the very functions the import runs
(`milimo script import --dry-run` shows the same), so the preview is what the import does. One
commit is one ScriptImported event: one step for undo. In mode `ai` a local language model
writes the storyboard (with director → critic rounds if chosen); the commit imports the very
storyboard the preview showed, and a fallback to the rules is said in the preview.
"""

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from application.script_import import import_text, plan_changes, preview_view
from application.storyboard_ai import MAX_ROUNDS, StoryboardRun, write_storyboard
from application.studio import Studio, project_uuid
from domain.project.events import ScriptImported
from domain.project.script_result import ImportResult
from domain.script import match_elements, parse_script
from domain.script.plan import ScriptPlan
from tui.screens.dialogs import ConfirmScreen
from tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from tui.app import MilimoApp

MODES = ("auto", "fountain", "screenplay", "numbered", "freeform", "ai")
ROUNDS = [("no rounds", 0)] + [(f"{n} round{'s' * (n > 1)}", n) for n in range(1, MAX_ROUNDS + 1)]
OUTCOME_STYLE = {"added": "green", "updated": "yellow", "kept": "dim"}


def last_imported_source(studio: Studio, project_id: str) -> dict[str, Any] | None:
    """The source record of the project's newest script import, read newest event first."""
    pid = project_uuid(project_id)
    upper: int | None = None
    while True:
        page = list(studio.events.get(pid, lte=upper, desc=True, limit=500))
        for event in page:
            if isinstance(event, ScriptImported):
                return dict(event.source)
        if len(page) < 500:
            return None
        upper = page[-1].originator_version - 1


def parse(
    studio: Studio, project_id: str, text: str, mode: str, prune: bool, run: StoryboardRun | None
) -> tuple[ScriptPlan, ImportResult]:
    """The plan (the model's `run` in mode ai, else the parser's) and what merging it does."""
    plan = run.plan if run is not None else parse_script(text, mode=mode)
    state = studio.project(project_id).state
    plan = match_elements(plan, state.elements.values())
    return plan, plan_changes(state, plan, prune)


def ai_text(run: StoryboardRun) -> Text:
    """Who wrote the storyboard, the critic's words of each round, and any fallback."""
    text = Text()
    if run.fallback:
        text.append(f"AI storyboard fell back to the rules: {run.fallback}\n", style="yellow")
    else:
        text.append(f"AI storyboard by {run.model} (draft {run.plan_draft})\n", style="cyan")
    for entry in run.rounds:
        critique = " ".join(str(entry["critique"]).split())[:160]
        text.append(f"  round {entry['round']} critic: {critique}\n", style="dim")
    return text


def preview_text(plan: ScriptPlan, result: ImportResult, run: StoryboardRun | None = None) -> Text:
    """The parse (scenes, shots, each with what the merge does to it) and the merge's diff."""
    view = preview_view(plan, result)
    counts = sum(len(s["shots"]) for s in view["scenes"])
    text = ai_text(run) if run is not None else Text()
    text.append(f"read as {view['mode']}: {len(view['scenes'])} scene(s), {counts} shot(s)\n")
    for scene in view["scenes"]:
        text.append(f"\n▌ {scene['name']}", style="bold")
        if scene["heading"] and scene["heading"] != scene["name"]:
            text.append(f"  {scene['heading']}", style="italic")
        text.append("\n")
        for shot in scene["shots"]:
            status = shot["status"]
            text.append(f"  {status:<8}", style=OUTCOME_STYLE.get(status, ""))
            who = f"{shot['character']}: " if shot["character"] else ""
            line = f'{who}"{shot["dialogue"]}"' if shot["dialogue"] else shot["action"]
            text.append(f"{shot['shot_type']:<12} {' '.join(line.split())[:60]}\n")
    for element in view["elements_proposed"]:
        text.append(
            f"\nelement {element['status']}: {element['trigger_word']} {element['name']} "
            f"({element['type']})",
            style="cyan" if element["status"] == "new" else "dim",
        )
    for warning in view["warnings"]:
        text.append(f"\nwarning: {warning}", style="yellow")
    text.append("\n\nChanges\n", style="bold")
    for line in import_text(result, dry_run=True).splitlines():
        text.append(line + "\n", style="red" if "removed" in line or "gone" in line else "")
    return text


class ScriptEditorScreen(ModalScreen[bool]):
    """The project's script: type it or load a file, preview (F5), import (ctrl+s)."""

    BINDINGS = [
        Binding("f5", "preview", "Preview", id="script.preview"),
        Binding("ctrl+s", "commit", "Import (commit)", id="script.commit"),
        Binding("ctrl+o", "focus_path", "Load a file", id="script.load"),
        Binding("escape", "close", "Close", id="script.close"),
    ]
    DEFAULT_CSS = """
    ScriptEditorScreen { align: center middle; }
    ScriptEditorScreen > Vertical {
        width: 96%; height: 94%; border: thick $accent; background: $surface; padding: 0 1;
    }
    ScriptEditorScreen Label.title { text-style: bold; }
    ScriptEditorScreen #script-options { height: 3; }
    ScriptEditorScreen #script-path { width: 1fr; }
    ScriptEditorScreen #script-mode { width: 20; }
    ScriptEditorScreen #script-rounds { width: 18; }
    ScriptEditorScreen #script-prune { width: auto; }
    ScriptEditorScreen #script-body { height: 1fr; }
    ScriptEditorScreen #script-text { width: 1fr; }
    ScriptEditorScreen #script-preview-box { width: 1fr; border: round $panel; padding: 0 1; }
    ScriptEditorScreen #script-preview-box.error { border: round $error; }
    """

    def __init__(self, project_id: str, importing: bool = False):
        super().__init__()
        self.project_id = project_id
        self.importing = importing
        self.loaded: tuple[str, dict[str, Any]] | None = None  # a file's text and its source
        self.previewed: tuple[str, str, bool] | None = None
        # Mode ai: the storyboard of the last preview, with its text and rounds, for the commit.
        self.storyboard: tuple[str, int, StoryboardRun] | None = None

    @property
    def milimo(self) -> "MilimoApp":
        return cast("MilimoApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                "Script — F5 previews the parse and the merge; ctrl+s imports it", classes="title"
            )
            with Horizontal(id="script-options"):
                yield Input(placeholder="a script file to load (enter loads it)", id="script-path")
                yield Select(
                    [(m, m) for m in MODES], value="auto", allow_blank=False, id="script-mode"
                )
                yield Select(ROUNDS, value=0, allow_blank=False, id="script-rounds", disabled=True)
                yield Checkbox("prune gone shots", id="script-prune")
            with Horizontal(id="script-body"):
                yield TextArea(id="script-text", soft_wrap=True, show_line_numbers=True)
                with VerticalScroll(id="script-preview-box"):
                    yield Static("F5: preview", id="script-preview")
            yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#script-preview-box").border_title = "preview"
        if self.importing:
            self.query_one("#script-path", Input).focus()
            return
        self.query_one(TextArea).focus()
        services = self.milimo.services
        reader, studio, pid = services.read_script, services.studio, self.project_id
        if reader is None or self.milimo.io is None:
            return

        def last_file() -> tuple[str, dict[str, Any]] | None:
            source = last_imported_source(studio, pid)
            path = (source or {}).get("path") or (source or {}).get("edited_from")
            if not path:
                return None
            try:
                return reader(str(path))
            except Exception:  # gone or moved since: start empty
                return None

        self.milimo.io.submit(last_file, self.fill)

    def fill(self, loaded: tuple[str, dict[str, Any]] | None) -> None:
        if loaded is None:
            return
        self.loaded = loaded
        self.query_one(TextArea).load_text(loaded[0])
        self.query_one("#script-path", Input).value = str(loaded[1].get("path", ""))

    # -- the parts ------------------------------------------------------------------------------

    def options(self) -> tuple[str, str, bool]:
        text = self.query_one(TextArea).text
        mode = str(self.query_one("#script-mode", Select).value)
        return text, mode, self.query_one("#script-prune", Checkbox).value

    def rounds(self) -> int:
        return int(cast(int, self.query_one("#script-rounds", Select).value))

    def ai_run(self, text: str, mode: str) -> Callable[[], StoryboardRun | None]:
        """Work for the I/O thread: the storyboard of `text` in mode ai (None in other modes),
        the previewed one when neither the text nor the rounds changed since."""
        if mode != "ai":
            return lambda: None
        rounds, kept = self.rounds(), self.storyboard
        if kept is not None and kept[:2] == (text, rounds):
            return lambda: kept[2]
        writer = self.milimo.services.write_storyboard

        def run() -> StoryboardRun:
            if writer is None:
                return write_storyboard(text, None, rounds, "this editor has no language model")
            return writer(text, rounds)

        return run

    @on(Select.Changed, "#script-mode")
    def mode_changed(self, event: Select.Changed) -> None:
        self.query_one("#script-rounds", Select).disabled = event.value != "ai"

    def source(self, text: str, mode: str) -> dict[str, Any]:
        """Where the text came from: the loaded file's record, or the editor's own text."""
        if self.loaded is not None and self.loaded[0] == text:
            return {**self.loaded[1], "requested_mode": mode}
        data = text.encode()
        source: dict[str, Any] = {
            "file": "editor",
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "requested_mode": mode,
        }
        if self.loaded is not None and self.loaded[1].get("path"):
            source["edited_from"] = self.loaded[1]["path"]
        return source

    def show(self, content: Text | str, error: bool = False) -> None:
        self.query_one("#script-preview", Static).update(content)
        self.query_one("#script-preview-box").set_class(error, "error")

    # -- actions --------------------------------------------------------------------------------

    def action_focus_path(self) -> None:
        self.query_one("#script-path", Input).focus()

    @on(Input.Submitted, "#script-path")
    def load(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        reader = self.milimo.services.read_script
        if not path:
            self.app.notify("type the path of a script file first", severity="warning")
            return
        if reader is None or self.milimo.io is None:
            self.app.notify("this editor cannot read files", severity="error")
            return

        def loaded(result: tuple[str, dict[str, Any]]) -> None:
            self.fill(result)
            self.query_one(TextArea).focus()
            self.app.notify(f"loaded {result[1].get('file', path)}", timeout=3)
            self.action_preview()

        self.milimo.io.submit(lambda: reader(path), loaded)

    def action_preview(self) -> None:
        text, mode, prune = self.options()
        studio, pid, rounds = self.milimo.services.studio, self.project_id, self.rounds()
        assert self.milimo.io is not None
        ai = self.ai_run(text, mode)
        self.show(Text("the model is writing…" if mode == "ai" else "reading…", style="dim"))

        def work() -> tuple[ScriptPlan, ImportResult, StoryboardRun | None]:
            run = ai()
            return (*parse(studio, pid, text, mode, prune, run), run)

        def shown(parsed: tuple[ScriptPlan, ImportResult, StoryboardRun | None]) -> None:
            plan, result, run = parsed
            self.previewed = (text, mode, prune)
            if run is not None:
                self.storyboard = (text, rounds, run)
                if run.fallback:
                    self.app.notify(f"AI storyboard: {run.fallback}", severity="warning")
            self.show(preview_text(plan, result, run))

        self.milimo.io.submit(work, shown, self.failed)

    def failed(self, error: BaseException) -> None:
        self.show(Text(str(error), style="red"), error=True)
        self.milimo.report_error(error)

    def action_commit(self) -> None:
        text, mode, prune = self.options()
        studio, pid = self.milimo.services.studio, self.project_id
        source = self.source(text, mode)
        ai = self.ai_run(text, mode)

        def work() -> ImportResult:
            run = ai()
            plan, _ = parse(studio, pid, text, mode, prune, run)
            if run is None:
                return studio.import_script(pid, plan, prune, source)
            if run.fallback:
                source["fallback"] = run.fallback
            return studio.import_script(pid, plan, prune, source, run.record())

        def done(result: ImportResult) -> None:
            self.app.notify(import_text(result, dry_run=False).splitlines()[0], timeout=5)
            self.milimo.reload()
            self.dismiss(True)

        assert self.milimo.io is not None
        self.milimo.io.submit(work, done, self.failed)

    def action_close(self) -> None:
        text = self.query_one(TextArea).text
        if text.strip() and text != (self.loaded[0] if self.loaded else ""):

            def answered(yes: bool | None) -> None:
                if yes:
                    self.dismiss(False)

            self.app.push_screen(
                ConfirmScreen("Close the script editor? What you typed is not imported.", "Close"),
                answered,
            )
            return
        self.dismiss(False)
