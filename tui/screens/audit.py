"""Audit (being built)."""

from textual.app import ComposeResult
from textual.widgets import Footer, Header, Static

from tui.screens.base import MilimoScreen


class AuditScreen(MilimoScreen):
    BINDINGS = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Audit")
        yield Footer()
