"""A shot's concept art: one still of its composed prompt at the project's size."""

from typing import Any

from application.engine.prompts import compose
from application.engine.requests import storyboard
from domain.errors import InvalidValue
from domain.project.shot import Shot
from domain.project.state import ProjectState


def concept_request(state: ProjectState, shot: Shot) -> dict[str, Any]:
    """The request of a concept job: the shot's composed prompt (a still is not enhanced: the
    enhancer writes camera movement), its seed and storyboard card, the project's size."""
    if shot.track == "A1":
        raise InvalidValue(
            f"shot {shot.id[:8]} is on the audio track A1: concept art is for V1 and V2 shots"
        )
    prompt, negative, elements = compose(shot, state)
    return {
        "shot_id": shot.id,
        "prompt": prompt,
        "composed_prompt": prompt,
        "original_prompt": shot.prompt or shot.action,
        "enhancer": None,
        "negative_prompt": negative,
        "seed": shot.seed,
        "width": state.settings.width,
        "height": state.settings.height,
        "num_frames": 1,
        "fps": shot.fps,
        "element_versions": elements,
        "storyboard": storyboard(state, shot),
    }
