"""Long paragraphs cut into beats of whole sentences, each at most a given number of words.

Sentences are packed greedily; a sentence longer than the limit is cut at its clauses (`;`, `:`,
dashes, commas), and a clause still longer at the limit itself.
"""

import re

ACTION_MAX_WORDS = 30
DIALOGUE_MAX_WORDS = 25

_ABBREVIATIONS = frozenset(
    {
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "st.",
        "jr.",
        "sr.",
        "prof.",
        "vs.",
        "etc.",
        "no.",
        "mt.",
        "lt.",
        "sgt.",
        "capt.",
        "col.",
        "gen.",
        "e.g.",
        "i.e.",
        "a.m.",
        "p.m.",
    }
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*$")
_CLAUSE = re.compile(r"(?<=[;:,])\s+|\s+(?=[—–]|--)")


def _sentences(words: list[str]) -> list[list[str]]:
    sentences: list[list[str]] = []
    current: list[str] = []
    for word in words:
        current.append(word)
        if _SENTENCE_END.search(word) and word.casefold() not in _ABBREVIATIONS:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


def _pieces(sentence: list[str], limit: int) -> list[list[str]]:
    if len(sentence) <= limit:
        return [sentence]
    clauses = [c.split() for c in _CLAUSE.split(" ".join(sentence)) if c.strip()]
    pieces: list[list[str]] = []
    for clause in clauses:
        pieces.extend(clause[k : k + limit] for k in range(0, len(clause), limit))
    return _packed(pieces, limit)


def _packed(pieces: list[list[str]], limit: int) -> list[list[str]]:
    beats: list[list[str]] = []
    for piece in pieces:
        if beats and len(beats[-1]) + len(piece) <= limit:
            beats[-1] = beats[-1] + piece
        else:
            beats.append(list(piece))
    return beats


def split_beats(text: str, limit: int) -> list[str]:
    """`text` (whitespace collapsed) in beats of at most `limit` words, whole sentences first."""
    words = text.split()
    if len(words) <= limit:
        return [" ".join(words)] if words else []
    pieces = [piece for s in _sentences(words) for piece in _pieces(s, limit)]
    return [" ".join(beat) for beat in _packed(pieces, limit)]
