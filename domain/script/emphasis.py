"""Fountain's emphasis (`*italic*`, `**bold**`, `***both***`, `_underline_`) removed from text.

A marker opens before a non-space and closes after one, on the same line, with no marker of
its kind inside: nested emphasis (`**bold *and* italic**`) comes off in a few passes, the
innermost first. A marker that pairs with nothing stays as written; an underscore inside a word
(snake_case) is a letter; `\\*`, `\\_` and `\\\\` are literal. Each pass is one linear scan: the
patterns cannot run past the next marker, so hostile lines cost no backtracking.
"""

import re

_ESCAPES = {"\\*": "\ue000", "\\_": "\ue001", "\\\\": "\ue002"}
_LITERALS = {"\ue000": "*", "\ue001": "_", "\ue002": "\\"}
_ESCAPE = re.compile(r"\\[*_\\]")
_LITERAL = re.compile("[\ue000-\ue002]")
_STARS = re.compile(r"(\*{1,3})(?=[^\s*])([^*\n]*?[^\s*])\1(?!\*)")
_UNDERLINE = re.compile(r"(?<![^\W_])_(?=[^\s_])([^_\n]*?[^\s_])_(?![^\W_])")
_NESTING = 3


def strip_emphasis(text: str) -> str:
    if "*" not in text and "_" not in text:
        return text
    escaped = "\\" in text
    if escaped:
        text = _ESCAPE.sub(lambda m: _ESCAPES[m.group()], text)
    for _ in range(_NESTING):
        stripped = _UNDERLINE.sub(r"\1", _STARS.sub(r"\2", text))
        if stripped == text:
            break
        text = stripped
    return _LITERAL.sub(lambda m: _LITERALS[m.group()], text) if escaped else text
