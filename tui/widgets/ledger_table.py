"""The ledger as a table: one row per shot, backend or day, then the totals (application/ledger)."""

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

COLUMNS: tuple[tuple[str, str], ...] = (
    ("jobs", "jobs"),
    ("completed", "done"),
    ("failed", "failed"),
    ("cancelled", "cancelled"),
    ("retries", "retries"),
    ("gpu_seconds", "GPU s"),
    ("cpu_seconds", "CPU s"),
    ("load_seconds", "load s"),
    ("wall_seconds", "wall s"),
    ("cancelled_work_seconds", "lost s"),
)


def cell(value: Any) -> Text:
    text = f"{value:.1f}" if isinstance(value, float) else str(value)
    return Text(text, justify="right")


class LedgerTable(DataTable[Any]):
    """Rows as `Ledger.rows` gives them; redrawn only when they change."""

    def __init__(self, **kwargs: Any):
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.rows_shown: list[dict[str, Any]] = []
        self.by = ""

    def show(self, rows: list[dict[str, Any]], by: str) -> None:
        if rows == self.rows_shown and by == self.by and self.columns:
            return
        self.rows_shown, self.by = rows, by
        self.clear(columns=True)
        self.add_column(by, key="group")
        for key, title in COLUMNS:
            self.add_column(title, key=key)
        for index, row in enumerate(rows):
            last = index == len(rows) - 1  # the totals row
            self.add_row(
                Text(str(row["group"]), style="bold" if last else ""),
                *(cell(row[key]) for key, _ in COLUMNS),
                key=str(index),
            )
