"""The command palette (ctrl+p): every command of every screen, found by fuzzy search."""

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from textual.app import App

    from tui.app import MilimoApp


def keys_display(app: "App[Any]", binding: Binding, keymap: Mapping[str, str] | None = None) -> str:
    """Every key of a binding as people write them ("ctrl+r / ctrl+y", "?"), after the keymap."""
    keys = (keymap or {}).get(binding.id or "", binding.key)
    shown = [app.get_key_display(Binding(key.strip(), "")) for key in keys.split(",")]
    return " / ".join(shown)


def first_key(app: "App[Any]", owner: type[Any], binding_id: str) -> str:
    """The first key of `owner`'s binding `binding_id`, after the keymap ("K")."""
    binding = next(b for b in owner.BINDINGS if isinstance(b, Binding) and b.id == binding_id)
    return keys_display(app, binding, getattr(app, "_keymap", {})).split(" / ")[0]


def palette_entries() -> list[tuple[str | None, Binding]]:
    """(mode or None for the app, binding) for every described binding."""
    from tui.app import MilimoApp, screens

    entries: list[tuple[str | None, Binding]] = [
        (None, b) for b in MilimoApp.BINDINGS if isinstance(b, Binding)
    ]
    for mode, (screen, _, _) in screens().items():
        entries += [(mode, b) for b in screen.BINDINGS if isinstance(b, Binding)]
    return [(m, b) for m, b in entries if b.description]


class MilimoCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        from tui.app import screens

        app = cast("MilimoApp", self.app)
        commands: list[tuple[str, str, Callable[[], object]]] = []
        for mode, binding in palette_entries():
            where = screens()[mode][2] if mode else "Milimo"
            name = f"{where}: {binding.description}"
            keys = keys_display(app, binding, app._keymap)
            commands.append((name, f"key {keys}", partial(run_binding, app, mode, binding.action)))
        return commands

    async def discover(self) -> Hits:
        for name, help_text, run in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)


def run_binding(app: "MilimoApp", mode: str | None, action: str) -> None:
    if mode is None:
        app.call_later(app.run_action, action)
        return
    if app.current_mode != mode:
        app.action_show(mode)
        if app.current_mode != mode:
            return
    app.call_later(lambda: app.run_action(action, app.screen))
