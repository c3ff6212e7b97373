"""A shot's prompt as sent to a model: its text, its elements, its framing and the style."""

import re

from domain.project.shot import Shot
from domain.project.state import ProjectState

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


def compose(shot: Shot, state: ProjectState) -> tuple[str, str, dict[str, int]]:
    """(prompt, negative prompt, element versions used) for a shot."""
    parts = [FRAMING.get(shot.shot_type, shot.shot_type.replace("_", " ")) + "."]
    body = shot.prompt.strip() or shot.action.strip()
    if body:
        parts.append(body)
    if shot.character and shot.dialogue:
        parts.append(f'{shot.character} says: "{shot.dialogue.strip()}"')
    elif shot.character and shot.character.casefold() not in body.casefold():
        parts.append(f"Featuring {shot.character}.")
    style = state.styles.get(state.settings.style) if state.settings.style else None
    if style and style.prompt_additions:
        parts.append(style.prompt_additions.strip())
    prompt, used = expand_elements(" ".join(parts), state)
    negatives = [n.strip() for n in (shot.negative_prompt, style.negative_prompt if style else "")]
    return prompt, ", ".join(n for n in negatives if n), used
