"""Keys that name a scene or a beat across imports of edited versions of one script.

A scene's key comes from its heading (normalised, without its scene number) and its ordinal
among scenes with the same heading; a beat's from its scene's key, its normalised character and
text, and its ordinal among equal beats of that scene. So editing one beat changes that beat's
key only, and adding a beat elsewhere changes no other key.
"""

import hashlib


def normalised(text: str) -> str:
    """Casefolded, whitespace collapsed (texts arrive here with their emphasis stripped)."""
    return " ".join(text.casefold().split())


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()


class KeyMaker:
    """Hands out keys in script order, counting repeats of the same heading or beat."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, ...], int] = {}

    def _ordinal(self, *parts: str) -> str:
        ordinal = self._seen.get(parts, 0)
        self._seen[parts] = ordinal + 1
        return str(ordinal)

    def scene(self, heading: str) -> str:
        base = normalised(heading) or "(no heading)"
        return "scene-" + _digest(base, self._ordinal("scene", base))

    def beat(self, scene_key: str, kind: str, character: str, text: str) -> str:
        parts = (scene_key, kind, normalised(character), normalised(text))
        return "beat-" + _digest(*parts, self._ordinal(*parts))
