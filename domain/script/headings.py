"""Scene headings: recognising `INT. LIGHTHOUSE - DUSK`, and the names read from one."""

import re

from domain.script.emphasis import strip_emphasis

# INT, EXT, EST, INT./EXT, INT/EXT, EXT./INT, I/E, E/I, then a period or a space.
_PREFIX = re.compile(r"^(?:int\.?/ext|ext\.?/int|int|ext|est|i/e|e/i)(?:\.|\s)", re.IGNORECASE)
_SCENE_NUMBER = re.compile(r"\s*#([\w.\-]*)#\s*$")
_PREFIX_WORDS = re.compile(
    r"^(?:int\.?/ext|ext\.?/int|int|ext|est|i/e|e/i)(?:\.\s*|\s+)", re.IGNORECASE
)
_TIME_SEPARATOR = re.compile(r"\s+[-–—]+\s+")
_EXTERIOR = re.compile(r"^(?:ext|est|i/e|e/i|int\.?/ext|ext\.?/int)\b", re.IGNORECASE)


def looks_like_heading(line: str) -> bool:
    return bool(_PREFIX.match(line.strip()))


def split_scene_number(heading: str) -> tuple[str, str]:
    """`INT. HOUSE - DAY #1A#` → (`INT. HOUSE - DAY`, `1A`)."""
    match = _SCENE_NUMBER.search(heading)
    if not match:
        return heading.strip(), ""
    return heading[: match.start()].strip(), match.group(1)


def is_exterior(heading: str) -> bool:
    return bool(_EXTERIOR.match(heading.strip()))


def readable(words: str) -> str:
    """`MARA'S LIGHTHOUSE` → `Mara's Lighthouse`: capitals only where a word starts."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in words.split())


def location_of(heading: str) -> str:
    """The place a heading names, as written: `INT. LIGHTHOUSE - DUSK` → `LIGHTHOUSE`."""
    text = _PREFIX_WORDS.sub("", strip_emphasis(split_scene_number(heading)[0]), count=1)
    return _TIME_SEPARATOR.split(text, maxsplit=1)[0].strip(" .-–—")


def scene_name(heading: str) -> str:
    """A readable name for a scene: `INT. LIGHTHOUSE - DUSK` → `Lighthouse - Dusk`."""
    text = _PREFIX_WORDS.sub("", strip_emphasis(split_scene_number(heading)[0]), count=1)
    parts = [readable(part.strip(" .")) for part in _TIME_SEPARATOR.split(text)]
    return " - ".join(part for part in parts if part) or readable(heading) or "Scene"
