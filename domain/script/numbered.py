"""Numbered shot lists: one shot per item, spelt `1.`, `1)`, `1:`, `#1` or `Shot 1:`.

An item goes on over the lines after it until a blank line, the next item or a heading.
Headings are scene headings (`INT. ...`) or `Scene 2: The harbour`; text that belongs to no item
is left out with a warning.
"""

import re

from domain.script.headings import looks_like_heading
from domain.script.tokens import Token

ITEM = re.compile(
    r"^\s*(?:(?:shot|beat|panel)\s*#?\s*\d+[a-z]?\s*[:.)\-–—]?|#\s*\d+[a-z]?[:.)]?|\d+[a-z]?[.):])"
    r"(?:\s+|$)(.*)$",
    re.IGNORECASE,
)
SCENE_LINE = re.compile(r"^\s*scene\s+\d+[a-z]?\s*[:.\-–—]?\s*(.*)$", re.IGNORECASE)


def _heading(line: str) -> str:
    if looks_like_heading(line):
        return line.strip()
    scene = SCENE_LINE.match(line)
    return (scene.group(1).strip() or line.strip()) if scene else ""


def tokenize_numbered(lines: list[str], start: int = 0) -> tuple[list[Token], list[str]]:
    tokens: list[Token] = []
    warnings: list[str] = []
    item: list[str] = []
    item_line = 0
    stray: list[int] = []

    def flush() -> None:
        text = "\n".join(item).strip()
        if text:
            tokens.append(Token("item", text, item_line))
        item.clear()

    for index in range(start, len(lines)):
        line = lines[index]
        heading = _heading(line)
        if heading:
            flush()
            tokens.append(Token("heading", heading, index))
        elif match := ITEM.match(line):
            flush()
            item.append(match.group(1))
            item_line = index
        elif not line.strip():
            flush()
        elif item:
            item.append(line.strip())
        else:
            stray.append(index + 1)
    flush()
    if stray:
        shown = ", ".join(str(n) for n in stray[:5]) + (", …" if len(stray) > 5 else "")
        warnings.append(f"lines {shown} belong to no numbered item and were left out")
    return tokens, warnings


def tokenize_freeform(lines: list[str], start: int = 0) -> list[Token]:
    """One shot per paragraph; a paragraph that is a scene heading starts a scene."""
    tokens: list[Token] = []
    paragraph: list[str] = []
    first = 0
    for index in range(start, len(lines) + 1):
        line = lines[index] if index < len(lines) else ""
        if line.strip() and not (looks_like_heading(line) and not paragraph):
            if not paragraph:
                first = index
            paragraph.append(line.strip())
            continue
        if paragraph:
            tokens.append(Token("item", "\n".join(paragraph), first))
            paragraph = []
        if line.strip():
            tokens.append(Token("heading", line.strip(), index))
    return tokens
