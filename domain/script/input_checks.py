"""What text the parser accepts: not empty, not binary, not enormous; newlines made plain.

The limit is 5,000,000 characters (about 1,500 screenplay pages at 55 lines of ~60 characters),
and 50,000 beats once parsed: far beyond any film, and small enough to parse in seconds.
"""

import re

from domain.errors import ScriptUnreadable

MAX_CHARACTERS = 5_000_000
MAX_BEATS = 50_000
# Control characters that never occur in text, and the character a failed decoding leaves.
_BINARY_CHARACTER = re.compile(r"[\x01-\x08\x0e-\x1f\x7f\ufffd]")
_BINARY_SHARE = 0.02


def checked_text(text: str) -> str:
    """`text` with plain newlines and no byte-order mark, or ScriptUnreadable saying why not."""
    if len(text) > MAX_CHARACTERS:
        raise ScriptUnreadable(
            f"the script has {len(text):,} characters; the most Milimo reads is"
            f" {MAX_CHARACTERS:,} (about 1,500 pages): split it into parts"
        )
    if "\x00" in text:
        raise ScriptUnreadable("the script contains NUL bytes: it is a binary file, not text")
    odd = len(_BINARY_CHARACTER.findall(text))
    if odd and odd > _BINARY_SHARE * len(text):
        raise ScriptUnreadable(
            f"{odd:,} of the script's {len(text):,} characters are control characters or"
            " undecodable bytes: it does not look like text (save it as UTF-8 text)"
        )
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ScriptUnreadable("the script is empty")
    return text


def check_beat_count(count: int) -> None:
    if count > MAX_BEATS:
        raise ScriptUnreadable(f"the script has more than {MAX_BEATS:,} beats; split it into parts")
