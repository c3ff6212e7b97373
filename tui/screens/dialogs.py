"""Modal dialogs: confirm a destructive action, fill in a few fields."""

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label

DIALOG_CSS = """
    align: center middle;
    & > Vertical {
        width: 72; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    Label.title { text-style: bold; margin-bottom: 1; width: 1fr; }
    Label.field { margin-top: 1; color: $text-muted; }
    Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    Button { margin-left: 2; }
"""


class ConfirmScreen(ModalScreen[bool]):
    """Yes or no before anything destructive; `y`/enter confirms, `n`/escape cancels."""

    DEFAULT_CSS = "ConfirmScreen {" + DIALOG_CSS + "}"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str = "Yes"):
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, classes="title")
            with Horizontal():
                yield Button("No (n)", id="no")
                yield Button(f"{self.yes} (y)", id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    choices: tuple[str, ...] = ()  # completed as typed (→ takes the suggestion)


class FormScreen(ModalScreen[dict[str, str] | None]):
    """A few text fields; enter in the last one (or OK) submits, escape cancels."""

    DEFAULT_CSS = "FormScreen {" + DIALOG_CSS + "}"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="form.cancel")]

    def __init__(self, title: str, fields: list[Field], submit: str = "OK"):
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.submit_label = submit

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            for f in self.fields:
                yield Label(f.label, classes="field")
                suggester = SuggestFromList(f.choices) if f.choices else None
                yield Input(
                    f.value, placeholder=f.placeholder, id=f"field-{f.name}", suggester=suggester
                )
            with Horizontal():
                yield Button("Cancel (esc)", id="cancel")
                yield Button(self.submit_label, id="ok", variant="primary")

    def values(self) -> dict[str, str]:
        return {f.name: self.query_one(f"#field-{f.name}", Input).value for f in self.fields}

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.dismiss(self.values())
        else:
            inputs[inputs.index(event.input) + 1].focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.values() if event.button.id == "ok" else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
