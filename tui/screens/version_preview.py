"""The project as it was at one version, read-only: what that event changed, its scenes and
shots, its elements. From here (or the history list) restore to it or branch from it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from application.project_view import project_view
from application.studio import Studio, project_uuid
from domain.project.changes import Change
from tui.labels import shot_labels
from tui.screens.base import MilimoScreen
from tui.screens.dialogs import Field, FormScreen
from tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from tui.app import MilimoApp

HIDDEN_FIELDS = {"takes", "concept_art", "id", "scene_id", "index"}


@dataclass(frozen=True)
class PastVersion:
    view: dict[str, Any]  # the project's JSON view at that version
    event: dict[str, Any]  # its history line: version, type, at, actor, summary
    changes: list[Change]  # what the event changed (empty for the first one)
    latest: int


def read_version(studio: Studio, project_id: str, version: int) -> PastVersion:
    """Everything the preview shows, read in one go on the I/O thread."""
    state, at = studio.state_at(project_id, version)
    latest = studio.project(project_id).version
    (event,) = studio.history(project_id, offset=at - 1, limit=1)
    changes = studio.edit_at(project_uuid(project_id), at)[1] if at > 1 else []
    return PastVersion(project_view(project_id, at, state), event, changes, latest)


def ask_restore(
    app: "MilimoApp",
    project_id: str,
    version: int,
    restored: Callable[[bool], object] | None = None,
) -> None:
    """Confirm, then bring the project's state back to `version` (a new event: undo reverts);
    `restored(recorded)` follows, with whether anything had to change."""
    studio = app.services.studio

    def done(changes: list[Change]) -> None:
        if changes:
            app.notify(f"restored to v{version}: {len(changes)} change(s); u undoes it")
        else:
            app.notify(f"already as it was at v{version}: nothing recorded")
        if restored is not None:
            restored(bool(changes))

    app.confirm(
        f"Restore the project to v{version}? The restore is recorded as a new event; u undoes it.",
        lambda: app.run_command(lambda: studio.restore(project_id, version), done),
        yes="Restore",
    )


def ask_branch(app: "MilimoApp", project_id: str, version: int, name: str) -> None:
    """Ask for a name, then start a new project from this one's state at `version`."""
    studio = app.services.studio

    def branch(values: dict[str, str] | None) -> None:
        if not values:
            return
        new_name = values["name"]
        app.run_command(
            lambda: studio.branch(project_id, version, new_name),
            success=f"branch {new_name!r} created from v{version} (1: Projects opens it)",
        )

    fields = [Field("name", "Name of the branch", f"{name} (v{version})")]
    app.push_screen(FormScreen(f"Branch from v{version}", fields, "Branch"), branch)


def frames(shot: dict[str, Any]) -> str:
    start = shot["start_frame"]
    return f"{start}–{start + shot['visible_frames'] - 1}"  # the last frame shown, as the timeline


def short(value: Any, width: int = 40) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def change_lines(changes: list[Change]) -> list[str]:
    lines = []
    for c in changes:
        what = f"{c['collection']} {c['id'][:8]}"
        before, after = c["before"], c["after"]
        if before is None:
            lines.append(f"+ {what} added")
        elif after is None:
            lines.append(f"− {what} removed")
        else:
            fields = [
                f"{k} {short(before.get(k), 24)}→{short(after.get(k), 24)}"
                for k in after
                if k not in HIDDEN_FIELDS and before.get(k) != after.get(k)
            ]
            lines.append(f"~ {what}: {', '.join(fields) or 'changed'}")
    return lines


def describe(past: PastVersion) -> RenderableType:
    view, event = past.view, past.event
    title = Text.assemble(
        (f"{view['name']} at v{view['version']}", "bold"),
        (f" of {past.latest}", "dim"),
        "  ·  ",
        (event["type"], "bold"),
        f" by {event['actor']} at {event['at'][:19].replace('T', ' ')}",
    )
    settings = Text(
        f"{view['width']}x{view['height']} @{view['fps']}fps · seed {view['seed']} · "
        f"style {view['style'] or '-'} · {len(view['shots'])} shot(s), "
        f"{view['total_frames']} frames",
        style="dim",
    )
    changed = Text("\n".join(change_lines(past.changes)) or "(the project began here)")
    shots = Table(expand=True, box=None, header_style="bold", pad_edge=False)
    for column in ("#", "scene", "track", "frames", "len", "action", "dialogue", "takes"):
        shots.add_column(column, no_wrap=column not in ("action", "dialogue"))
    scenes = {s["id"]: s["name"] for s in view["scenes"]}
    labels = shot_labels(view)  # as the film was at that version
    for shot in view["shots"]:
        shots.add_row(
            labels[shot["id"]],
            scenes.get(shot["scene_id"], "?"),
            shot["track"],
            frames(shot),
            str(shot["visible_frames"]),
            shot["action"] or shot["prompt"],
            shot["dialogue"],
            str(len(shot["takes"])),
        )
    elements = Text(
        "\n".join(
            f"{e['trigger_word']} ({e['type']}) v{e['version']}: {e['description']}"
            for e in view["elements"]
        )
        or "none"
    )
    empty = [s for s in view["scenes"] if not any(x["scene_id"] == s["id"] for x in view["shots"])]
    parts: list[RenderableType] = [title, settings, Text()]
    parts += [Text("What this event changed", style="bold underline"), Text(event["summary"])]
    parts += [changed, Text(), Text("Scenes and shots", style="bold underline")]
    parts += [shots if view["shots"] else Text("no shots")]
    if empty:
        parts.append(Text("empty scenes: " + ", ".join(s["name"] for s in empty), style="dim"))
    parts += [Text(), Text("Elements", style="bold underline"), elements]
    return Group(*parts)


class VersionPreviewScreen(MilimoScreen):
    """Read-only: nothing here edits until `r` (with confirmation) or `b`."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="history.preview_close"),
        Binding("r", "restore", "Restore to this version", id="history.restore"),
        Binding("b", "branch", "Branch from this version", id="history.branch"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="history.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="history.up"),
    ]
    DEFAULT_CSS = """
    VersionPreviewScreen #preview-scroll { height: 1fr; padding: 0 1; }
    VersionPreviewScreen #preview-banner {
        height: 1; padding: 0 1; background: $warning 30%; color: $text;
    }
    """

    def __init__(
        self, project_id: str, version: int, restored: Callable[[bool], object] | None = None
    ):
        super().__init__()
        self.project_id = project_id
        self.version = version
        self.restored = restored
        self.past: PastVersion | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            f"Preview of v{self.version} (read-only) · r: restore · b: branch · esc: back",
            id="preview-banner",
        )
        with VerticalScroll(id="preview-scroll"):
            yield Static(f"reading v{self.version}…", id="preview")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#preview-scroll").focus()
        studio, pid, version = self.milimo.services.studio, self.project_id, self.version
        if self.milimo.io is not None:
            self.milimo.io.submit(lambda: read_version(studio, pid, version), self.show)

    def show(self, past: PastVersion) -> None:
        self.past = past
        self.query_one("#preview", Static).update(describe(past))

    def action_close(self) -> None:
        if self.is_current:
            self.app.pop_screen()

    def action_scroll(self, delta: int) -> None:
        self.query_one("#preview-scroll", VerticalScroll).scroll_relative(y=delta, animate=False)

    def action_restore(self) -> None:
        def restored(recorded: bool) -> None:
            self.action_close()
            if self.restored is not None:
                self.restored(recorded)

        ask_restore(self.milimo, self.project_id, self.version, restored)

    def action_branch(self) -> None:
        name = self.past.view["name"] if self.past else "branch"
        ask_branch(self.milimo, self.project_id, self.version, name)
