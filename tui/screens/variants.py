"""Variants and takes side by side: a generation group's takes (Ad Mint AI's comparison groups)
or, for a shot without one, all its takes newest first, each with its seed, steps, cfg, size
and, once measured, its quality; play one, and choose it as the shot's active take (the same
command as the Inspector's).

Opened from the Inspector on the selected shot; it shows the group of the shot's active take,
or its newest group when the active take is not a variant, or else every take of the shot.
"""

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalScroll, Vertical
from textual.message import Message
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


def takes_to_compare(shot: dict[str, Any]) -> list[dict[str, Any]]:
    """Its variant group, or else every take of the shot, newest first."""
    return variant_group(shot) or list(reversed(shot.get("takes") or []))


def name_of(take: dict[str, Any]) -> str:
    return f"variant {take.get('variant')}" if take.get("group") else f"take {take['id'][:8]}"


def caption(take: dict[str, Any], active: bool, request: dict[str, Any] | None = None) -> str:
    """What tells takes apart: the job's request (seed, steps, cfg) and the take's measures."""
    request = request or {}
    quality = take.get("quality") or {}
    seed = take.get("seed") if take.get("seed") is not None else request.get("seed")
    parts = [name_of(take), f"seed {seed}"]
    if request.get("num_inference_steps") is not None:
        parts.append(f"{request['num_inference_steps']} steps")
    if request.get("cfg_scale") is not None:
        parts.append(f"cfg {float(request['cfg_scale']):g}")
    parts.append(f"{take['width']}x{take['height']} · {take['num_frames']} frames")
    if quality.get("temporal_consistency") is not None:
        parts.append(f"consistency {quality['temporal_consistency']:.2f}")
    if quality.get("sharpness") is not None:
        parts.append(f"sharpness {quality['sharpness']:.1f}")
    if quality.get("flags"):
        parts.append("flags " + ",".join(quality["flags"]))
    return ("● active · " if active else "") + " · ".join(parts)


class VariantCard(Vertical):
    """One take: its picture and caption. A click selects it; a double click chooses it."""

    DEFAULT_CSS = """
    VariantCard { width: 1fr; min-width: 34; height: auto; border: round $panel; }
    VariantCard.-selected { border: round $accent; }
    VariantCard Thumbnail { height: 12; border: none; }
    VariantCard .caption { height: auto; padding: 0 1; }
    """

    class Picked(Message):
        def __init__(self, card: "VariantCard", choose: bool):
            super().__init__()
            self.card = card
            self.choose = choose

    def __init__(self, take: dict[str, Any]):
        super().__init__()
        self.take = take

    def compose(self) -> ComposeResult:
        yield Thumbnail()
        yield Static("", classes="caption")

    def on_mount(self) -> None:
        self.query_one(Thumbnail).show(self.take.get("thumbnail"), reason="no thumbnail")

    def on_click(self, event: events.Click) -> None:
        self.post_message(self.Picked(self, event.chain > 1))

    def show(self, active: bool, request: dict[str, Any] | None = None) -> None:
        self.query_one(".caption", Static).update(caption(self.take, active, request))


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
        yield HorizontalScroll(id="variants-cards")
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
        takes = takes_to_compare(shot) if shot else []
        label = shot_labels(self.milimo.view).get(self.shot_id, self.shot_id[:8])
        empty = self.query_one("#variants-empty", Static)
        empty.display = not takes
        empty.update(
            "This shot has no takes yet: g in the Inspector generates one; "
            "`milimo generate PROJECT SHOT --variants N` makes a group of N seeds."
        )
        group = takes[0].get("group") if takes else None
        self.query_one("#variants-title", Static).update(
            f"shot {label} · {len(takes)} variants · group {group[:8]}"
            if group
            else f"shot {label} · {len(takes)} take(s), newest first"
        )
        box = self.query_one("#variants-cards", HorizontalScroll)
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
        requests = {j["id"]: j.get("request") for j in self.milimo.jobs}
        self.selected = max(0, min(self.selected, len(cards) - 1))
        for n, card in enumerate(cards):
            card.set_class(n == self.selected, "-selected")
            card.show(card.take["id"] == shot.get("active_take"), requests.get(card.take["job_id"]))
        if cards:
            cards[self.selected].scroll_visible(animate=False)

    def current(self) -> dict[str, Any] | None:
        cards = self.cards()
        return cards[self.selected].take if cards else None

    def action_move(self, delta: int) -> None:
        if self.cards():
            self.selected = (self.selected + delta) % len(self.cards())
            self._mark()

    def on_variant_card_picked(self, message: VariantCard.Picked) -> None:
        cards = self.cards()
        if message.card in cards:
            self.selected = cards.index(message.card)
            self._mark()
            if message.choose:
                self.action_choose()

    def action_play(self) -> None:
        take = self.current()
        if take is not None:
            title = f"{name_of(take)} · seed {take.get('seed')}"
            self.app.push_screen(PlayerScreen(take["path"], title))

    def action_choose(self) -> None:
        take = self.current()
        shot = self.shot()
        pid = self.milimo.project_id
        if take is None or shot is None or pid is None:
            return
        if take["id"] == shot.get("active_take"):
            self.notify(f"{name_of(take)} is already the active take", timeout=3)
            return
        studio = self.milimo.services.studio
        shot_id, take_id = self.shot_id, take["id"]
        self.milimo.run_command(
            lambda: studio.change_shot(pid, shot_id, active_take=take_id),
            success=f"{name_of(take)} (seed {take.get('seed')}) is now the active take",
        )

    def action_close(self) -> None:
        self.app.pop_screen()
