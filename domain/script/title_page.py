"""Fountain's title page: `Key: value` lines at the very start, ended by the first blank line.

A value may go on over indented lines (a tab or three spaces) after its key; those lines are
joined with newlines. Keys are kept lowercased (`Draft date` → `draft date`).
"""

import re

from domain.script.emphasis import strip_emphasis

_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9 _\-]{0,39}):(.*)$")
_KNOWN_KEYS = frozenset(
    {
        "title",
        "credit",
        "author",
        "authors",
        "source",
        "draft date",
        "date",
        "contact",
        "copyright",
        "notes",
        "revision",
        "episode",
        "format",
    }
)


def _indented(line: str) -> bool:
    return line.startswith(("\t", "   ")) and bool(line.strip())


def read_title_page(lines: list[str]) -> tuple[dict[str, str], int]:
    """The title page's fields and the index of the first line after it (0 when there is none)."""
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines) or not _KEY.match(lines[start]):
        return {}, 0
    fields: dict[str, list[str]] = {}
    key = ""
    end = start
    while end < len(lines) and lines[end].strip():
        line = lines[end]
        match = _KEY.match(line)
        if match and not _indented(line):
            key = match.group(1).strip().lower()
            value = match.group(2).strip()
            fields[key] = [value] if value else []
        elif key and _indented(line):
            fields[key].append(line.strip())
        else:
            return {}, 0
        end += 1
    if not fields.keys() & _KNOWN_KEYS:
        return {}, 0
    return {k: strip_emphasis("\n".join(v)) for k, v in fields.items()}, end
