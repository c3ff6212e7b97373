"""A language model's reply made into one prompt paragraph, or the reason it cannot be one."""

import re
from collections import Counter
from typing import Any

MIN_WORDS = 5
MIN_LETTER_SHARE = 0.7  # of the non-space characters: prose, not symbols or byte soup
MAX_SAME_WORD_SHARE = 0.4  # one word this much of a long reply: the model is looping

_THINKING = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL | re.IGNORECASE)
_ROLE_TOKENS = re.compile(
    r"<\|[^|>]*\|>|</?s>|\[/?INST\]|<<\/?SYS>>|<start_of_turn>|<end_of_turn>|<eos>|<bos>"
)
_ROLE_LINE = re.compile(r"^\s*(?:assistant|system|user|model)\s*:?\s*$", re.IGNORECASE)
_LEAD_IN = re.compile(
    r"^\s*(?:(?:here(?:'s| is) (?:the |an? |your )?)?(?:enhanced |rewritten |video )?prompt"
    r"|assistant|answer|output)\s*:\s*",
    re.IGNORECASE,
)
_QUOTES = "\"'`“”‘’«»*"


def clean(reply: str) -> str:
    """The first paragraph of the reply, without role tokens, lead-ins, quotes or markup."""
    text = _ROLE_TOKENS.sub("\n", _THINKING.sub("", reply))
    lines = [line for line in text.splitlines() if not _ROLE_LINE.match(line)]
    paragraphs = re.split(r"\n\s*\n", "\n".join(lines).strip())
    first = " ".join(paragraphs[0].split()) if paragraphs else ""
    first = _LEAD_IN.sub("", first).strip()
    first = first.lstrip("-•# ").strip().strip(_QUOTES).strip()
    return first


def unusable(text: str, context: dict[str, Any]) -> str | None:
    """Why a cleaned reply cannot be sent to a video model, or None when it can."""
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text)
    if not text:
        return "it was empty"
    if len(words) < MIN_WORDS:
        return f"it had {len(words)} words"
    visible = [c for c in text if not c.isspace()]
    letters = sum(c.isalpha() for c in visible)
    if letters / len(visible) < MIN_LETTER_SHARE:
        return "it was not prose"
    if len(words) >= 2 * MIN_WORDS:
        word, count = Counter(w.casefold() for w in words).most_common(1)[0]
        if count / len(words) > MAX_SAME_WORD_SHARE:
            return f"it repeated {word!r}"
    character = str(context.get("character") or "").strip()
    if character and character.casefold() not in text.casefold():
        return f"it left out the shot's character {character}"
    return None
