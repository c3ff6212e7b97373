"""The characters and locations of a plan, matched to a project's elements or proposed as new.

Characters are the cues' names, locations the places in scene headings (`INT. LIGHTHOUSE - DUSK`
→ `LIGHTHOUSE`), and `@Trigger` words in the text match elements by trigger word. Confidence is
1.0 for an exact name or trigger word (case and punctuation aside), 0.8 when the script uses an
element's first name (`MARA` for "Mara Quinn"), 0.7 when one name holds the other's words, and
below 0.85 for a close spelling (difflib ratio ≥ 0.8); nothing under 0.6 is a match.

Proposed: every unmatched character who speaks or appears in two beats or more, and every
unmatched location of a scene heading (a heading's place recurs across all the shots of its
scene, so even a one-scene location needs to look the same from shot to shot).
"""

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from domain.project.element import Element, ElementType, trigger_from_name
from domain.script.headings import location_of, readable
from domain.script.plan import ElementMatch, ProposedElement, ScriptPlan

MIN_CONFIDENCE = 0.6
_TRIGGER = re.compile(r"@[^\W\d_]\w*")


def _plain(name: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", name.casefold()))


def name_confidence(script_name: str, element: Element) -> float:
    name, element_name = _plain(script_name), _plain(element.name)
    if not name:
        return 0.0
    if name in (element_name, _plain(element.trigger_word)):
        return 1.0
    words, element_words = name.split(), element_name.split()
    if element_words and words == element_words[:1]:
        return 0.8
    if (
        words
        and element_words
        and (set(words) <= set(element_words) or set(element_words) <= set(words))
    ):
        return 0.7
    ratio = difflib.SequenceMatcher(None, name, element_name).ratio()
    return round(ratio * 0.85, 2) if ratio >= 0.8 else 0.0


@dataclass
class _Mention:
    text: str
    type: ElementType
    count: int = 0
    speaks: bool = False


def _mentions(plan: ScriptPlan) -> list[_Mention]:
    found: dict[tuple[str, str], _Mention] = {}
    for scene in plan.scenes:
        if scene.heading.strip() and (place := location_of(scene.heading)):
            found.setdefault(("location", _plain(place)), _Mention(place, "location")).count += 1
        for shot in scene.shots:
            if shot.character:
                mention = found.setdefault(
                    ("character", _plain(shot.character)), _Mention(shot.character, "character")
                )
                mention.count += 1
                mention.speaks = mention.speaks or bool(shot.dialogue)
    return [m for (kind, plain), m in found.items() if plain]


def _triggers(plan: ScriptPlan) -> list[str]:
    seen: dict[str, str] = {}
    for scene in plan.scenes:
        for text in (
            scene.synopsis,
            *(f"{s.action} {s.dialogue} {s.parenthetical}" for s in scene.shots),
        ):
            for word in _TRIGGER.findall(text):
                seen.setdefault(word.casefold(), word)
    return list(seen.values())


def match_elements(plan: ScriptPlan, elements: Iterable[Element]) -> ScriptPlan:
    """`plan` with its element matches and its proposed elements (any earlier ones replaced)."""
    known = list(elements)
    matches: list[ElementMatch] = []
    for word in _triggers(plan):
        element = next((e for e in known if e.trigger_word.casefold() == word.casefold()), None)
        if element:
            matches.append(
                ElementMatch(
                    text=word,
                    element_id=element.id,
                    element_name=element.name,
                    type=element.type,
                    confidence=1.0,
                )
            )
    taken = {e.trigger_word.casefold() for e in known}
    proposed: list[ProposedElement] = []
    for mention in _mentions(plan):
        scored = [
            (name_confidence(mention.text, e), -k, e)
            for k, e in enumerate(known)
            if e.type == mention.type
        ]
        confidence, _, best = max(scored, key=lambda s: s[:2], default=(0.0, 0, None))
        if best is not None and confidence >= MIN_CONFIDENCE:
            matches.append(
                ElementMatch(
                    text=mention.text,
                    element_id=best.id,
                    element_name=best.name,
                    type=best.type,
                    confidence=confidence,
                )
            )
        elif mention.type == "location" or mention.speaks or mention.count >= 2:
            name = readable(mention.text)
            trigger = trigger_from_name(name, taken)
            taken.add(trigger.casefold())
            proposed.append(
                ProposedElement(
                    name=name, type=mention.type, trigger_word=trigger, occurrences=mention.count
                )
            )
    return plan.replace(element_matches=tuple(matches), elements_proposed=tuple(proposed))
