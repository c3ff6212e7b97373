"""Fountain's emphasis (`*italic*`, `**bold**`, `***both***`, `_underline_`) removed from text.

A scan, not a regular expression, so a line of a million asterisks takes linear time: a marker
opens before a non-space and closes after one, pairs with the nearest open marker of the same
kind, and a marker that pairs with nothing stays as written. `\\*` and `\\_` are literal.
"""

from dataclasses import dataclass

_MARKERS = "*_"


@dataclass(slots=True)
class _Run:
    start: int
    marker: str
    can_open: bool
    can_close: bool
    paired: bool = False


def strip_emphasis(text: str) -> str:
    if "*" not in text and "_" not in text and "\\" not in text:
        return text
    return "\n".join(_strip_line(line) for line in text.split("\n"))


def _runs(line: str) -> tuple[list[_Run], set[int]]:
    runs: list[_Run] = []
    escapes: set[int] = set()
    i, n = 0, len(line)
    while i < n:
        char = line[i]
        if char == "\\" and i + 1 < n and line[i + 1] in _MARKERS + "\\":
            escapes.add(i)
            i += 2
            continue
        if char in _MARKERS:
            j = i
            while j < n and line[j] == char:
                j += 1
            before = line[i - 1] if i > 0 else " "
            after = line[j] if j < n else " "
            marker = line[i:j]
            if char == "*" and len(marker) <= 3:
                runs.append(_Run(i, marker, not after.isspace(), not before.isspace()))
            elif marker == "_":
                # Inside a word (snake_case) an underscore is a letter, not a marker.
                opens = not after.isspace() and not before.isalnum()
                closes = not before.isspace() and not after.isalnum()
                runs.append(_Run(i, marker, opens, closes))
            i = j
            continue
        i += 1
    return runs, escapes


def _strip_line(line: str) -> str:
    runs, escapes = _runs(line)
    # One stack of open markers, and for each kind of marker its places in that stack, so each
    # run is pushed and popped once: linear however the markers interleave.
    open_runs: list[_Run] = []
    places: dict[str, list[int]] = {}
    for run in runs:
        same = places.get(run.marker)
        if run.can_close and same:
            top = same[-1]
            open_runs[top].paired = run.paired = True
            for dropped in open_runs[top:]:
                places[dropped.marker].pop()
            del open_runs[top:]
        elif run.can_open:
            places.setdefault(run.marker, []).append(len(open_runs))
            open_runs.append(run)
    removed = {run.start: len(run.marker) for run in runs if run.paired}
    out: list[str] = []
    i = 0
    while i < len(line):
        if i in removed:
            i += removed[i]
        elif i in escapes:
            out.append(line[i + 1])
            i += 2
        else:
            out.append(line[i])
            i += 1
    return "".join(out)
