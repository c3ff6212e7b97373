"""A shot's prompt as sent to a model: its text, its elements, its framing and the style."""

import re

from domain.project.element import Element
from domain.project.shot import Shot
from domain.project.state import ProjectState
from domain.script.headings import location_of

FRAMING = {
    "close_up": "close-up shot",
    "medium": "medium shot",
    "wide": "wide shot",
    "establishing": "establishing shot",
    "insert": "insert shot",
    "tracking": "tracking shot",
}
_TRIGGER = re.compile(r"@[^\W\d_]\w*")


def expand_elements(text: str, state: ProjectState) -> tuple[str, dict[str, int]]:
    """Trigger words replaced by the element's name and description (this project's only);
    returns the text and the version of every element it used."""
    by_trigger = {e.trigger_word.casefold(): e for e in state.elements.values()}
    used: dict[str, int] = {}

    def replace(match: re.Match[str]) -> str:
        element = by_trigger.get(match.group(0).casefold())
        if element is None:
            return match.group(0)
        used[element.id] = element.version
        return f"{element.name} ({element.description})" if element.description else element.name

    return _TRIGGER.sub(replace, text), used


def _plain(name: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", name.casefold()))


def _named(name: str, state: ProjectState, kind: str) -> Element | None:
    """This project's element of `kind` called `name` (or by its first name, for a cue such as
    MARA for "Mara Quinn"); None when there is none or the first name is shared."""
    plain = _plain(name)
    if not plain:
        return None
    of_kind = [e for e in state.elements.values() if e.type == kind]
    exact = [e for e in of_kind if plain in (_plain(e.name), _plain(e.trigger_word))]
    first = [e for e in of_kind if _plain(e.name).split()[:1] == plain.split()]
    found = exact or first
    return found[0] if len(found) == 1 else None


def _describe(element: Element) -> str:
    return f"{element.name} ({element.description})" if element.description else element.name


def compose(shot: Shot, state: ProjectState) -> tuple[str, str, dict[str, int]]:
    """(prompt, negative prompt, element versions used) for a shot.

    The shot's own text, its character's and its location's elements (by name, so an imported
    screenplay's cues and headings find them without trigger words), the framing and the style.
    """
    parts = [FRAMING.get(shot.shot_type, shot.shot_type.replace("_", " ")) + "."]
    body = shot.prompt.strip() or shot.action.strip()
    if body:
        parts.append(body)
    used: dict[str, int] = {}
    character = _named(shot.character, state, "character") if shot.character else None
    who = shot.character
    if character is not None:
        used[character.id] = character.version
        who = character.name
    if who and shot.dialogue:
        parts.append(f'{who} says: "{shot.dialogue.strip()}"')
    elif who and who.casefold() not in body.casefold():
        parts.append(f"Featuring {who}.")
    if character is not None and character.description:
        parts.append(f"{character.name}: {character.description}.")
    scene = state.scenes.get(shot.scene_id)
    place = (
        _named(location_of(scene.heading), state, "location") if scene and scene.heading else None
    )
    if place is not None:
        used[place.id] = place.version
        parts.append(f"Setting: {_describe(place)}.")
    style = state.styles.get(state.settings.style) if state.settings.style else None
    if style and style.prompt_additions:
        parts.append(style.prompt_additions.strip())
    prompt, by_trigger = expand_elements(" ".join(parts), state)
    negatives = [n.strip() for n in (shot.negative_prompt, style.negative_prompt if style else "")]
    return prompt, ", ".join(n for n in negatives if n), {**used, **by_trigger}
