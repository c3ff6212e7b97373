"""The Milimo editor: one Textual app, a mode per screen, the application layer behind it.

Everything that reads or writes the store runs on one background thread (tui/io_queue.py); the
live feed has a thread of its own that only posts messages. Widgets are touched on the UI thread
only.
"""

import asyncio
import importlib
import re
import threading
import time
from collections.abc import Callable
from functools import cache
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider

from tui.commands import MilimoCommands
from tui.io_queue import IoQueue
from tui.keymap import GLOBAL, load_keymap
from tui.messages import JobProgress
from tui.screens.base import MilimoScreen
from tui.screens.dialogs import ConfirmScreen, Field, FormScreen
from tui.screens.help import HelpScreen
from tui.services import EditorServices

# Mode → (module, class, key, title); the keys 1–9 and 0 switch between them. The screens' modules
# (and the application and domain behind them) are imported after the first paint, on the I/O
# thread, so the editor shows itself at once (bench/tui.py measures it).
SCREEN_MODULES: dict[str, tuple[str, str, str, str]] = {
    "projects": ("tui.screens.projects", "ProjectsScreen", "1", "Projects"),
    "storyboard": ("tui.screens.storyboard", "StoryboardScreen", "2", "Storyboard"),
    "timeline": ("tui.screens.timeline", "TimelineScreen", "3", "Timeline"),
    "inspector": ("tui.screens.inspector", "InspectorScreen", "4", "Inspector"),
    "elements": ("tui.screens.elements", "ElementsScreen", "5", "Elements"),
    "jobs": ("tui.screens.jobs", "JobsScreen", "6", "Jobs"),
    "history": ("tui.screens.history", "HistoryScreen", "7", "History"),
    "audit": ("tui.screens.audit", "AuditScreen", "8", "Audit"),
    "assets": ("tui.screens.assets", "AssetsScreen", "9", "Assets"),
    "workers": ("tui.screens.workers", "WorkersScreen", "0", "Workers"),
}
NEEDS_PROJECT = set(SCREEN_MODULES) - {"projects", "jobs", "workers"}
# Screens pushed over a mode, whose keys the keymap file may remap too.
DIALOG_MODULES = (
    ("tui.screens.dialogs", "ConfirmScreen"),
    ("tui.screens.dialogs", "FormScreen"),
    ("tui.screens.script_editor", "ScriptEditorScreen"),
    ("tui.screens.player", "PlayerScreen"),
    ("tui.screens.version_preview", "VersionPreviewScreen"),
    ("tui.screens.models", "ModelsScreen"),
    ("tui.screens.assets", "PicturePreviewScreen"),
    ("tui.screens.looks", "LooksScreen"),
)


def screen_class(mode: str) -> type[MilimoScreen]:
    module, name, _, _ = SCREEN_MODULES[mode]
    screen: type[MilimoScreen] = getattr(importlib.import_module(module), name)
    return screen


@cache
def screens() -> dict[str, tuple[type[MilimoScreen], str, str]]:
    """Mode → (screen class, key, title), importing every screen."""
    return {
        mode: (screen_class(mode), key, title)
        for mode, (_, _, key, title) in SCREEN_MODULES.items()
    }


def dialog_classes() -> list[type[Any]]:
    classes = []
    for module, name in DIALOG_MODULES:
        try:
            classes.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return classes


def __getattr__(name: str) -> Any:
    # `SCREENS` (mode → (class, key, title)) imports the screens only when someone asks.
    if name == "SCREENS":
        return screens()
    raise AttributeError(name)


class MilimoApp(App[None]):
    TITLE = "Milimo"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS: ClassVar[set[type[Provider] | Any]] = {MilimoCommands}
    MODES: ClassVar[dict[str, Any]] = {
        mode: (lambda mode=mode: screen_class(mode)()) for mode in SCREEN_MODULES
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, f"show('{name}')", title, id=f"screen.{name}", show=False)
            for name, (_, _, key, title) in SCREEN_MODULES.items()
        ),
        Binding("question_mark", "help", "Keys", id="help", key_display="?"),
        Binding("u,ctrl+z", "undo", "Undo", id="undo"),
        Binding("ctrl+r,ctrl+y", "redo", "Redo", id="redo"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]
    CSS = """
    Screen { background: $background; }
    .muted { color: $text-muted; }
    """

    def __init__(
        self,
        services: EditorServices | None = None,
        project: str | None = None,
        connect: Callable[[], EditorServices] | None = None,
    ):
        """`services`, or `connect` to open them on the I/O thread after the first paint."""
        super().__init__()
        if services is None and connect is None:
            raise ValueError("the editor needs services or a way to connect to them")
        self._services = services
        self._connect = connect
        self.project_ref = project
        self.project_id: str | None = None
        self.view: dict[str, Any] | None = None  # the open project's view (CONTRACT's JSON)
        self.jobs: list[dict[str, Any]] = []  # the open project's jobs, oldest first
        self.position = -1  # the store position the view and jobs reflect
        self.selected_shot: str | None = None  # shared by storyboard, timeline and inspector
        self.io: IoQueue | None = None
        self._stop = threading.Event()
        self._loading = False
        self._dirty = False

    # -- start and stop ---------------------------------------------------------------------

    @property
    def services(self) -> EditorServices:
        if self._services is None:
            raise RuntimeError("still connecting to the event store; try again in a moment")
        return self._services

    @property
    def ready(self) -> bool:
        """Connected to the store (the screens' data can be read)."""
        return self._services is not None

    def on_mount(self) -> None:
        self.io = IoQueue(asyncio.get_running_loop(), self.call_later, self.report_error)
        self.switch_mode("projects")
        self.io.submit(self._connect_in_background, self._connected, self._connect_failed)

    def _connect_in_background(self) -> tuple[EditorServices, str | None, BaseException | None]:
        services = self._services or (self._connect() if self._connect else None)
        assert services is not None
        screens()  # import every screen now, off the UI thread
        project, error = None, None
        if self.project_ref:
            try:
                project = services.queries.resolve_project(self.project_ref)
            except Exception as failure:  # reported in the editor, which stays open
                error = failure
        return services, project, error

    def _connected(self, result: tuple[EditorServices, str | None, BaseException | None]) -> None:
        services, project, error = result
        self._services = services
        self._apply_keymap()
        self.set_interval(services.poll_interval, self._poll)
        if services.live_messages is not None:
            threading.Thread(target=self._follow_live, daemon=True, name="milimo-live").start()
        if error is not None:
            self.report_error(error)
        if project is not None:
            self.open_project(project)
        elif isinstance(self.screen, MilimoScreen) and self.screen.is_mounted:
            self.screen.data_changed()

    def _connect_failed(self, error: BaseException) -> None:
        self.report_error(error)
        self.notify(
            "the editor could not open the event store; `milimo doctor` says why",
            severity="error",
            timeout=30,
        )

    def on_unmount(self) -> None:
        self._stop.set()
        if self.io is not None:
            self.io.close()

    def _apply_keymap(self) -> None:
        keymap, warnings = load_keymap(
            self.services.keymap_path, binding_scopes(), named=self.services.keymap_named
        )
        if keymap:
            self.set_keymap(keymap)
        for warning in warnings:
            self.notify(warning, severity="warning", timeout=10)

    # -- the open project ---------------------------------------------------------------------

    def open_project(self, project_id: str, mode: str = "timeline") -> None:
        self._opened(project_id)
        self.switch_mode(mode)

    def close_project(self) -> None:
        """No project open (it was archived): the jobs read next are every project's, and none
        of them is news."""
        self._opened(None)

    def _opened(self, project_id: str | None) -> None:
        self.project_id = project_id
        self.selected_shot = None
        self.view, self.jobs, self.position = None, [], -1
        self.reload()

    def reload(self) -> None:
        """Read the open project's view and jobs again (on the I/O thread)."""
        if self.io is None or not self.ready:
            return
        if self._loading:
            self._dirty = True
            return
        self._loading = True
        pid = self.project_id
        services = self.services

        def read() -> tuple[str | None, int, dict[str, Any] | None, list[dict[str, Any]]]:
            position = services.store_position()
            if pid is None:
                return pid, position, None, services.queries.jobs(None)
            return pid, position, services.queries.project(pid), services.queries.jobs(pid)

        self.io.submit(read, self._loaded, self._load_failed)

    def _loaded(self, result: tuple[str | None, int, dict[str, Any] | None, list[Any]]) -> None:
        pid, position, view, jobs = result
        self._loading = False
        if pid == self.project_id:
            if self.position >= 0:
                self._tell_finished(self.jobs, jobs)
            self.position, self.view, self.jobs = position, view, jobs
            self.sub_title = header_of(view) if view else ""
            if isinstance(self.screen, MilimoScreen) and self.screen.is_mounted:
                self.screen.data_changed()
        if self._dirty:
            self._dirty = False
            self.reload()

    def _tell_finished(self, before: list[dict[str, Any]], after: list[dict[str, Any]]) -> None:
        """A job that failed or finished since the last read is said, wherever the user is."""
        was = {j["id"]: j["status"] for j in before}
        for job in after:
            old, new = was.get(job["id"]), job["status"]
            if old == new or new not in ("failed", "completed"):
                continue
            what = f"{job['kind']} job {job['id'][:8]}"
            if new == "failed":
                error = job.get("error") or {}
                reason = error.get("message") if isinstance(error, dict) else str(error)
                self.notify(
                    f"{what} failed: {reason or 'no reason recorded'} (6: Jobs, r retries)",
                    title="Job failed",
                    severity="error",
                    timeout=12,
                )
            else:
                self.notify(f"{what} completed", timeout=4)

    def _load_failed(self, error: BaseException) -> None:
        self._loading = False
        self.report_error(error)

    def _poll(self) -> None:
        """Any process's write moves the store's position: then read again. The check is one
        indexed query on the I/O thread, skipped while that thread is busy."""
        if self.io is None or not self.io.idle or self._loading or not self.ready:
            return
        self.io.submit(self.services.store_position, self._position_seen, lambda _e: None)

    def _position_seen(self, position: int) -> None:
        if position != self.position:
            self.reload()

    def _follow_live(self) -> None:
        assert self.services.live_messages is not None
        try:
            for message in self.services.live_messages():
                if self._stop.is_set():
                    return
                if message and "step" in message and "job_id" in message:
                    self.post_message(
                        JobProgress(
                            message["job_id"],
                            int(message["step"]),
                            int(message.get("total") or 0),
                            float(message.get("sent") or time.time()),
                            message,
                        )
                    )
        except Exception as error:  # the feed is a nicety: the store polling goes on
            self.call_from_thread(self.notify, f"live progress feed stopped: {error}")

    def on_job_progress(self, message: JobProgress) -> None:
        for job in self.jobs:
            if job["id"] == message.job_id:
                job["step"], job["total"] = message.step, message.total
        if isinstance(self.screen, MilimoScreen) and self.screen.is_mounted:
            self.screen.job_progress(message.job_id, message.step, message.total, message.data)

    # -- doing things ---------------------------------------------------------------------------

    def run_command(
        self,
        work: Any,
        done: Any = None,
        success: str | None = None,
        reload: bool = True,
        failed: Any = None,
    ) -> None:
        """Run an application command on the I/O thread; a rule it breaks becomes an error
        notification with the domain's message, and nothing was recorded."""
        assert self.io is not None

        def finished(result: Any) -> None:
            if success:
                self.notify(success, timeout=3)
            if done is not None:
                done(result)
            if reload:
                self.reload()

        def refused(error: BaseException) -> None:
            self.report_error(error)
            if failed is not None:
                failed(error)

        self.io.submit(work, finished, refused)

    def form(
        self,
        title: str,
        fields: list[Field],
        submit: str,
        command: Callable[[dict[str, str]], Callable[[], Any] | None],
        success: Callable[[dict[str, str]], str | None] = lambda _values: None,
        done: Any = None,
    ) -> None:
        """Ask for `fields`, then run `command(values)`'s work on the I/O thread. A refusal
        (a rule broken, a bad path) opens the form again with what was typed, so nothing typed
        is lost; `command` may return None to stop (it said why)."""
        from dataclasses import replace

        def answered(values: dict[str, str] | None) -> None:
            if values is None:
                return
            work = command(values)
            if work is None:
                return
            again = [replace(f, value=values.get(f.name, f.value)) for f in fields]
            self.run_command(
                work,
                done,
                success(values),
                failed=lambda _error: self.form(title, again, submit, command, success, done),
            )

        self.push_screen(FormScreen(title, fields, submit), answered)

    def report_error(self, error: BaseException) -> None:
        from application.errors import ConcurrentEditConflict
        from domain.errors import DomainError

        # A rule, a bad value or a path: the user's to mend. Anything else is named by its type.
        if isinstance(error, DomainError | ConcurrentEditConflict | ValueError | OSError):
            title = "Not done"
        else:
            title = type(error).__name__
        message = str(error) or type(error).__name__
        self.notify(self.in_editor_terms(message), title=title, severity="error", timeout=8)

    def in_editor_terms(self, message: str) -> str:
        """The domain says how to unlock a track with the CLI; here it is a key (the screen's own
        words where it has them: the Timeline knows where the cursor is)."""
        from tui.commands import first_key
        from tui.screens.timeline import TimelineScreen

        hint = getattr(self.screen, "unlock_hint", None)

        def said(found: re.Match[str]) -> str:
            if hint is not None:
                return str(hint(found[1]))
            key = first_key(self, TimelineScreen, "timeline.lock")
            return f"on the Timeline (3) move to {found[1]} with j/k, then {key} unlocks it"

        return _CLI_UNLOCK.sub(said, message)

    def confirm(self, question: str, then: Any, yes: str = "Yes") -> None:
        """Ask first; run `then()` only on yes."""

        def answered(answer: bool | None) -> None:
            if answer:
                then()

        self.push_screen(ConfirmScreen(question, yes), answered)

    def need_project(self) -> str | None:
        if self.project_id is None:
            self.notify("open a project first (1: Projects)", severity="warning")
        return self.project_id

    # -- actions ----------------------------------------------------------------------------

    def action_show(self, mode: str) -> None:
        if mode in NEEDS_PROJECT and self.project_id is None:
            self.notify("open a project first (1: Projects)", severity="warning")
            return
        self.switch_mode(mode)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_undo(self) -> None:
        self._step("undo")

    def action_redo(self) -> None:
        self._step("redo")

    def step(self, kind: str, project_id: str | None = None) -> None:
        """Undo or redo on `project_id` (the open project by default)."""
        self._step(kind, project_id)

    def _step(self, kind: str, project_id: str | None = None) -> None:
        pid = project_id or self.need_project()
        if pid is None:
            return
        studio = self.services.studio

        def work() -> tuple[int | None, str]:
            version = studio.undo(pid) if kind == "undo" else studio.redo(pid)
            if version is None:
                return None, ""
            return version, studio.history(pid, offset=version - 1, limit=1)[0]["summary"]

        def done(result: tuple[int | None, str]) -> None:
            version, summary = result
            if version is None:
                self.notify(f"nothing to {kind}", timeout=3)
            else:
                self.notify(f"{kind}ne v{version}: {summary}", timeout=3)

        self.run_command(work, done)


_CLI_UNLOCK = re.compile(r"unlock it with `milimo track set PROJECT (\w+) --unlock`")


def header_of(view: dict[str, Any]) -> str:
    """The header's project line: name, short id (names may repeat), version, archived."""
    archived = " · archived (1: Projects, a, d restores it)" if view.get("archived") else ""
    return f"{view['name']} · {view['id'][:8]} · v{view['version']}{archived}"


def binding_scopes() -> dict[str, dict[str, str]]:
    """Each screen's and dialog's binding ids with their default keys, and the app's (GLOBAL),
    which answer on every screen: what a keymap file may name, and where its keys may clash."""
    owners: list[tuple[str, type[Any]]] = [
        (GLOBAL, MilimoApp),
        *((s.__name__, s) for s, _, _ in screens().values()),
        *((d.__name__, d) for d in dialog_classes()),
    ]
    scopes: dict[str, dict[str, str]] = {}
    for name, owner in owners:
        scopes[name] = {
            binding.id: binding.key
            for binding in owner.BINDINGS
            if isinstance(binding, Binding) and binding.id
        }
    return scopes


def all_binding_ids() -> set[str]:
    """Every binding id of the app and its screens."""
    return {binding_id for ids in binding_scopes().values() for binding_id in ids}
