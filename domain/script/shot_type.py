"""The framing a beat suggests, read from the words a screenwriter uses for it.

Action, first by the framing the writer names (`INSERT`; `CLOSE ON`, `close-up`; `tracking`,
`we follow`; `establishing`; `wide`, aerial), then by what it shows, in this order: movement
(`moves through`, `walks along` …) → tracking; hands, a page or a screen → insert; eyes, a face,
a tear → close_up; a skyline, a horizon, a crowd → wide. Failing those, the first beat of an
exterior scene is establishing; anything else medium.

Dialogue is a close-up of the speaker, but medium when the speaker is off screen (V.O., O.S.,
O.C.: the frame holds whoever listens) and for dual dialogue (both speakers in the frame).
"""

import re

from domain.project.shot import ShotType
from domain.script.cues import OFF_SCREEN


def _words(*patterns: str) -> str:
    return "|".join(patterns)


# What the writer names outright (INSERT, CLOSE ON, TRACKING …) wins over what the action shows.
_NAMED: tuple[tuple[ShotType, str], ...] = (
    ("insert", _words(r"insert")),
    (
        "close_up",
        _words(r"close on", r"close[- ]?ups?", r"ecu", r"cu", r"extreme close", r"tight on"),
    ),
    (
        "tracking",
        _words(
            r"tracking(?: shot)?",
            r"we follow",
            r"track(?:s)? with",
            r"steadicam",
            r"dolly",
            r"the camera follows",
        ),
    ),
    ("establishing", _words(r"establishing(?: shot)?")),
    (
        "wide",
        _words(r"wide(?: shot)?", r"aerial", r"drone(?: shot)?", r"bird'?s[- ]eye", r"panorama"),
    ),
)
_SHOWN: tuple[tuple[ShotType, str], ...] = (
    (
        "tracking",
        _words(
            r"moves? through",
            r"walks? (?:along|through|down)",
            r"runs? (?:along|through|down)",
            r"follows? (?:him|her|them)",
            r"pushes? through",
        ),
    ),
    (
        "insert",
        _words(
            r"detail(?: of)?",
            r"(?:her|his|their|a|the) (?:hands?|fingers?|fingertips)",
            r"on the (?:screen|page|letter|note|photo|photograph|map|watch|clock|display)",
            r"we read",
            r"the note reads",
        ),
    ),
    ("close_up", _words(r"(?:her|his|their) (?:eyes|face|lips|gaze|tears?)", r"a tear")),
    (
        "wide",
        _words(
            r"skyline",
            r"horizon",
            r"vast",
            r"landscape",
            r"a crowd",
            r"the whole (?:room|street|town|city)",
        ),
    ),
)


_ORDER: tuple[ShotType, ...] = tuple(shot_type for shot_type, _ in (*_NAMED, *_SHOWN))
# One pass over the text for all the cues: group k is the k-th cue, lower k wins.
_ANY_CUE = re.compile(
    "|".join(rf"\b(?P<c{k}>{words})\b" for k, (_, words) in enumerate((*_NAMED, *_SHOWN))),
    re.IGNORECASE,
)


# Every cue holds one of these words: text with none of them needs no search.
_CUE_WORDS = frozenset(
    (
        *("insert", "close", "closeup", "ups", "up", "ecu", "cu", "extreme", "tight"),
        *("tracking", "follow", "follows", "track", "tracks", "steadicam", "dolly"),
        *("establishing", "wide", "aerial", "drone", "bird", "birds", "panorama", "move"),
        *("moves",),
        *("walk", "walks", "run", "runs", "push", "pushes", "detail", "hand", "hands"),
        *("finger", "fingers", "fingertips", "screen", "page", "letter", "note", "photo"),
        *("photograph", "map", "watch", "clock", "display", "read", "reads", "eyes", "face"),
        *("lips", "gaze", "tear", "tears", "skyline", "horizon", "vast", "landscape", "crowd"),
        "whole",
    )
)
_WORD = re.compile(r"[^\W\d_]+")


def _named_or_shown(text: str) -> ShotType | None:
    if _CUE_WORDS.isdisjoint(_WORD.findall(text.lower())):
        return None
    best: int | None = None
    for match in _ANY_CUE.finditer(text):
        k = int(str(match.lastgroup)[1:])
        best = k if best is None else min(best, k)
        if best == 0:
            break
    return None if best is None else _ORDER[best]


def infer_shot_type(
    text: str,
    *,
    dialogue: bool = False,
    extensions: tuple[str, ...] = (),
    dual: bool = False,
    first_in_scene: bool = False,
    exterior: bool = False,
) -> ShotType:
    if dialogue:
        off_screen = any(e.upper().replace(" ", "") in OFF_SCREEN for e in extensions)
        return "medium" if dual or off_screen else "close_up"
    named_or_shown = _named_or_shown(text)
    if named_or_shown is not None:
        return named_or_shown
    if first_in_scene and exterior:
        return "establishing"
    return "medium"
