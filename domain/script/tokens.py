"""The elements a script is read into, before they become scenes and beats."""

from dataclasses import dataclass
from typing import Literal

TokenKind = Literal[
    "heading",  # a scene heading (text without its scene number)
    "action",  # a paragraph of action
    "dialogue",  # one speech of a character, between parentheticals
    "transition",
    "centered",
    "section",
    "synopsis",
    "page_break",
    "item",  # one whole shot: a numbered item or a freeform paragraph
]


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str
    # Index of the token's first line in the cleaned text, to cut out each scene's text.
    line: int
    character: str = ""
    extensions: tuple[str, ...] = ()
    parenthetical: str = ""
    dual: bool = False
    lyric: bool = False
    scene_number: str = ""
    level: int = 0
