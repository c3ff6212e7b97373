"""What a parsed screenplay proposes: scenes of beats, and the elements it mentions.

The parser produces a ScriptPlan with no knowledge of any project; matching against a project's
elements and merging into its timeline are separate steps that read this plan.
"""

from typing import Literal

from domain.project.shot import ShotType
from domain.project.value import Value

ScriptMode = Literal["fountain", "screenplay", "numbered", "freeform", "ai"]
SCRIPT_MODES: tuple[str, ...] = ("auto", "fountain", "screenplay", "numbered", "freeform", "ai")


class PlannedShot(Value):
    """One beat of the script: a line of dialogue, or a (piece of a) paragraph of action."""

    # Stable identity of the beat across imports of edited versions of the same script:
    # derived from the scene's key, the beat's normalised text and its ordinal among equal beats.
    key: str
    action: str = ""
    dialogue: str = ""
    # The cue's name without extensions: `MARA (V.O.)` → `MARA`.
    character: str = ""
    # The cue's extensions and the parenthetical, kept for the prompt's context.
    extensions: tuple[str, ...] = ()
    parenthetical: str = ""
    dual: bool = False
    shot_type: ShotType = "medium"
    # Screen time the beat needs (reading time, or a duration the script states).
    duration_seconds: float = 4.0


class PlannedScene(Value):
    key: str
    name: str
    heading: str = ""
    # The scene's text as written (without notes and boneyard), for the storyboard.
    script_text: str = ""
    synopsis: str = ""
    shots: tuple[PlannedShot, ...] = ()


class ProposedElement(Value):
    """A recurring character or location with no element yet."""

    name: str
    type: Literal["character", "location", "object"]
    trigger_word: str
    description: str = ""
    occurrences: int = 0


class ElementMatch(Value):
    """A name in the script that matched one of the project's elements."""

    text: str
    element_id: str
    element_name: str
    type: Literal["character", "location", "object"]
    # 1.0 for an exact name or trigger word; lower for partial or fuzzy matches.
    confidence: float


class ScriptPlan(Value):
    mode: ScriptMode
    title: dict[str, str] = {}
    scenes: tuple[PlannedScene, ...] = ()
    elements_proposed: tuple[ProposedElement, ...] = ()
    element_matches: tuple[ElementMatch, ...] = ()
    # Anything a user should know about how the text was read (skipped input, guesses).
    warnings: tuple[str, ...] = ()
