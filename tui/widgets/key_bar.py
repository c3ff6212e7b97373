"""The bottom line of keys: one cheap widget in place of Textual's Footer.

The Footer builds a widget per key and restyles them all whenever a screen is shown, which was
half the cost of switching screens; this draws one line of text from the screen's bindings
(after the keymap). Clicking a key runs it, as the Footer's did.
"""

from typing import Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widget import Widget


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar { height: 1; dock: bottom; background: $footer-background; color: $footer-foreground; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str]] = []  # (start, end, action) per key drawn
        self._text: Text | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.rebuild())

    def rebuild(self) -> None:
        self._text = None
        self.refresh()

    def bindings(self) -> list[Binding]:
        """The screen's shown keys, then the app's that the screen does not answer itself."""
        keymap = getattr(self.app, "_keymap", {})

        def keys(binding: Binding) -> set[str]:
            return {k.strip() for k in keymap.get(binding.id, binding.key).split(",")}

        screen = [b for b in type(self.screen).BINDINGS if isinstance(b, Binding)]
        taken = set().union(*(keys(b) for b in screen))
        app: list[Any] = type(self.app).BINDINGS
        # Over a dialog (the player, the script editor) only the app's priority keys answer.
        modal = isinstance(self.screen, ModalScreen)
        return [b for b in screen if b.show] + [
            b
            for b in app
            if isinstance(b, Binding)
            and b.show
            and not keys(b) <= taken
            and (b.priority or not modal)
        ]

    def build(self) -> Text:
        from tui.commands import keys_display

        keymap = getattr(self.app, "_keymap", {})
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis")
        self._spans = []
        for binding in self.bindings():
            key = keys_display(self.app, binding, keymap).split(" / ")[0]
            start = len(text)
            text.append(f" {key} ", style=key_style or "bold")
            text.append(f"{binding.description} ")
            self._spans.append((start, len(text), binding.action))
        start = len(text)
        text.append(" ^p ", style=key_style or "bold")
        text.append("palette ")
        self._spans.append((start, len(text), "app.command_palette"))
        return text

    COMPONENT_CLASSES = {"key-bar--key"}
    DEFAULT_CSS += "KeyBar > .key-bar--key { color: $footer-key-foreground; text-style: bold; }"

    def render(self) -> Text:
        if self._text is None:
            self._text = self.build()
        return self._text

    async def on_click(self, event: events.Click) -> None:
        for start, end, action in self._spans:
            if start <= event.x < end:
                await self.app.run_action(action, self.screen)
                return
