"""A storyboard written by a language model: its strict schema, and the plan it makes.

The model writes JSON in the shape the rule-based parsers' plans have (scenes with name and
heading, shots with action, dialogue, character, shot_type); once validated it becomes a
ScriptPlan with keys and durations made as the parser makes them, so an AI plan merges like any
other import (ADR 0008) and re-importing the same storyboard keeps every shot.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from domain.project.shot import SHOT_TYPES, ShotType
from domain.script.cues import split_cue
from domain.script.duration import reading_duration
from domain.script.headings import is_exterior
from domain.script.keys import KeyMaker
from domain.script.plan import PlannedScene, PlannedShot, ScriptPlan
from domain.script.shot_type import infer_shot_type

MAX_SCENES = 60
MAX_SHOTS_PER_SCENE = 60
MAX_FIELD_CHARS = 2000
# What models write instead of the shot types' names.
_SHOT_TYPE_WORDS = {
    "closeup": "close_up",
    "close": "close_up",
    "cu": "close_up",
    "extreme_close_up": "close_up",
    "ecu": "close_up",
    "mid": "medium",
    "medium_shot": "medium",
    "ms": "medium",
    "wide_shot": "wide",
    "long": "wide",
    "long_shot": "wide",
    "ws": "wide",
    "establishing_shot": "establishing",
    "insert_shot": "insert",
    "tracking_shot": "tracking",
}


class _Strict(BaseModel):
    # Unknown keys a model adds (a scene number, a duration) are ignored; the known ones must fit.
    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)


class StoryboardShot(_Strict):
    action: str = Field("", max_length=MAX_FIELD_CHARS)
    dialogue: str = Field("", max_length=MAX_FIELD_CHARS)
    character: str = Field("", max_length=200)
    # None: the rules choose, as they do for a parsed script.
    shot_type: ShotType | None = None

    @field_validator("shot_type", mode="before")
    @classmethod
    def _shot_type_words(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        word = "_".join(value.strip().lower().replace("-", " ").split())
        if not word:
            return None
        return word if word in SHOT_TYPES else _SHOT_TYPE_WORDS.get(word, value)

    @field_validator("action", "dialogue", "character", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any) -> Any:
        return "" if value is None else value

    @model_validator(mode="after")
    def _shows_or_says_something(self) -> "StoryboardShot":
        if not self.action and not self.dialogue:
            raise ValueError("a shot needs an action or a line of dialogue")
        return self


class StoryboardScene(_Strict):
    name: str = Field(min_length=1, max_length=200)
    heading: str = Field("", max_length=200)
    shots: list[StoryboardShot] = Field(min_length=1, max_length=MAX_SHOTS_PER_SCENE)

    @field_validator("heading", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any) -> Any:
        return "" if value is None else value


class Storyboard(_Strict):
    """The JSON a director model writes: `{"scenes": [{"name", "heading", "shots": [...]}]}`."""

    scenes: list[StoryboardScene] = Field(min_length=1, max_length=MAX_SCENES)


def storyboard_plan(board: Storyboard, warnings: tuple[str, ...] = ()) -> ScriptPlan:
    """The import plan of a validated storyboard (mode `ai`)."""
    keys = KeyMaker()
    scenes = []
    for scene in board.scenes:
        scene_key = keys.scene(scene.heading or scene.name)
        shots: list[PlannedShot] = []
        for shot in scene.shots:
            character, extensions = split_cue(shot.character) if shot.character else ("", ())
            speaking = bool(shot.dialogue)
            text = shot.dialogue or shot.action
            kind = "dialogue" if speaking else "action"
            shot_type = shot.shot_type or infer_shot_type(
                text,
                dialogue=speaking,
                extensions=extensions,
                first_in_scene=not shots,
                exterior=is_exterior(scene.heading),
            )
            shots.append(
                PlannedShot(
                    key=keys.beat(scene_key, kind, character, text),
                    action=shot.action,
                    dialogue=shot.dialogue,
                    character=character,
                    extensions=extensions,
                    shot_type=shot_type,
                    duration_seconds=reading_duration(text, dialogue=speaking),
                )
            )
        scenes.append(
            PlannedScene(key=scene_key, name=scene.name, heading=scene.heading, shots=tuple(shots))
        )
    return ScriptPlan(mode="ai", scenes=tuple(scenes), warnings=warnings)
