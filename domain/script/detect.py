"""Which mode `auto` reads a script in.

In order: a title page or any Fountain-only mark (notes, boneyard, forced elements, sections,
synopses, lyrics, centered text, page breaks, dual dialogue) → fountain; two or more numbered
items starting at least half of the paragraphs → numbered; a scene heading, or two character cues
or `NAME: line` lines → screenplay; otherwise freeform.
"""

import re

from domain.script.cues import inline_dialogue, looks_like_cue
from domain.script.headings import looks_like_heading
from domain.script.numbered import ITEM
from domain.script.plan import ScriptMode
from domain.script.title_page import read_title_page

_FOUNTAIN_LINE = re.compile(r"^(?:\.[^\W_]|@\S|~|>.*<$|={3,}$|#+\s+\S|=[^=]|!\S)|\^$")


def detect_mode(text: str) -> ScriptMode:
    lines = text.split("\n")
    if "[[" in text or "/*" in text or read_title_page(lines)[0]:
        return "fountain"
    stripped = [line.strip() for line in lines]
    if any(_FOUNTAIN_LINE.search(line) for line in stripped if line):
        return "fountain"
    firsts = [line for k, line in enumerate(stripped) if line and (k == 0 or not stripped[k - 1])]
    items = sum(1 for line in stripped if ITEM.match(line))
    if items >= 2 and items * 2 >= len([f for f in firsts if not looks_like_heading(f)]):
        return "numbered"
    if any(looks_like_heading(line) for line in firsts):
        return "screenplay"
    cues = sum(
        1
        for k, line in enumerate(stripped[:-1])
        if line and stripped[k + 1] and looks_like_cue(line, strict=True)
    )
    spoken = sum(1 for line in stripped if line and inline_dialogue(line))
    if cues >= 2 or spoken >= 2:
        return "screenplay"
    return "freeform"
