"""A terse shot prompt made into a video prompt by rules alone: the same input, the same text.

LTX-2 follows one flowing paragraph in the present tense: the action first, then the setting
and its light, then the camera. Everything added comes from the shot itself (its type, its
scene heading, its character); nothing is invented that the shot does not say.
"""

import re
import time
from typing import Any

from application.engine.ports import EnhancedPrompt
from application.engine.prompts import FRAMING

VERSION = "rules-1"

CAMERA = {
    "close_up": "A close-up on the face; the camera holds steady, then pushes in slowly.",
    "medium": "A medium shot at eye level; the camera pushes in slowly.",
    "wide": "A wide shot; the camera pans slowly across the scene.",
    "establishing": "An establishing wide shot; the camera drifts slowly over the location.",
    "insert": "An insert close-up on the detail; the camera holds still.",
    "tracking": "A tracking shot; the camera moves alongside the action.",
}
# Shot types that frame a person, where a character's small motions belong in the picture.
PERSON_FRAMINGS = ("close_up", "medium", "tracking")
LIGHT = {
    "DAY": "in natural daylight",
    "MORNING": "in soft morning light",
    "DAWN": "at dawn, in cool early light",
    "SUNRISE": "at sunrise, in low warm light",
    "AFTERNOON": "in bright afternoon light",
    "EVENING": "in the warm light of evening",
    "DUSK": "at dusk, in fading golden light",
    "SUNSET": "at sunset, in low golden light",
    "TWILIGHT": "at twilight, in dim blue light",
    "NIGHT": "at night, in low light with deep shadows",
    "MIDNIGHT": "at midnight, in darkness broken by a few lights",
}
PLACE = {
    "INT": "Inside {}",
    "EXT": "Outside, at {}",
    "I/E": "Between inside and outside, at {}",
    "INT/EXT": "Between inside and outside, at {}",
    "EXT/INT": "Between inside and outside, at {}",
    "EST": "At {}",
}
_HEADING = re.compile(
    r"^\s*\.?(?P<place>INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|I\s*/\s*E|INT|EXT|EST)\b[.\s]*"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)
_TIME_SPLIT = re.compile(r"\s+(?:-{1,2}|–|—)\s+")
_NOTES = re.compile(r"\[\[.*?\]\]|/\*.*?\*/", re.DOTALL)


def setting(heading: str) -> str:
    """'INT. LIGHTHOUSE STAIRS - NIGHT' → 'Inside Lighthouse Stairs, at night, in low light…'.
    Empty when the heading says neither where nor when in a way these rules know."""
    match = _HEADING.match(heading or "")
    if match is None:
        return ""
    place = re.sub(r"[.\s]", "", match.group("place")).upper()
    parts = _TIME_SPLIT.split(match.group("rest").strip())
    location = parts[0].strip(" .-").title()
    times = [p.strip(" .").upper() for p in parts[1:]]
    light = next((LIGHT[t] for t in times if t in LIGHT), "")
    where = PLACE[place].format(location) if location else ""
    if where and light:
        return f"{where}, {light}."
    if light:
        return light[0].upper() + light[1:] + "."
    return f"{where}." if where else ""


def sentence(text: str) -> str:
    """The user's words as they wrote them, on one line, ending a sentence."""
    text = " ".join(text.split()).strip()
    if not text:
        return ""
    return text if text[-1] in ".!?\"'" else text + "."


def body_of(prompt: str, shot_type: str) -> str:
    """The composed prompt without its framing label, which the camera sentence replaces."""
    text = _NOTES.sub(" ", prompt).strip()
    label = FRAMING.get(shot_type, shot_type.replace("_", " "))
    if text.casefold().startswith(label.casefold() + "."):
        text = text[len(label) + 1 :]
    return text.strip()


def enhance_by_rules(prompt: str, context: dict[str, Any]) -> str:
    shot_type = str(context.get("shot_type") or "medium")
    style = " ".join(str(context.get("style") or "").split())
    body = " ".join(body_of(prompt, shot_type).split())
    if style and body.endswith(style):
        body = body[: -len(style)].strip()
    character = str(context.get("character") or "").strip()
    parts = [sentence(body), setting(str(context.get("heading") or ""))]
    parts.append(CAMERA.get(shot_type, f"A {shot_type.replace('_', ' ')}; the camera is steady."))
    if character and shot_type in PERSON_FRAMINGS:
        parts.append(f"{character} moves naturally, with small gestures and shifts of expression.")
    parts.append(sentence(_NOTES.sub(" ", style)))
    return " ".join(p for p in parts if p)


class RuleBasedEnhancer:
    """The enhancer that always works: no model, no I/O, deterministic."""

    name = "rules"

    def enhance(self, prompt: str, context: dict[str, Any]) -> EnhancedPrompt:
        started = time.perf_counter()
        text = enhance_by_rules(prompt, context)
        return EnhancedPrompt(text, self.name, VERSION, round(time.perf_counter() - started, 4))
