"""Character cues: `MARA (V.O.) (CONT'D)` → the name `MARA` and its extensions."""

import re

from domain.script.emphasis import strip_emphasis

_EXTENSION = re.compile(r"\(([^()]*)\)")
_INLINE = re.compile(r"^([^\W\d_][^:()\n]{0,39}?)\s*((?:\([^()\n]*\)\s*)*):\s*(\S.*)$", re.DOTALL)
_LONGEST_CUE = 200
_TERMINAL = (".", "!", "?", ",", ";", ":")
# Extensions that say the speaker is not in the frame.
OFF_SCREEN = frozenset({"V.O.", "VO", "O.S.", "OS", "O.C.", "OC", "OFF", "V.O", "O.S", "O.C"})


def is_all_caps(text: str) -> bool:
    """Some capital letters and no small ones (scripts without letter case have no cues)."""
    return text.upper() == text != text.lower()


def split_cue(cue: str) -> tuple[str, tuple[str, ...]]:
    """`@McCLANE (V.O.) ^` → (`McCLANE`, (`V.O.`,)); emphasis and forcing marks removed."""
    cue = strip_emphasis(cue.strip().removeprefix("@").removesuffix("^").strip())
    paren = cue.find("(")
    name = (cue if paren < 0 else cue[:paren]).strip()
    extensions = tuple(e.strip() for e in _EXTENSION.findall(cue) if e.strip())
    return " ".join(name.split()), extensions


def looks_like_cue(line: str, *, strict: bool) -> bool:
    """An unforced cue: a name in capitals, with extensions in any case.

    `strict` (plain screenplays, which have no forcing marks) also wants a short name that does
    not end like a sentence, since such text often has all-caps action in it.
    """
    text = line.strip().removesuffix("^").strip()
    if len(text) > _LONGEST_CUE:
        return False
    paren = text.find("(")
    name = (text if paren < 0 else text[:paren]).strip()
    outside = _EXTENSION.sub("", text)
    if not name or not is_all_caps(name) or outside.upper() != outside:
        return False
    if paren >= 0 and not text.endswith(")"):
        return False
    if strict:
        return len(name) <= 40 and len(name.split()) <= 5 and not name.endswith(_TERMINAL)
    return not name.endswith(":")


def inline_dialogue(text: str) -> tuple[str, tuple[str, ...], str] | None:
    """`MARA (V.O.): We sail at dawn.` → (`MARA`, (`V.O.`,), `We sail at dawn.`), else None."""
    match = _INLINE.match(text.strip())
    if not match or not is_all_caps(match.group(1)) or len(match.group(1).split()) > 4:
        return None
    name, extensions = split_cue(match.group(1) + " " + match.group(2))
    return name, extensions, match.group(3).strip()
