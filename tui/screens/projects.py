"""Projects: list, create, open, branch, delete (archive)."""

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from domain.errors import InvalidValue
from tui.screens.base import MilimoScreen
from tui.screens.dialogs import Field
from tui.widgets.key_bar import KeyBar


class ProjectsScreen(MilimoScreen):
    BINDINGS = [
        Binding("n", "new", "New project", id="projects.new"),
        Binding("enter,o", "open", "Open", id="projects.open"),
        Binding("b", "branch", "Branch", id="projects.branch"),
        Binding("d,delete", "archive", "Delete (archive)", id="projects.archive"),
        Binding("a", "toggle_archived", "Show archived", id="projects.show_archived"),
        Binding("u,ctrl+z", "step('undo')", "Undo (this project)", id="projects.undo"),
        Binding("ctrl+r,ctrl+y", "step('redo')", "Redo (this project)", id="projects.redo"),
        Binding("j,down", "cursor(1)", "Down", show=False, id="projects.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="projects.up"),
    ]
    DEFAULT_CSS = """
    ProjectsScreen DataTable { height: 1fr; }
    ProjectsScreen #projects-hint { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.show_archived = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="projects", cursor_type="row", zebra_stripes=True)
        yield Static("", id="projects-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("name", "version", "updated", "id", "")
        table.focus()

    def data_changed(self) -> None:
        milimo = self.milimo
        if not milimo.ready:
            return
        queries = milimo.services.queries
        archived = self.show_archived
        if milimo.io is not None:
            milimo.io.submit(lambda: queries.projects(include_archived=archived), self.show_rows)

    def show_rows(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for p in rows:
            table.add_row(
                p["name"],
                f"v{p['version']}",
                str(p["updated_at"])[:19].replace("T", " "),
                p["id"][:12],
                "archived" if p["archived"] else "",
                key=p["id"],
            )
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))
        hint = "n: new project" if not rows else "enter: open · n: new · b: branch · d: delete"
        self.query_one("#projects-hint", Static).update(hint)

    def current(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_cursor(self, delta: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=table.cursor_row + delta)

    def action_new(self) -> None:
        if not self.milimo.ready:
            return
        studio = self.milimo.services.studio
        self.milimo.form(
            "New project",
            [Field("name", "Name", placeholder="The Keeper")],
            "Create",
            lambda values: lambda: studio.create_project(values["name"]),
            lambda values: f"project {values['name'].strip()!r} created",
            done=lambda pid: self.milimo.open_project(pid, "storyboard"),
        )

    @on(DataTable.RowSelected)
    def row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        project = self.current()
        if project is not None:
            self.milimo.open_project(project["id"])

    def action_branch(self) -> None:
        project = self.current()
        if project is None:
            return

        studio = self.milimo.services.studio

        def branch(values: dict[str, str]) -> Callable[[], str]:
            def work() -> str:
                try:
                    version = int(values["version"])
                except ValueError:
                    raise InvalidValue(
                        f"the version is a whole number: got {values['version']!r}"
                    ) from None
                return studio.branch(project["id"], version, values["name"])

            return work

        fields = [
            Field("name", "Name of the branch", f"{project['name']} (branch)"),
            Field("version", "From version", str(project["version"])),
        ]
        self.milimo.form(
            f"Branch {project['name']!r} ({project['id'][:8]})",
            fields,
            "Branch",
            branch,
            lambda values: f"branch {values['name'].strip()!r} created",
            done=lambda _pid: self.data_changed(),
        )

    def action_archive(self) -> None:
        project = self.current()
        if project is None:
            return
        studio = self.milimo.services.studio
        pid, name, archived = project["id"], project["name"], project["archived"]

        def archive() -> None:
            self.milimo.run_command(
                lambda: studio.archive(pid, not archived),
                success=f"{name!r} {'restored' if archived else 'archived'}",
            )
            if self.milimo.project_id == pid and not archived:
                self.milimo.close_project()
            self.data_changed()

        if archived:
            archive()
        else:
            self.milimo.confirm(
                f"Delete {name!r} ({pid[:8]})? It is archived: its events stay, and `a` (show "
                "archived) then `d` brings it back.",
                archive,
                yes="Delete",
            )

    def action_step(self, kind: str) -> None:
        """Undo or redo on the highlighted project (here, the list is what the user sees)."""
        project = self.current()
        if project is None:
            self.app.notify(f"no project to {kind} here: n creates one", severity="warning")
            return
        self.milimo.step(kind, project["id"])
        self.data_changed()

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.data_changed()
