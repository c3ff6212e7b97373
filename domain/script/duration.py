"""How long a beat holds the screen.

Reading time: dialogue at 2.5 words a second plus a one-second beat, action at 3 words a second,
within 2 to 8 seconds. A script can state a duration instead, in parentheses anywhere in the
beat, with the unit spelled out: `(10 SECONDS)`, `(8 sec)`, `(12.5 secs)`; `LONG TAKE` without a
number means 12 seconds. A bare `s` is no unit: `ANNA (30s)` is an age, not a length. Stated
durations may exceed 8 seconds (up to 300), for long shots; the statement is taken out of the
beat's text.
"""

import re

MIN_SECONDS = 2.0
MAX_SECONDS = 8.0
LONG_TAKE_SECONDS = 12.0
MAX_STATED_SECONDS = 300.0

_STATED = re.compile(
    r"\(\s*(?:long take[,:]?\s*)?(\d{1,6}(?:\.\d{1,3})?)\s*(?:secs?|seconds?)\s*\)",
    re.IGNORECASE,
)
_LONG_TAKE = re.compile(r"\blong take\b", re.IGNORECASE)


def stated_duration(text: str) -> tuple[float | None, str]:
    """The duration a beat states, if any, and the text without that statement."""
    match = _STATED.search(text)
    if match:
        seconds = min(max(float(match.group(1)), 0.5), MAX_STATED_SECONDS)
        before, after = text[: match.start()].rstrip(), text[match.end() :].lstrip()
        joint = "" if not before or after[:1] in ("", ".", ",", ";", ":", "!", "?") else " "
        return seconds, before + joint + after
    if _LONG_TAKE.search(text):
        return LONG_TAKE_SECONDS, text
    return None, text


def reading_duration(text: str, *, dialogue: bool) -> float:
    words = len(text.split())
    seconds = words / 2.5 + 1.0 if dialogue else words / 3.0
    return round(min(max(seconds, MIN_SECONDS), MAX_SECONDS), 1)
