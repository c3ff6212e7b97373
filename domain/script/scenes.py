"""Tokens into scenes of planned shots: one shot per beat, with framing, duration and key.

A line of dialogue is a shot of its character (a speech longer than 25 words is cut at sentence
ends); a paragraph of action is cut into beats of at most 30 words, unless it states a duration
(then it is one long shot). A numbered item or freeform paragraph is one shot. Transitions,
centered text, sections and page breaks make no shot; a synopsis describes its scene (one before
any scene describes the next). Text before the first heading is a first scene named after the
title, or "Opening".
"""

from dataclasses import dataclass, field

from domain.script.beat_split import ACTION_MAX_WORDS, DIALOGUE_MAX_WORDS, split_beats
from domain.script.cues import inline_dialogue
from domain.script.duration import reading_duration, stated_duration
from domain.script.emphasis import strip_emphasis
from domain.script.headings import is_exterior, scene_name
from domain.script.input_checks import check_beat_count
from domain.script.keys import KeyMaker
from domain.script.plan import PlannedScene, PlannedShot
from domain.script.shot_type import infer_shot_type
from domain.script.tokens import Token


def _clean(text: str) -> str:
    return " ".join(strip_emphasis(text).split())


@dataclass
class _Draft:
    heading: str
    name: str
    first_line: int
    synopsis: list[str] = field(default_factory=list)
    shots: list[PlannedShot] = field(default_factory=list)


class _Builder:
    def __init__(self, lines: list[str], title: dict[str, str]) -> None:
        self.lines = lines
        self.opening_name = " ".join(title.get("title", "").split()) or "Opening"
        self.drafts: list[_Draft] = []
        self.pending_synopsis: list[str] = []
        self.keys = KeyMaker()
        self.scene_keys: list[str] = []
        self.beats = 0

    def add(self, token: Token) -> None:
        if token.kind == "heading":
            heading = _clean(token.text)
            self._start(heading, scene_name(heading), token.line)
        elif token.kind == "synopsis":
            self._synopsis(_clean(token.text))
        elif token.kind == "action":
            self._action(token)
        elif token.kind == "dialogue":
            self._dialogue(token)
        elif token.kind == "item":
            self._item(token)

    def _start(self, heading: str, name: str, line: int) -> None:
        self.drafts.append(_Draft(heading, name, line, self.pending_synopsis))
        self.pending_synopsis = []
        self.scene_keys.append(self.keys.scene(heading))

    def _current(self, line: int) -> tuple[_Draft, str]:
        if not self.drafts:
            self._start("", self.opening_name, line)
        return self.drafts[-1], self.scene_keys[-1]

    def _synopsis(self, text: str) -> None:
        if not text:
            return
        if self.drafts and (self.drafts[-1].heading or self.drafts[-1].shots):
            self.drafts[-1].synopsis.append(text)
        else:
            self.pending_synopsis.append(text)

    def _shot(
        self,
        line: int,
        text: str,
        seconds: float,
        *,
        speaking: bool,
        speaker: Token | None = None,
        parenthetical: str = "",
    ) -> None:
        self.beats += 1
        check_beat_count(self.beats)
        draft, scene_key = self._current(line)
        character = speaker.character if speaker else ""
        extensions = speaker.extensions if speaker else ()
        dual = speaker.dual if speaker else False
        kind = "dialogue" if speaking else "action"
        shot_type = infer_shot_type(
            text,
            dialogue=speaking,
            extensions=extensions,
            dual=dual,
            first_in_scene=not draft.shots,
            exterior=is_exterior(draft.heading),
        )
        draft.shots.append(
            PlannedShot(
                key=self.keys.beat(scene_key, kind, character, text),
                action="" if speaking else text,
                dialogue=text if speaking else "",
                character=character,
                extensions=extensions,
                parenthetical=parenthetical,
                dual=dual,
                shot_type=shot_type,
                duration_seconds=seconds,
            )
        )

    def _action(self, token: Token) -> None:
        seconds, text = stated_duration(_clean(token.text))
        if seconds is not None:
            if text:  # a duration with nothing to show is no shot
                self._shot(token.line, text, seconds, speaking=False)
            return
        for beat in split_beats(text, ACTION_MAX_WORDS):
            self._shot(token.line, beat, _reading(beat, False), speaking=False)

    def _dialogue(self, token: Token) -> None:
        seconds, parenthetical = stated_duration(_clean(token.parenthetical))
        stated, text = stated_duration(_clean(token.text))
        seconds = stated if stated is not None else seconds
        if not text:
            # A cue with only a parenthetical (`MARA` / `(nods)`): a reaction, shown as action.
            if parenthetical:
                duration = seconds or _reading(parenthetical, False)
                self._shot(token.line, parenthetical, duration, speaking=False, speaker=token)
            return
        pieces = [text] if seconds is not None else split_beats(text, DIALOGUE_MAX_WORDS)
        for index, piece in enumerate(pieces):
            self._shot(
                token.line,
                piece,
                seconds or _reading(piece, True),
                speaking=True,
                speaker=token,
                parenthetical=parenthetical if index == 0 else "",
            )

    def _item(self, token: Token) -> None:
        seconds, text = stated_duration(_clean(token.text))
        spoken = inline_dialogue(text)
        if spoken:
            name, extensions, words = spoken
            speaker = Token("dialogue", words, token.line, name, extensions)
            self._shot(
                token.line, words, seconds or _reading(words, True), speaking=True, speaker=speaker
            )
        elif text:
            self._shot(token.line, text, seconds or _reading(text, False), speaking=False)

    def scenes(self) -> list[PlannedScene]:
        ends = [d.first_line for d in self.drafts[1:]] + [len(self.lines)] * bool(self.drafts)
        return [
            PlannedScene(
                key=key,
                name=draft.name,
                heading=draft.heading,
                script_text="\n".join(
                    line.rstrip() for line in self.lines[draft.first_line : end]
                ).strip(),
                synopsis="\n".join(draft.synopsis),
                shots=tuple(draft.shots),
            )
            for draft, key, end in zip(self.drafts, self.scene_keys, ends, strict=True)
        ]


def _reading(text: str, dialogue: bool) -> float:
    return reading_duration(text, dialogue=dialogue)


def build_scenes(
    tokens: list[Token], lines: list[str], title: dict[str, str]
) -> list[PlannedScene]:
    builder = _Builder(lines, title)
    for token in tokens:
        builder.add(token)
    return builder.scenes()
