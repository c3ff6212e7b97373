"""Elements: the recurring characters, locations and objects; list, add, edit, delete, and
their looks: visualize one, edit one by reference, choose the one an element uses."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import DataTable

from domain.project.element import ELEMENT_TYPES
from tui.labels import excerpt
from tui.screens.dialogs import Field
from tui.screens.looks import LooksScreen, chosen_id
from tui.screens.table_with_picture import TableWithPictureScreen
from tui.widgets.thumbnail import Thumbnail

# Form field → the element's field; the form shows them in this order.
FORM = (
    ("name", "Name", "Mara"),
    ("type", f"Type ({', '.join(ELEMENT_TYPES)})", "character"),
    ("description", "Description", "a lighthouse keeper in her sixties, grey oilskin coat"),
    ("trigger_word", "Trigger word (empty: @ and the name)", "@Mara"),
    ("image", "Reference image (a path; empty: none)", "~/refs/mara.jpg"),
)

CHOICES = {"type": tuple(ELEMENT_TYPES)}


def element_cells(e: dict[str, Any]) -> tuple[str, ...]:
    description = excerpt(e.get("description") or "")
    return (e["name"], e["type"], e["trigger_word"], f"v{e['version']}", description)


class ElementsScreen(TableWithPictureScreen):
    PLURAL, SINGULAR = "elements", "element"
    COLUMNS = ("name", "type", "trigger", "version", "description")
    BINDINGS = [
        Binding("n,a", "add", "Add element", id="elements.add"),
        Binding("enter,e", "edit", "Edit", id="elements.edit"),
        Binding("d,delete", "delete", "Delete", id="elements.delete"),
        Binding("v", "visualize", "Visualize", id="elements.visualize"),
        Binding("L", "edit_look", "Edit look", id="elements.edit_look"),
        Binding("l", "looks", "Looks", id="elements.looks"),
        Binding("j,down", "cursor(1)", "Down", show=False, id="elements.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="elements.up"),
    ]
    DEFAULT_CSS = """
    ElementsScreen #elements-body { height: 1fr; }
    ElementsScreen DataTable { width: 1fr; height: 1fr; }
    ElementsScreen #element-side { width: 44; border-left: vkey $panel; }
    ElementsScreen #element-thumb { height: 16; }
    ElementsScreen #element-details { padding: 0 1; }
    ElementsScreen #elements-hint { height: 1; padding: 0 1; color: $text-muted; }
    """

    def data_changed(self) -> None:
        view = self.milimo.view
        rows = list(view["elements"]) if view else []
        hint = (
            "n: add an element"
            if not rows
            else "n: add · enter: edit · d: delete · v: visualize · L: edit look · l: looks"
        )
        self.fill(rows, element_cells, hint)

    @on(DataTable.RowSelected)
    def selected(self, _event: DataTable.RowSelected) -> None:
        self.action_edit()

    def show_side(self) -> None:
        element = self.current()
        thumb = self.query_one(Thumbnail)
        details = self.details
        if element is None:
            thumb.show(None, "", "no elements yet")
            details.update("")
            return
        thumb.show(element.get("image"), element["name"], "no reference image")
        text = Text(f"{element['name']}\n", style="bold")
        text.append(f"{element['trigger_word']} · {element['type']} · v{element['version']}\n")
        if element.get("description"):
            text.append("\n" + element["description"] + "\n")
        if element.get("image"):
            text.append(f"\nreference: {Path(element['image']).name}\n", style="dim")
        looks = element.get("looks") or []
        if looks:
            chosen = chosen_id(element)
            which = f", using {chosen[:8]}" if chosen else ""
            text.append(f"\n{len(looks)} look(s){which} · l: choose\n", style="dim")
        details.update(text)

    def action_add(self) -> None:
        pid = self.milimo.need_project()
        if pid is None:
            return
        studio = self.milimo.services.studio

        check_image = self.check_image

        def add(values: dict[str, str]) -> Callable[[], str]:
            name, kind = values["name"], values["type"].strip()

            def work() -> str:
                return studio.define_element(
                    pid,
                    name,
                    kind,
                    description=values["description"],
                    trigger_word=values["trigger_word"].strip() or None,
                    image=check_image(values["image"]),
                )

            return work

        fields = [
            Field(name, label, placeholder=hint, choices=CHOICES.get(name, ()))
            for name, label, hint in FORM
        ]
        self.milimo.form(
            "Add an element",
            fields,
            "Add",
            add,
            lambda v: f"{v['type'].strip()} {v['name'].strip()!r} added",
        )

    def check_image(self, raw: str) -> str | None:
        """The reference image's checked path (the wiring's check; bare in a test without one)."""
        check = self.milimo.services.check_image
        return check(raw) if check is not None else (raw.strip() or None)

    def action_edit(self) -> None:
        pid = self.milimo.need_project()
        element = self.current()
        if pid is None or element is None:
            return
        studio = self.milimo.services.studio
        before = {name: str(element.get(name) or "") for name, _, _ in FORM}

        check_image = self.check_image

        def edit(values: dict[str, str]) -> Callable[[], dict[str, Any]] | None:
            changed = {k: v for k, v in values.items() if v != before[k]}
            if not changed:
                self.app.notify("nothing changed", timeout=3)
                return None

            def work() -> dict[str, Any]:
                changes: dict[str, Any] = dict(changed)
                if "image" in changes:
                    changes["image"] = check_image(changes["image"]) or ""
                return studio.change_element(pid, element["id"], **changes)

            return work

        def said(values: dict[str, str]) -> str:
            changed = sorted(k for k, v in values.items() if v != before[k])
            return f"{element['name']!r}: {', '.join(changed)} changed"

        fields = [
            Field(name, label, before[name], hint, CHOICES.get(name, ()))
            for name, label, hint in FORM
        ]
        self.milimo.form(f"Edit {element['name']!r}", fields, "Save", edit, said)

    def action_delete(self) -> None:
        pid = self.milimo.need_project()
        element = self.current()
        if pid is None or element is None:
            return
        studio = self.milimo.services.studio
        element_id, name = element["id"], element["name"]
        self.milimo.confirm(
            f"Delete {element['type']} {name!r} ({element['trigger_word']})? Shots that name it "
            "keep their words; u undoes it.",
            lambda: self.milimo.run_command(
                lambda: studio.remove_element(pid, element_id), success=f"{name!r} deleted"
            ),
            yes="Delete",
        )

    # -- looks ---------------------------------------------------------------------------------

    def action_visualize(self) -> None:
        """A look made from the element's description (an image job: 6 shows it)."""
        pid = self.milimo.need_project()
        element = self.current()
        if pid is None or element is None:
            return
        services = self.milimo.services
        element_id, name = element["id"], element["name"]

        def work() -> str:
            from application.element_looks import visualize

            return visualize(services.engine(), pid, element_id)

        self.milimo.run_command(work, success=f"a look of {name!r} requested (6: Jobs)")

    def action_edit_look(self) -> None:
        """A variant of the element's image by reference editing, from a prompt."""
        pid = self.milimo.need_project()
        element = self.current()
        if pid is None or element is None:
            return
        if not element.get("image"):
            self.app.notify(
                f"{element['name']!r} has no image to edit yet: v visualizes it, or give it a "
                "reference image (enter)",
                title="Not done",
                severity="error",
                timeout=8,
            )
            return
        services = self.milimo.services
        element_id, name = element["id"], element["name"]

        def edit(values: dict[str, str]) -> Callable[[], str]:
            def work() -> str:
                from application.element_looks import edit_look

                return edit_look(services.engine(), pid, element_id, values["prompt"])

            return work

        field = Field("prompt", "How the look changes", placeholder="twenty years older")
        self.milimo.form(
            f"Edit the look of {name!r}",
            [field],
            "Edit",
            edit,
            lambda _v: f"a new look of {name!r} requested (6: Jobs)",
        )

    def action_looks(self) -> None:
        pid = self.milimo.need_project()
        element = self.current()
        if pid is None or element is None:
            return
        self.app.push_screen(LooksScreen(pid, element))
