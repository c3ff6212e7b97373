"""Variants: the takes of one generation group side by side (Ad Mint AI's comparison groups),
each with its seed and, once measured, its quality; play one, and choose it as the shot's
active take (the same command as the Inspector's).

Opened from the Inspector on the selected shot; it shows the group of the shot's active take,
or its newest group when the active take is not a variant.
"""

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Static

from tui.labels import shot_labels
from tui.screens.base import MilimoScreen
from tui.screens.player import PlayerScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.thumbnail import Thumbnail


def variant_group(shot: dict[str, Any]) -> list[dict[str, Any]]:
    """The takes of the group to compare, in variant order; [] when the shot has no group."""
    takes = [t for t in shot.get("takes") or [] if t.get("group")]
    if not takes:
        return []
    active = next((t for t in takes if t["id"] == shot.get("active_take")), None)
    group = active["group"] if active else takes[-1]["group"]
    return sorted((t for t in takes if t["group"] == group), key=lambda t: t.get("variant") or 0)


def caption(take: dict[str, Any], active: bool) -> str:
    quality = take.get("quality") or {}
    parts = [f"variant {take.get('variant')}", f"seed {take.get('seed')}"]
    if quality.get("temporal_consistency") is not None:
        parts.append(f"consistency {quality['temporal_consistency']:.2f}")
    if quality.get("sharpness") is not None:
        parts.append(f"sharpness {quality['sharpness']:.1f}")
    if quality.get("flags"):
        parts.append("flags " + ",".join(quality["flags"]))
    return ("● active · " if active else "") + " · ".join(parts)


class VariantCard(Vertical):
    DEFAULT_CSS = """
    VariantCard { width: 1fr; height: auto; border: round $panel; }
    VariantCard.-selected { border: round $accent; }
    VariantCard Thumbnail { height: 12; border: none; }
    VariantCard .caption { height: auto; padding: 0 1; }
    """

    def __init__(self, take: dict[str, Any]):
        super().__init__()
        self.take = take

    def compose(self) -> ComposeResult:
        yield Thumbnail()
        yield Static("", classes="caption")

    def on_mount(self) -> None:
        self.query_one(Thumbnail).show(self.take.get("thumbnail"), reason="no thumbnail")

    def show(self, active: bool) -> None:
        self.query_one(".caption", Static).update(caption(self.take, active))


class VariantsScreen(MilimoScreen):
    BINDINGS = [
        Binding("left,h", "move(-1)", "Previous", id="variants.previous"),
        Binding("right,l", "move(1)", "Next", id="variants.next"),
        Binding("p", "play", "Play", id="variants.play"),
        Binding("enter,t", "choose", "Make active", id="variants.choose"),
        Binding("escape,q", "close", "Close", id="variants.close"),
    ]
    DEFAULT_CSS = """
    VariantsScreen #variants-title { height: 1; padding: 0 1; text-style: bold; }
    VariantsScreen #variants-cards { height: auto; }
    VariantsScreen #variants-empty { padding: 1 2; color: $text-muted; }
    """

    def __init__(self, shot_id: str):
        super().__init__()
        self.shot_id = shot_id
        self.selected = 0
        self.group: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="variants-title")
        yield Horizontal(id="variants-cards")
        yield Static("", id="variants-empty")
        yield KeyBar()

    def on_mount(self) -> None:
        self.data_changed()

    def shot(self) -> dict[str, Any] | None:
        view = self.milimo.view or {}
        return next((s for s in view.get("shots", []) if s["id"] == self.shot_id), None)

    def cards(self) -> list[VariantCard]:
        return list(self.query(VariantCard))

    def data_changed(self) -> None:
        shot = self.shot()
        takes = variant_group(shot) if shot else []
        label = shot_labels(self.milimo.view).get(self.shot_id, self.shot_id[:8])
        empty = self.query_one("#variants-empty", Static)
        empty.display = not takes
        empty.update(
            "This shot has no variants yet: `milimo generate PROJECT SHOT --variants N` "
            "makes a group of N seeds."
        )
        group = takes[0]["group"] if takes else None
        self.query_one("#variants-title", Static).update(
            f"shot {label} · {len(takes)} variants" + (f" · group {group[:8]}" if group else "")
        )
        box = self.query_one("#variants-cards", Horizontal)
        if [c.take["id"] for c in self.cards()] != [t["id"] for t in takes]:
            box.remove_children()
            box.mount_all([VariantCard(t) for t in takes])
            self.call_after_refresh(self._mark)
        else:
            for card, take in zip(self.cards(), takes, strict=True):
                card.take = take
            self._mark()
        self.group = group

    def _mark(self) -> None:
        cards = self.cards()
        shot = self.shot() or {}
        self.selected = max(0, min(self.selected, len(cards) - 1))
        for n, card in enumerate(cards):
            card.set_class(n == self.selected, "-selected")
            card.show(card.take["id"] == shot.get("active_take"))

    def current(self) -> dict[str, Any] | None:
        cards = self.cards()
        return cards[self.selected].take if cards else None

    def action_move(self, delta: int) -> None:
        if self.cards():
            self.selected = (self.selected + delta) % len(self.cards())
            self._mark()

    def action_play(self) -> None:
        take = self.current()
        if take is not None:
            title = f"variant {take.get('variant')} · seed {take.get('seed')}"
            self.app.push_screen(PlayerScreen(take["path"], title))

    def action_choose(self) -> None:
        take = self.current()
        shot = self.shot()
        pid = self.milimo.project_id
        if take is None or shot is None or pid is None:
            return
        if take["id"] == shot.get("active_take"):
            self.notify(f"variant {take.get('variant')} is already the active take", timeout=3)
            return
        studio = self.milimo.services.studio
        shot_id, take_id = self.shot_id, take["id"]
        self.milimo.run_command(
            lambda: studio.change_shot(pid, shot_id, active_take=take_id),
            success=f"variant {take.get('variant')} (seed {take.get('seed')}) is now the "
            "active take",
        )

    def action_close(self) -> None:
        self.app.pop_screen()
