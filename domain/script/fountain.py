"""Fountain (https://fountain.io/syntax) and plain screenplays, read into tokens.

Written here rather than taken from PyPI: of the packages there, `fountain` (2016), `Jouvence`
(2020) and `fountain-py` (2020) are unmaintained, `fountain-parser` is a first release, and
`screenplain`, the maintained one, is a converter to PDF/HTML whose parser has no lyrics or
synopses and leaves notes in the text. None bounds its running time on hostile input.

The reader works line by line (each line looked at a bounded number of times, no regular
expression that can backtrack across lines). With `markup=False` it reads screenplay-like text
that has no Fountain markup: no forcing marks, sections, synopses, lyrics or emphasis, but
headings and cues need no blank line before them, and `NAME: line` is a line of dialogue.

Departures from the specification, each for text met in practice: any all-capital line ending
in `TO:` is a transition even without a blank line after it, and so are `FADE IN:`, `FADE OUT.`,
`FADE TO BLACK.` and `CUT TO BLACK.`; a line that looks like a scene heading is never a line of
dialogue.
"""

import re

from domain.script.cues import inline_dialogue, is_all_caps, looks_like_cue, split_cue
from domain.script.headings import looks_like_heading, split_scene_number
from domain.script.tokens import Token

_PAGE_BREAK = re.compile(r"^={3,}$")
_TRANSITIONS = frozenset({"FADE IN:", "FADE OUT.", "FADE TO BLACK.", "CUT TO BLACK.", "FADE OUT:"})


def _is_transition(text: str) -> bool:
    return is_all_caps(text) and (text.endswith("TO:") or text in _TRANSITIONS)


def _blank(line: str) -> bool:
    return not line.strip()


class _Reader:
    def __init__(self, lines: list[str], start: int, markup: bool) -> None:
        self.lines = lines
        self.i = start
        self.markup = markup
        self.tokens: list[Token] = []
        self.action: list[str] = []
        self.action_line = 0
        self.last_block: tuple[int, int] | None = None  # the last dialogue block's token range

    def read(self) -> list[Token]:
        previous_blank = True
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if _blank(line):
                if self.action and len(line) >= 2 and line.startswith("  "):
                    self.action.append("")  # Fountain's two spaces: the paragraph goes on
                else:
                    self._flush_action()
                    previous_blank = True
                self.i += 1
                continue
            self._read_line(line.strip(), previous_blank)
            previous_blank = False
        self._flush_action()
        return self.tokens

    def _read_line(self, text: str, previous_blank: bool) -> None:
        if self.markup and self._read_markup(text, previous_blank):
            return
        if (previous_blank or not self.markup) and looks_like_heading(text):
            self._heading(text)
        elif _is_transition(text):
            self._emit(Token("transition", text, self.i))
            self.i += 1
        elif self._cue_here(text, previous_blank):
            self._dialogue_block(text)
        elif not self.markup and (spoken := inline_dialogue(text)):
            name, extensions, words = spoken
            self._emit(Token("dialogue", words, self.i, name, extensions))
            self.i += 1
        else:
            self._action_line(text)

    def _read_markup(self, text: str, previous_blank: bool) -> bool:
        """Fountain's marked elements; False when the line is none of them."""
        first = text[0]
        if first == "=" and _PAGE_BREAK.match(text):
            self._emit(Token("page_break", "", self.i))
        elif first == "#":
            level = len(text) - len(text.lstrip("#"))
            self._emit(Token("section", text[level:].strip(), self.i, level=level))
        elif first == "=":
            self._emit(Token("synopsis", text[1:].strip(), self.i))
        elif first == ">" and text.endswith("<") and len(text) > 1:
            self._emit(Token("centered", text[1:-1].strip(), self.i))
        elif first == ">":
            self._emit(Token("transition", text[1:].strip(), self.i))
        elif first == "~":
            self._lyrics()
            return True
        elif first == "!":
            self._action_line(text[1:])
            return True
        elif first == "." and len(text) > 1 and text[1].isalnum() and previous_blank:
            self._heading(text[1:])
            return True
        elif first == "@" and previous_blank and self._followed_by_text():
            self._dialogue_block(text)
            return True
        else:
            return False
        self.i += 1
        return True

    def _followed_by_text(self) -> bool:
        following = self.i + 1
        return following < len(self.lines) and not _blank(self.lines[following])

    def _cue_here(self, text: str, previous_blank: bool) -> bool:
        if not self._followed_by_text() or looks_like_heading(self.lines[self.i + 1]):
            return False
        if self.markup:
            return previous_blank and looks_like_cue(text, strict=False)
        return looks_like_cue(text, strict=True)

    def _heading(self, text: str) -> None:
        heading, number = split_scene_number(text)
        self._emit(Token("heading", heading, self.i, scene_number=number))
        self.i += 1

    def _action_line(self, text: str) -> None:
        if not self.action:
            self.action_line = self.i
        self.action.append(text)
        self.i += 1

    def _flush_action(self) -> None:
        if any(line.strip() for line in self.action):
            self.tokens.append(Token("action", "\n".join(self.action).strip(), self.action_line))
        self.action = []

    def _emit(self, token: Token) -> None:
        self._flush_action()
        self.tokens.append(token)

    def _lyrics(self) -> None:
        """Lyric lines: the last singer's if they follow a dialogue block, otherwise action."""
        start = self.i
        sung: list[str] = []
        while self.i < len(self.lines) and self.lines[self.i].strip().startswith("~"):
            sung.append(self.lines[self.i].strip()[1:].strip())
            self.i += 1
        block = self.last_block
        if block is not None and block[1] == len(self.tokens) and not self.action:
            singer = self.tokens[block[1] - 1]
            self.tokens.append(
                Token(
                    "dialogue",
                    "\n".join(sung),
                    start,
                    singer.character,
                    singer.extensions,
                    lyric=True,
                )
            )
            self.last_block = (block[0], len(self.tokens))
        else:
            self._flush_action()
            self.tokens.append(Token("action", "\n".join(sung), start, lyric=True))

    def _dialogue_block(self, cue: str) -> None:
        self._flush_action()
        dual = self.markup and cue.endswith("^")
        name, extensions = split_cue(cue if self.markup else cue.removesuffix("^"))
        first = len(self.tokens)
        speech: list[str] = []
        parenthetical = ""
        lyric = False
        speech_line = self.i + 1

        def flush() -> None:
            nonlocal speech, parenthetical, lyric
            if speech or parenthetical:
                text = "\n".join(speech).strip()
                self.tokens.append(
                    Token(
                        "dialogue", text, speech_line, name, extensions, parenthetical, dual, lyric
                    )
                )
            speech, parenthetical, lyric = [], "", False

        self.i += 1
        while self.i < len(self.lines):
            line = self.lines[self.i]
            text = line.strip()
            if not text:
                if len(line) >= 2 and line.startswith("  "):
                    speech.append("")
                    self.i += 1
                    continue
                break
            sung = self.markup and text.startswith("~")
            aside = text.startswith("(") and text.endswith(")")
            if aside or (sung != lyric and speech):
                flush()
                speech_line = self.i
            if aside:
                parenthetical = text[1:-1].strip()
            else:
                lyric = sung
                speech.append(text[1:].strip() if sung else text)
            self.i += 1
        flush()
        if dual and self.last_block is not None and self.last_block[1] == first:
            start, end = self.last_block
            for k in range(start, end):
                previous = self.tokens[k]
                self.tokens[k] = Token(
                    previous.kind,
                    previous.text,
                    previous.line,
                    previous.character,
                    previous.extensions,
                    previous.parenthetical,
                    True,
                    previous.lyric,
                )
        self.last_block = (first, len(self.tokens))


def tokenize(lines: list[str], start: int = 0, *, markup: bool = True) -> list[Token]:
    """Tokens of `lines[start:]`, Fountain when `markup`, else a plain screenplay."""
    return _Reader(lines, start, markup).read()
