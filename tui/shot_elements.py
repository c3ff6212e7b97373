"""Which elements a shot uses, and its LoRA stack, as the application decides them: its prompt's
composition (the cue's character, the scene heading's location, @triggers) plus what its take
recorded. Every screen asks here, so the Storyboard and the Inspector never disagree.

The application works on the project's state; the editor holds the project's view, so the few
values composition reads are rebuilt from it in memory, once per view (no I/O).
"""

from typing import Any

from application.engine.lora_stack import effective_loras
from application.engine.prompts import compose
from domain.project.element import Element
from domain.project.lora import Lora
from domain.project.scene import Scene
from domain.project.settings import ProjectSettings
from domain.project.shot import Shot
from domain.project.state import ProjectState
from domain.project.style import StylePreset
from tui.labels import active_take

_cached: tuple[dict[str, Any] | None, ProjectState | None] = (None, None)


def project_state(view: dict[str, Any]) -> ProjectState:
    """The parts of the project's state a prompt is composed from (settings, scenes, elements,
    styles), from the view; the same view object gives the same state without rebuilding."""
    global _cached
    if _cached[0] is view and _cached[1] is not None:
        return _cached[1]
    state = ProjectState(
        settings=ProjectSettings(name=view["name"], style=view.get("style")),
        scenes={s["id"]: Scene.model_validate(s) for s in view.get("scenes") or []},
        elements={e["id"]: Element.model_validate(e) for e in view.get("elements") or []},
        styles={s["name"]: StylePreset.model_validate(s) for s in view.get("styles") or []},
    )
    _cached = (view, state)
    return state


def spec_of(shot: dict[str, Any]) -> Shot:
    """A shot of the view as the domain's value, without its takes (composition reads none)."""
    fields = {k: v for k, v in shot.items() if k in Shot.model_fields}
    return Shot.model_validate({**fields, "takes": (), "active_take": None})


def composed(view: dict[str, Any], shot: dict[str, Any]) -> dict[str, int]:
    """Element id → version, of the elements a generation of the shot would use now."""
    return compose(spec_of(shot), project_state(view))[2]


def elements_of(view: dict[str, Any], shot: dict[str, Any]) -> list[dict[str, Any]]:
    """The project's elements the shot uses: those its prompt's composition names, then those
    its take used (a look since changed or no longer named), in the project's order."""
    used = set(composed(view, shot)) | set((active_take(shot) or {}).get("element_versions") or {})
    return [e for e in view.get("elements") or [] if e["id"] in used]


def lora_stack(view: dict[str, Any], shot: dict[str, Any]) -> list[tuple[Lora, str]]:
    """(LoRA, where from: "shot" or an element's trigger word) as a generation applies them."""
    state = project_state(view)
    spec = spec_of(shot)
    used = compose(spec, state)[2]
    return [
        (lora, source.removeprefix("element "))
        for lora, source in effective_loras(state, spec, used)
    ]
