"""Write or import the screenplay: see its parse and what merging it would change, then commit.

The parse and the merge preview run on the I/O thread with the very functions the import runs
(`milimo script import --dry-run` shows the same), so the preview is what the import does. The
commit imports only what the preview on screen shows: after an edit (or a change to the project)
ctrl+s previews again and asks for a second ctrl+s. One commit is one ScriptImported event (with
the text it imported, which `e` opens next time): one step for undo. In mode `ai` a local
language model writes the storyboard (with director → critic rounds if chosen); the commit
imports the very storyboard the preview showed, and a fallback to the rules is said in the
preview.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
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
from tui.services import ScriptReader
from tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from tui.app import MilimoApp

MODES = ("auto", "fountain", "screenplay", "numbered", "freeform", "ai")
ROUNDS = [("no rounds", 0)] + [(f"{n} round{'s' * (n > 1)}", n) for n in range(1, MAX_ROUNDS + 1)]
OUTCOME_STYLE = {"added": "green", "updated": "yellow", "kept": "dim"}
PRUNE = "prune gone shots"
# The merge's words for --prune, said with the editor's checkbox instead.
PRUNE_WORDS = {
    "(kept; --prune)": f'(kept; tick "{PRUNE}" to remove them)',
    "(--prune)": f'("{PRUNE}" is ticked)',
}
# Where a script came from, without what a former import added (its mode, text, fallback).
ORIGIN_KEYS = ("file", "path", "sha256", "encoding", "bytes", "edited_from")


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


def newest_script(
    studio: Studio, project_id: str, reader: ScriptReader
) -> tuple[str, dict[str, Any], str] | None:
    """The text of the newest import, where it came from, and a warning: the text recorded in
    the event, else (imports recorded before the text was) its file, said when it differs."""
    source = last_imported_source(studio, project_id)
    if source is None:
        return None
    origin = {key: source[key] for key in ORIGIN_KEYS if key in source}
    if isinstance(source.get("text"), str):
        return source["text"], origin, ""
    path = source.get("path") or source.get("edited_from")
    if not path:
        return None
    try:
        text, read = reader(str(path))
    except Exception:  # gone or moved since: start empty
        return None
    warning = ""
    if source.get("sha256") and source["sha256"] != read.get("sha256"):
        warning = (
            f"{read.get('file', path)} is not the text last imported (the file changed since, or"
            " the import was edited here): F5 shows what importing it would change"
        )
    return text, read, warning


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
        style = "red" if "removed" in line or "gone" in line else ""
        for words, editor_words in PRUNE_WORDS.items():
            line = line.replace(words, editor_words)
        text.append(line + "\n", style=style)
    return text


@dataclass(frozen=True)
class Preview:
    """A preview as shown: its options (text, mode, prune, rounds), the plan it would import,
    its words, and the project's version it was made at (to see whether it changed since)."""

    options: tuple[str, str, bool, int]
    plan: ScriptPlan
    text: Text
    run: StoryboardRun | None
    version: int


def make_preview(
    studio: Studio,
    project_id: str,
    options: tuple[str, str, bool, int],
    run: StoryboardRun | None,
) -> Preview:
    """The plan (the model's `run` in mode ai, else the parser's) and what merging it does."""
    text, mode, prune, _ = options
    plan = run.plan if run is not None else parse_script(text, mode=mode)
    project = studio.project(project_id)
    state = project.state
    plan = match_elements(plan, state.elements.values())
    text_shown = preview_text(plan, plan_changes(state, plan, prune), run)
    return Preview(options, plan, text_shown, run, int(project.version))


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
        self.loaded: tuple[str, dict[str, Any]] | None = None  # a text and where it came from
        # The preview on screen (the commit imports its plan), and the options of one on its way.
        self.previewed: Preview | None = None
        self.previewing: tuple[str, str, bool, int] | None = None
        self.committing = False
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
                yield Checkbox(PRUNE, id="script-prune")
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

        def opened(newest: tuple[str, dict[str, Any], str] | None) -> None:
            if newest is None:
                return
            text, origin, warning = newest
            self.fill((text, origin))
            if warning:
                self.show(Text(warning, style="yellow"))
                self.app.notify(warning, severity="warning", timeout=8)

        self.milimo.io.submit(lambda: newest_script(studio, pid, reader), opened)

    def fill(self, loaded: tuple[str, dict[str, Any]] | None) -> None:
        if loaded is None:
            return
        self.loaded = loaded
        self.query_one(TextArea).load_text(loaded[0])
        self.query_one("#script-path", Input).value = str(loaded[1].get("path", ""))

    # -- the parts ------------------------------------------------------------------------------

    def options(self) -> tuple[str, str, bool, int]:
        """What a preview is of: the text, the mode, prune, and the rounds (mode ai only)."""
        text = self.query_one(TextArea).text
        mode = str(self.query_one("#script-mode", Select).value)
        prune = self.query_one("#script-prune", Checkbox).value
        return text, mode, prune, self.rounds() if mode == "ai" else 0

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
        """Where the text came from (the loaded file's record, or the editor's own text), and
        the text itself, so that the next edit starts from what was imported."""
        if self.loaded is not None and self.loaded[0] == text:
            return {**self.loaded[1], "requested_mode": mode, "text": text}
        data = text.encode()
        source: dict[str, Any] = {
            "file": "editor",
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "requested_mode": mode,
            "text": text,
        }
        if self.loaded is not None:
            path = self.loaded[1].get("path") or self.loaded[1].get("edited_from")
            if path:
                source["edited_from"] = path
        return source

    def show(self, content: Text | str, error: bool = False) -> None:
        self.query_one("#script-preview", Static).update(content)
        self.query_one("#script-preview-box").set_class(error, "error")

    def shown(self, preview: Preview, notice: str = "") -> None:
        self.previewed = preview
        self.show(preview.text)
        if notice:
            self.app.notify(notice, timeout=6)

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

    def action_preview(self, notice: str = "") -> None:
        """Preview what is typed; `notice` is said once it shows."""
        if self.committing:
            return
        options = self.options()
        text, mode, _, rounds = options
        studio, pid = self.milimo.services.studio, self.project_id
        assert self.milimo.io is not None
        ai = self.ai_run(text, mode)
        self.previewed, self.previewing = None, options
        self.show(Text("the model is writing…" if mode == "ai" else "reading…", style="dim"))

        def done(preview: Preview) -> None:
            if self.previewing != options:
                return  # a newer preview is on its way
            self.previewing = None
            if preview.run is not None:
                self.storyboard = (text, rounds, preview.run)
                if preview.run.fallback:
                    self.app.notify(f"AI storyboard: {preview.run.fallback}", severity="warning")
            self.shown(preview, notice)

        def failed(error: BaseException) -> None:
            if self.previewing == options:
                self.previewing = None
                self.failed(error)

        self.milimo.io.submit(lambda: make_preview(studio, pid, options, ai()), done, failed)

    def failed(self, error: BaseException) -> None:
        self.show(Text(str(error), style="red"), error=True)
        self.milimo.report_error(error)

    def action_commit(self) -> None:
        """Import what the preview shows; anything else (an edit since, or no preview yet) is
        previewed first, for a second ctrl+s."""
        options = self.options()
        if self.committing:
            return
        if self.previewing == options:
            self.app.notify("the preview is on its way: ctrl+s imports it once it shows")
            return
        previewed = self.previewed
        if previewed is None or previewed.options != options:
            self.action_preview("the preview is updated to what you typed: ctrl+s imports it")
            return
        text, mode, prune, _ = options
        studio, pid = self.milimo.services.studio, self.project_id
        source = self.source(text, mode)
        run = previewed.run

        def work() -> ImportResult | Preview:
            now = previewed
            if int(studio.project(pid).version) != previewed.version:  # changed since: again
                now = make_preview(studio, pid, options, run)
                if now.text.plain != previewed.text.plain:
                    return now
            if run is None:
                return studio.import_script(pid, now.plan, prune, source)
            if run.fallback:
                source["fallback"] = run.fallback
            return studio.import_script(pid, now.plan, prune, source, run.record())

        def done(result: ImportResult | Preview) -> None:
            self.committing = False
            if isinstance(result, Preview):
                notice = "the project changed since the preview: it is updated; ctrl+s imports it"
                self.shown(result, notice)
                return
            self.app.notify(import_text(result, dry_run=False).splitlines()[0], timeout=5)
            self.milimo.reload()
            self.dismiss(True)

        def failed(error: BaseException) -> None:
            self.committing, self.previewed = False, None  # the error shows, not the preview
            self.failed(error)

        assert self.milimo.io is not None
        self.committing = True
        self.milimo.io.submit(work, done, failed)

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
