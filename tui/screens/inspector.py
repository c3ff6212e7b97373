"""Inspector: every spec field of the selected shot, editable, its conditioning, the elements it
uses and its takes; choose the active take, generate, regenerate with a new seed."""

import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Header,
    Input,
    Label,
    Select,
    Static,
)

from application.take_quality import quality_line
from domain.errors import InvalidValue
from domain.project.lora import Lora
from domain.project.rules import MAX_SEED
from domain.project.shot import PIPELINES, PRESETS, SHOT_TYPES, SPEC_FIELDS
from tui.labels import shot_label as label_in
from tui.screens.base import MilimoScreen
from tui.screens.dialogs import ConfirmScreen, Field
from tui.shot_elements import composed, elements_of, lora_stack
from tui.widgets.key_bar import KeyBar

TEXTS = ("prompt", "negative_prompt", "action", "dialogue", "character")
INTEGERS = ("seed", "width", "height", "num_frames", "fps", "num_inference_steps")
NUMBERS = ("cfg_scale",)
SWITCHES = ("enhance_prompt", "upscale", "auto_continue")
CHOICES: dict[str, tuple[str, ...]] = {
    "shot_type": SHOT_TYPES,
    "pipeline_override": PIPELINES,
    "preset": ("none", *PRESETS),  # none: the shot's own steps, cfg and upscale
}
# The form, top to bottom: the script's words, then the domain's spec fields in its order
# (conditioning and the active take have their own panels).
FIELDS = (
    *TEXTS,
    "shot_type",
    *(f for f in SPEC_FIELDS if f not in (*TEXTS, "shot_type", "conditioning", "active_take")),
)
TRIGGER = re.compile(r"@[^\W\d_]\w*")


def shown(name: str, value: Any) -> Any:
    """A spec value as its form widget holds it."""
    if name in SWITCHES:
        return bool(value)
    if name in NUMBERS:
        return f"{float(value):g}"
    if name == "preset":
        return value or "none"
    return str(value)


def parsed(name: str, value: Any) -> Any:
    """A form widget's value as the spec takes it; ValueError names the field."""
    if name in INTEGERS:
        try:
            return int(str(value).strip())
        except ValueError:
            raise ValueError(f"{name} must be a whole number: got {value!r}") from None
    if name in NUMBERS:
        try:
            return float(str(value).strip())
        except ValueError:
            raise ValueError(f"{name} must be a number: got {value!r}") from None
    return value


def shot_label(view: dict[str, Any], shot: dict[str, Any]) -> str:
    scenes = {s["id"]: n for n, s in enumerate(view["scenes"], 1)}
    return f"shot {label_in(scenes, shot)}"


def used_by(shot: dict[str, Any], element: dict[str, Any], now: dict[str, int]) -> str:
    """How the shot comes to use an element (which elements it uses is `elements_of`'s);
    `now`: those its prompt's composition uses now."""
    if element["id"] not in now:
        return "its take"
    body = (shot.get("prompt") or "").strip() or shot.get("action") or ""
    triggers = {t.casefold() for t in TRIGGER.findall(f"{body} {shot.get('dialogue') or ''}")}
    if element["trigger_word"].casefold() in triggers:
        return str(element["trigger_word"])
    return {"character": "character", "location": "scene heading"}.get(element["type"], "style")


def elements_text(view: dict[str, Any], shot: dict[str, Any]) -> str:
    stale_ids = {r["element_id"] for r in shot.get("stale_because") or []}
    now = composed(view, shot)
    return (
        "\n".join(
            f"{escape(e['name'])} ({e['type']}) {escape(e['trigger_word'])} v{e['version']}"
            f" · by {escape(used_by(shot, e, now))}"
            + (" · [$warning]changed since the take[/]" if e["id"] in stale_ids else "")
            for e in elements_of(view, shot)
        )
        or "[dim]none named (character, scene heading or @trigger)[/]"
    )


def lora_text(stack: list[tuple[Lora, str]]) -> str:
    lines = [
        f"{lora.strength:g} · {escape(lora.path.rsplit('/', 1)[-1])} · from {escape(where)}"
        for lora, where in stack
    ]
    return "\n".join(lines) or "[dim]none[/]"


def trims_text(shot: dict[str, Any]) -> str:
    """Two short lines, so the start frame shows however long the numbers are."""
    return (
        f"trim in {shot['trim_in']} · out {shot['trim_out']} · "
        f"{shot['visible_frames']} of {shot['num_frames']} frames shown\n"
        f"on {shot['track']} from frame {shot['start_frame']}"
    )


VIDEO_SUFFIXES = (".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v")


def conditioning_item(
    values: dict[str, str], check_image: Callable[[str], str | None] | None
) -> dict[str, Any]:
    """A conditioning item from the form, as `milimo shot set … conditioning=[…]` takes one: a
    file (checked, made absolute) or an asset's name or id (the domain finds it). Runs on the
    I/O thread; a bad value raises with the reason, and the form opens again."""
    ref = values.get("asset", "").strip()
    try:
        frame = int(values.get("frame", "").strip() or 0)
    except ValueError:
        raise InvalidValue(f"frame index must be a whole number: got {values['frame']!r}") from None
    try:
        strength = float(values.get("strength", "").strip() or 1.0)
    except ValueError:
        raise InvalidValue(f"strength must be a number: got {values['strength']!r}") from None
    video = Path(ref).suffix.lower() in VIDEO_SUFFIXES
    kind = values.get("type", "").strip().lower() or ("video" if video else "image")
    if ref.startswith(("/", "~", ".")) or "/" in ref:  # a file; else an asset's name or id
        # Made absolute; a picture is checked as one here, and the application refuses a file
        # it cannot read (application/conditioning_files.py).
        path = str(Path(ref).expanduser().resolve())
        ref = (check_image(path) or "") if kind == "image" and check_image else path
    return {"asset": ref, "frame_index": frame, "strength": strength, "type": kind}


class TakesTable(DataTable[str]):
    """The shot's takes: a click only highlights one; enter or a double click chooses it.
    (DataTable selects on a click on the highlighted cell: that selection is held back.)"""

    _single_click = False

    async def _on_click(self, event: events.Click) -> None:
        self._single_click = event.chain < 2
        try:
            await super()._on_click(event)
        finally:
            self._single_click = False

    def _post_selected_message(self) -> None:
        if not self._single_click:
            super()._post_selected_message()  # type: ignore[no-untyped-call]


class InspectorScreen(MilimoScreen):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="inspector.save"),
        Binding("escape", "revert", "Revert", id="inspector.revert", show=False),
        Binding("g", "generate", "Generate", id="inspector.generate"),
        Binding("G", "regenerate", "New seed + generate", id="inspector.regenerate"),
        Binding("t", "activate_take", "Make take active", id="inspector.take", show=False),
        Binding("n", "shot(1)", "Next shot", id="inspector.next"),
        Binding("N", "shot(-1)", "Previous shot", id="inspector.previous", show=False),
        Binding("l", "add_lora", "Add LoRA", id="inspector.lora_add"),
        Binding("L", "remove_lora", "Remove LoRA", id="inspector.lora_remove", show=False),
        Binding(
            "c", "add_conditioning", "Add conditioning", id="inspector.conditioning_add", show=False
        ),
        Binding(
            "C",
            "remove_conditioning",
            "Remove conditioning",
            id="inspector.conditioning_remove",
            show=False,
        ),
        Binding("M", "models", "Models", id="inspector.models", show=False),
        Binding("v", "variants", "Compare takes", id="inspector.variants", show=False),
    ]
    DEFAULT_CSS = """
    InspectorScreen #shot-title { height: 1; padding: 0 1; text-style: bold; }
    InspectorScreen #inspector-body { height: 1fr; }
    InspectorScreen #form { width: 66; padding: 0 1; }
    InspectorScreen .field { height: 1; }
    InspectorScreen .field Label { width: 21; color: $text-muted; }
    InspectorScreen .field.-dirty Label { color: $warning; text-style: bold; }
    InspectorScreen .field Input, InspectorScreen .field Select { width: 1fr; }
    InspectorScreen .field Checkbox { width: auto; }
    InspectorScreen #trims { height: auto; color: $text-muted; margin-top: 1; }
    InspectorScreen #form-buttons { height: 1; margin-top: 1; }
    InspectorScreen #form-buttons Button { margin-right: 1; }
    InspectorScreen #side { width: 1fr; padding: 0 1; }
    InspectorScreen #side Label.heading { text-style: bold; margin-top: 1; }
    InspectorScreen #takes { height: auto; max-height: 12; }
    InspectorScreen #conditioning { height: auto; max-height: 6; }
    InspectorScreen #elements, InspectorScreen #loras { height: auto; color: $text; }
    InspectorScreen #dirty-hint { height: 1; padding: 0 1; color: $warning; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.shot_id: str | None = None
        self.base: dict[str, Any] = {}  # the stored values, as the widgets hold them
        self.dirty: set[str] = set()
        self.takes_shown: tuple[Any, ...] = ()
        self.conditioning_shown: tuple[Any, ...] | None = None
        self.shown_text: dict[str, str] = {}
        self.asking = False  # the question about unsaved edits of another shot is open

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("no shot", id="shot-title")
        with Horizontal(id="inspector-body"):
            with VerticalScroll(id="form"):
                for name in FIELDS:
                    with Horizontal(classes="field", id=f"row-{name}"):
                        yield Label(name)
                        yield self._field_widget(name)
                yield Static("", id="trims")
                with Horizontal(id="form-buttons"):
                    yield Button("Save ^s", id="save", variant="primary", compact=True)
                    yield Button("Revert esc", id="revert", compact=True)
                    yield Button("Generate g", id="generate", compact=True)
                    yield Button("New seed G", id="regenerate", compact=True)
            with Vertical(id="side"):
                yield Label("Takes (enter/t: make active, v: compare)", classes="heading")
                yield TakesTable(id="takes", cursor_type="row", zebra_stripes=True)
                yield Label("Conditioning (c: add, C: remove)", classes="heading")
                yield DataTable(id="conditioning", cursor_type="row", show_header=False)
                yield Label("Elements", classes="heading")
                yield Static("", id="elements")
                yield Label("LoRAs (l: add, L: remove)", classes="heading")
                yield Static("", id="loras")
        yield Static("", id="dirty-hint")
        yield KeyBar()

    @staticmethod
    def _field_widget(name: str) -> Widget:
        wid = f"f-{name}"
        if name in SWITCHES:
            return Checkbox("off", id=wid, compact=True)
        if name in CHOICES:
            options = [(c, c) for c in CHOICES[name]]
            return Select(options, allow_blank=False, id=wid, compact=True)
        if name in INTEGERS:
            return Input(id=wid, type="integer", compact=True, select_on_focus=False)
        if name in NUMBERS:
            return Input(id=wid, type="number", compact=True, select_on_focus=False)
        return Input(id=wid, compact=True, select_on_focus=False)

    def on_mount(self) -> None:
        table = self.query_one("#takes", DataTable)
        table.add_columns("", "take", "frames", "size", "when", "quality")
        table.focus()
        self.query_one("#conditioning", DataTable).add_columns("type", "asset", "frame", "strength")

    # -- which shot, and keeping the form in step with it ---------------------------------------

    def shot(self) -> dict[str, Any] | None:
        """The selected shot (shared with the Storyboard and the Timeline)."""
        view = self.milimo.view
        if not view or not view["shots"]:
            return None
        wanted = self.milimo.selected_shot
        for shot in view["shots"]:
            if shot["id"] == wanted:
                return dict(shot)
        return dict(view["shots"][0])

    def shown_shot(self) -> dict[str, Any] | None:
        """The shot the form shows (the edited one, while the question about it is open)."""
        view = self.milimo.view or {}
        return next((dict(s) for s in view.get("shots", []) if s["id"] == self.shot_id), None)

    def data_changed(self) -> None:
        view = self.milimo.view
        shot = self.shot()
        if view is None or shot is None:
            self.shot_id = None
            self._put("shot-title", "loading…" if view is None else "this project has no shots yet")
            return
        if self.dirty and self.shot_id is not None and shot["id"] != self.shot_id:
            edited = self.shown_shot()
            if edited is not None:  # chosen elsewhere (n, the Timeline…): ask, show the edits
                self._ask_about_edits(edited)
                shot = edited
            else:
                self.notify(
                    f"the shot you were editing is gone: its unsaved changes "
                    f"({self._dirty_names()}) were dropped",
                    severity="warning",
                    timeout=8,
                )
        fresh = shot["id"] != self.shot_id
        self.shot_id = shot["id"]
        before, self.base = self.base, {name: shown(name, shot[name]) for name in FIELDS}
        for name in FIELDS:
            widget = self._widget(name)
            # The user's edit wins, even one whose Changed message is still on its way.
            edited_field = not fresh and (name in self.dirty or widget.value != before.get(name))
            if edited_field:
                self._mark(name, widget.value != self.base[name])
            else:
                if name in self.dirty:
                    self._mark(name, False)
                if widget.value != self.base[name]:
                    widget.value = self.base[name]
        self._show_shot(view, shot)

    def _dirty_names(self) -> str:
        return ", ".join(n for n in FIELDS if n in self.dirty)

    def _ask_about_edits(self, edited: dict[str, Any]) -> None:
        """Another shot was chosen while this one has unsaved edits: discard them and follow the
        choice, or go back to the edited shot. Never dropped without a word."""
        if self.asking:
            return
        self.asking = True
        view = self.milimo.view or {}
        back, label = edited["id"], shot_label(view, edited)

        def answered(discard: bool | None) -> None:
            self.asking = False
            if discard:
                for name in list(self.dirty):
                    self._mark(name, False)
            else:
                self.milimo.selected_shot = back
                self.notify(f"back to {label} and its unsaved changes", timeout=4)
            self.data_changed()

        question = (
            f"Discard unsaved changes to {label} ({self._dirty_names()})? No goes back to {label}."
        )
        self.app.push_screen(ConfirmScreen(question, "Discard"), answered)

    def _put(self, static_id: str, text: str) -> None:
        """Update a Static only when its text changed (data arrives several times a second)."""
        if self.shown_text.get(static_id) != text:
            self.shown_text[static_id] = text
            self.query_one(f"#{static_id}", Static).update(text)

    def _widget(self, name: str) -> Any:
        return self.query_one(f"#f-{name}")

    def _show_shot(self, view: dict[str, Any], shot: dict[str, Any]) -> None:
        scene = next((s for s in view["scenes"] if s["id"] == shot["scene_id"]), None)
        progress = f" {shot['progress']:.0f}%" if shot["status"] == "generating" else ""
        stale = " · [$warning]stale[/]" if shot.get("stale") else ""
        place = next(n for n, s in enumerate(view["shots"], 1) if s["id"] == shot["id"])
        self._put(
            "shot-title",
            f"{shot_label(view, shot)} · {escape(scene['name'] if scene else '?')} · "
            f"{shot['id'][:8]} · {shot['status']}{progress}{stale} · "
            f"{place} of {len(view['shots'])} (n/N)",
        )
        self._put("trims", trims_text(shot))
        self._show_takes(shot)
        self._show_conditioning(shot)
        self._put("elements", elements_text(view, shot))
        self._put("loras", lora_text(lora_stack(view, shot)))
        self._hint()

    def _show_takes(self, shot: dict[str, Any]) -> None:
        jobs = {j["id"]: j for j in self.milimo.jobs}
        rows = tuple(
            (
                "●" if take["id"] == shot.get("active_take") else "",
                take["id"][:8],
                str(take["num_frames"]),
                f"{take['width']}x{take['height']}",
                str(jobs.get(take["job_id"], {}).get("updated_at") or "")[5:16].replace("T", " "),
                _quality(take.get("quality")),
                take["id"],
            )
            for take in shot["takes"]
        )
        if rows == self.takes_shown:
            return
        self.takes_shown = rows
        table = self.query_one("#takes", DataTable)
        keep = table.cursor_row
        table.clear()
        for row in rows:
            table.add_row(*row[:-1], key=row[-1])
        if rows:
            table.move_cursor(row=min(max(keep, 0), len(rows) - 1))

    def _show_conditioning(self, shot: dict[str, Any]) -> None:
        rows = tuple(
            (c["type"], c["asset"].rsplit("/", 1)[-1], str(c["frame_index"]), f"{c['strength']:g}")
            for c in shot.get("conditioning") or []
        )
        if rows == self.conditioning_shown:
            return
        self.conditioning_shown = rows
        table = self.query_one("#conditioning", DataTable)
        keep = table.cursor_row
        table.clear()
        for kind, name, frame, strength in rows:
            table.add_row(kind, Text(name), frame, strength)  # a file name is no markup
        if not rows:
            table.add_row(Text("none", style="dim"), "", "", "")
        else:
            table.move_cursor(row=min(max(keep, 0), len(rows) - 1))

    # -- editing ------------------------------------------------------------------------------

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def field_changed(self, event: Input.Changed | Checkbox.Changed | Select.Changed) -> None:
        widget = event.control
        if isinstance(widget, Checkbox):
            widget.label = "on" if widget.value else "off"
        name = (widget.id or "")[2:] if widget is not None else ""
        if name in self.base:
            self._mark(name, widget.value != self.base[name])

    @on(Input.Submitted)
    def field_submitted(self, event: Input.Submitted) -> None:
        """enter keeps the field's edit and leaves it, so the keys work again."""
        if self._field_of(event.input) is not None:
            self.query_one("#takes", DataTable).focus()

    def _field_of(self, widget: Widget | None) -> str | None:
        """The form field `widget` is (or is part of), if any."""
        while widget is not None and widget is not self:
            wid = widget.id or ""
            if wid.startswith("f-") and wid[2:] in FIELDS:
                return wid[2:]
            parent = widget.parent
            widget = parent if isinstance(parent, Widget) else None
        return None

    def _mark(self, name: str, dirty: bool) -> None:
        if dirty:
            self.dirty.add(name)
        else:
            self.dirty.discard(name)
        self.query_one(f"#row-{name}").set_class(dirty, "-dirty")
        self._hint()

    def _hint(self) -> None:
        hint = ""
        if self.dirty:
            hint = f"unsaved: {self._dirty_names()} — ctrl+s saves, esc reverts"
        self._put("dirty-hint", hint)

    def action_save(self) -> None:
        pid, shot_id = self.milimo.project_id, self.shot_id
        if pid is None or shot_id is None:
            return
        if not self.dirty:
            self.notify("nothing to save", timeout=3)
            return
        try:
            changes = {n: parsed(n, self._widget(n).value) for n in FIELDS if n in self.dirty}
        except ValueError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=8)
            return
        studio = self.milimo.services.studio
        saved = {n: self._widget(n).value for n in changes}

        def done(_result: Any) -> None:
            for name, value in saved.items():
                self.base[name] = value
                self._mark(name, self._widget(name).value != value)

        self.milimo.run_command(
            lambda: studio.change_shot(pid, shot_id, **changes),
            done,
            success=f"saved {', '.join(changes)}",
        )

    def action_revert(self) -> None:
        """esc in a field reverts that field and leaves it; elsewhere it reverts every unsaved
        edit (after asking, when more than one field changed)."""
        takes = self.query_one("#takes", DataTable)
        name = self._field_of(self.focused)
        if name is not None:
            if name in self.dirty:
                self._revert([name])
            takes.focus()
            return
        if not self.dirty:
            takes.focus()
            return
        names = [n for n in FIELDS if n in self.dirty]
        if len(names) == 1:
            self._revert(names)
            return
        self.milimo.confirm(
            f"Revert {len(names)} unsaved changes ({', '.join(names)})?",
            lambda: self._revert(names),
            "Revert",
        )

    def _revert(self, names: list[str]) -> None:
        for name in names:
            if name in self.dirty:
                self._widget(name).value = self.base[name]
                self._mark(name, False)
        self.notify(f"reverted {', '.join(names)}", timeout=2)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        actions = {
            "save": self.action_save,
            "revert": self.action_revert,
            "generate": self.action_generate,
            "regenerate": self.action_regenerate,
        }
        if event.button.id in actions:
            actions[event.button.id]()

    # -- takes, generate, other shots ---------------------------------------------------------

    @on(DataTable.RowSelected, "#takes")
    def take_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_activate_take()

    def action_activate_take(self) -> None:
        table = self.query_one("#takes", DataTable)
        pid, shot_id = self.milimo.project_id, self.shot_id
        if pid is None or shot_id is None or not self.takes_shown:
            return
        marker, short, *_, take_id = self.takes_shown[max(0, table.cursor_row)]
        if marker:
            self.notify(f"take {short} is already the active one", timeout=3)
            return
        studio = self.milimo.services.studio
        self.milimo.run_command(
            lambda: studio.change_shot(pid, shot_id, active_take=take_id),
            success=f"take {short} is now the active take",
        )

    def _unsaved_warning(self) -> None:
        if self.dirty:
            self.notify(
                "unsaved changes are not part of this generation (ctrl+s saves them)",
                severity="warning",
                timeout=5,
            )

    def action_generate(self) -> None:
        pid, shot_id = self.milimo.project_id, self.shot_id
        if pid is None or shot_id is None:
            return
        self._unsaved_warning()
        engine = self.milimo.services.engine
        self.milimo.run_command(
            lambda: engine().generate(pid, [shot_id]), success="generation requested (6: Jobs)"
        )

    def action_regenerate(self) -> None:
        pid, shot_id = self.milimo.project_id, self.shot_id
        if pid is None or shot_id is None:
            return
        self._unsaved_warning()
        seed = random.randint(0, MAX_SEED)
        services = self.milimo.services

        def work() -> list[str]:
            services.studio.change_shot(pid, shot_id, seed=seed)
            return services.engine().generate(pid, [shot_id])

        self.milimo.run_command(work, success=f"new seed {seed}: generation requested")

    # -- conditioning ---------------------------------------------------------------------------

    def action_add_conditioning(self) -> None:
        pid, shot = self.milimo.project_id, self.shown_shot()
        if pid is None or shot is None:
            return
        services, shot_id = self.milimo.services, shot["id"]
        items = list(shot.get("conditioning") or [])

        def command(values: dict[str, str]) -> Callable[[], Any]:
            def work() -> Any:
                item = conditioning_item(values, services.check_image)
                return services.studio.change_shot(pid, shot_id, conditioning=[*items, item])

            return work

        self.milimo.form(
            f"Condition {shot_label(self.milimo.view or {}, shot)} on a picture or a video",
            [
                Field("asset", "file path, or an asset's name or id (9: Assets)"),
                Field("frame", "at frame (0 = the first)", value="0"),
                Field("strength", "strength (0 to 1)", value="1.0"),
                Field("type", "image or video (empty: by the file's extension)"),
            ],
            "Add",
            command,
            lambda values: f"conditioning {values['asset'].strip().rsplit('/', 1)[-1]} added",
        )

    def action_remove_conditioning(self) -> None:
        pid, shot = self.milimo.project_id, self.shown_shot()
        items = list((shot or {}).get("conditioning") or [])
        if pid is None or shot is None:
            return
        if not items:
            self.notify("this shot has no conditioning items (c adds one)", timeout=3)
            return
        row = self.query_one("#conditioning", DataTable).cursor_row
        gone = items[min(max(row, 0), len(items) - 1)]
        rest = [c for c in items if c is not gone]
        studio, shot_id = self.milimo.services.studio, shot["id"]
        what = f"{gone['type']} {gone['asset'].rsplit('/', 1)[-1]} at frame {gone['frame_index']}"

        def remove() -> None:
            self.milimo.run_command(
                lambda: studio.change_shot(pid, shot_id, conditioning=rest),
                success=f"conditioning {what} removed",
            )

        self.milimo.confirm(f"Remove the conditioning {what}?", remove, "Remove")

    # -- LoRAs, models, takes compared, other shots ----------------------------------------------

    def action_add_lora(self) -> None:
        pid, shot_id = self.milimo.project_id, self.shot_id
        services = self.milimo.services
        if pid is None or shot_id is None or services.check_lora is None:
            return
        check = services.check_lora

        def command(values: dict[str, str]) -> Any:
            try:
                strength = float(values.get("strength") or 1.0)
            except ValueError:
                self.notify("strength must be a number", severity="error", timeout=6)
                return None
            path = values.get("path", "")
            return lambda: services.studio.add_shot_lora(pid, shot_id, check(path), strength)

        self.milimo.form(
            "Add a LoRA to this shot (again: a new strength)",
            [
                Field("path", "LoRA file", placeholder="/path/to/lora.safetensors"),
                Field("strength", "strength (-2 to 2)", value="1.0"),
            ],
            "Add",
            command,
            lambda values: f"LoRA {values['path'].rsplit('/', 1)[-1]} added",
        )

    def action_remove_lora(self) -> None:
        pid, shot = self.milimo.project_id, self.shown_shot()
        if pid is None or shot is None:
            return
        own = shot.get("loras") or []
        if not own:
            self.notify("this shot has no LoRAs of its own", timeout=3)
            return
        studio, shot_id = self.milimo.services.studio, shot["id"]
        self.milimo.form(
            "Remove a LoRA from this shot",
            [Field("path", "path or file name", value=own[-1]["path"])],
            "Remove",
            lambda values: lambda: studio.remove_shot_lora(pid, shot_id, values["path"]),
            lambda values: f"LoRA {values['path'].rsplit('/', 1)[-1]} removed",
        )

    def action_models(self) -> None:
        from tui.screens.models import ModelsScreen

        self.app.push_screen(ModelsScreen())

    def action_variants(self) -> None:
        """The shot's variant group side by side, or else all its takes."""
        from tui.screens.variants import VariantsScreen

        if self.shot_id is not None:
            self.app.push_screen(VariantsScreen(self.shot_id))

    def action_shot(self, delta: int) -> None:
        """The next or previous shot; unsaved edits are asked about first (data_changed)."""
        view = self.milimo.view
        if not view or not view["shots"] or self.shot_id is None:
            return
        ids = [s["id"] for s in view["shots"]]
        at = ids.index(self.shot_id) if self.shot_id in ids else 0
        target = ids[max(0, min(len(ids) - 1, at + delta))]
        if target != self.shot_id:
            self.milimo.selected_shot = target
            self.data_changed()


def _quality(quality: dict[str, Any] | None) -> str:
    return quality_line(quality)
