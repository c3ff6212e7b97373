"""An element's looks: a reference image made from its description (visualize), a variant made
by reference editing (edit-look), and the choice of the look the element uses.

Both are image jobs (Flux 2 Klein; the animatic card without weights) whose result the runner
adds to the element as a look. Every check runs before anything is recorded.
"""

from dataclasses import dataclass
from typing import Any

from application.engine.engine import Engine
from application.engine.ports import MediaMissing
from application.engine.prompts import expand_elements
from application.images import IMAGE_HEIGHT, IMAGE_WIDTH, check_image_size, image_request
from application.project_view import stale_reasons
from application.studio import Studio
from domain.errors import ElementHasNoImage, InvalidSize, InvalidValue
from domain.project.element import Element
from domain.project.look import Look
from domain.project.state import ProjectState

# The seed's element visual: a design sheet by type, from the description or an override.
FRAMING = {
    "character": (
        "Character Sheet Design for {subject}. Full body character turnaround, white background, "
        "high quality, concept art style."
    ),
    "location": (
        "Concept art of {subject}. Wide shot, atmospheric, cinematic lighting, high quality."
    ),
    "object": "Concept design of {subject}. Product studio lighting, neutral background.",
}
EDIT = "{name} from the reference image, {edit}. Same framing, lighting and background."


@dataclass(frozen=True)
class Chosen:
    element: Element
    look: Look
    changed: bool  # False: the element used that look already
    stale_shots: list[dict[str, Any]]


def visualize_prompt(
    element: Element, state: ProjectState, override: str | None = None
) -> tuple[str, str, dict[str, int], list[str]]:
    """(prompt, the text it was made from, other elements used, their reference images).

    Trigger words of other elements in the text are expanded, and their images sent along as
    references, as a shot's prompt would have them."""
    text = " ".join((override if override and override.strip() else element.description).split())
    expanded, used = expand_elements(text, state)
    subject = f"{element.name}: {expanded}" if expanded else element.name
    others = [state.elements[i] for i in used if i != element.id]
    references = [e.image for e in others if e.image]
    return FRAMING[element.type].format(subject=subject), text, used, references


def chosen_look(element: Element) -> Look | None:
    """The look the element uses (None while its image is no look of its own)."""
    look = next((x for x in element.looks if x.id == element.look), None)
    return look if look is not None and look.path == element.image else None


def _seed(state: ProjectState, element: Element, seed: int | None) -> int:
    """The project's seed plus the looks made so far: each new look differs, and the same
    history gives the same looks."""
    return state.settings.seed + len(element.looks) if seed is None else seed


def _image_size(width: int, height: int) -> tuple[int, int]:
    """An edit keeps its source look's size where an image job takes it, else the default."""
    try:
        check_image_size("width", width)
        check_image_size("height", height)
    except InvalidSize:
        return IMAGE_WIDTH, IMAGE_HEIGHT
    return width, height


def _card(element: Element, note: str, text: str) -> dict[str, Any]:
    """What the animatic card of a look shows, without weights."""
    title = f"{element.type} · {element.name} · {element.trigger_word}"
    return {"title": title, "note": note, "action": text, "shot_type": "medium"}


def visualize(
    engine: Engine,
    project_id: str,
    element_ref: str,
    prompt: str | None = None,
    seed: int | None = None,
    steps: int | None = None,
    size: tuple[int, int] | None = None,
) -> str:
    """Request a reference image of the element from its description (or `prompt`), by default
    1024×1024, 25 steps, guidance 2.0; returns the job id, which becomes the look's id."""
    project = engine.studio.project(project_id)
    state, element = project.state, project.element(element_ref)
    full, text, used, references = visualize_prompt(element, state, prompt)
    width, height = size or (IMAGE_WIDTH, IMAGE_HEIGHT)
    request = image_request(
        state, full, width=width, height=height, seed=_seed(state, element, seed), steps=steps
    )
    request |= {
        "element_id": element.id,
        "look_kind": "visualize",
        "original_prompt": text or element.name,
        "reference_images": references,
        "element_versions": used,
        "storyboard": _card(element, "visualized from its description", text or element.name),
    }
    return engine.request(project.id.hex, "image", request)


def edit_look(
    engine: Engine,
    project_id: str,
    element_ref: str,
    prompt: str,
    seed: int | None = None,
    steps: int | None = None,
) -> str:
    """Request a variant of the element's current image by reference editing; returns the job
    id. The new look keeps the size of the look it is edited from (1024×1024 from an image that
    is no look)."""
    project = engine.studio.project(project_id)
    state, element = project.state, project.element(element_ref)
    if element.image is None:
        raise ElementHasNoImage(
            f"{element.type} {element.name!r} ({element.trigger_word}) has no image to edit yet: "
            f"make one with `milimo element visualize PROJECT {element.trigger_word}` or give it "
            f"one with `milimo element set PROJECT {element.trigger_word} image=PATH`"
        )
    edit = " ".join(prompt.split())
    if not edit:
        raise InvalidValue(
            "the prompt is empty: say how the look changes, e.g. 'twenty years older'"
        )
    if engine.media.sha256(element.image) is None:
        raise MediaMissing(
            f"the image of {element.name!r} is gone ({element.image}): choose another look "
            "(`milimo element looks`) or set a new image"
        )
    source = chosen_look(element)
    width, height = IMAGE_WIDTH, IMAGE_HEIGHT
    if source is not None and source.width and source.height:
        width, height = _image_size(source.width, source.height)
    expanded, used = expand_elements(edit, state)
    full = EDIT.format(name=element.name, edit=expanded)
    request = image_request(
        state, full, width=width, height=height, seed=_seed(state, element, seed), steps=steps
    )
    note = f"edited from look {source.id[:8]}" if source else "edited from its image"
    request |= {
        "element_id": element.id,
        "look_kind": "edit",
        "original_prompt": edit,
        "edited_from": source.id if source else None,
        "reference_images": [element.image],
        "element_versions": used,
        "storyboard": _card(element, note, edit),
    }
    return engine.request(project.id.hex, "image", request)


def looks(studio: Studio, project_id: str, element_ref: str) -> list[dict[str, Any]]:
    """The element's looks, oldest first, the one it uses marked `chosen`."""
    element = studio.project(project_id).element(element_ref)
    chosen = chosen_look(element)
    return [
        {**look.model_dump(), "chosen": chosen is not None and look.id == chosen.id}
        for look in element.looks
    ]


def job_look(studio: Studio, project_id: str, job_id: str) -> tuple[Element, Look] | None:
    """The look a finished visualize or edit-look job added (None: its element is gone)."""
    for element in studio.project(project_id).state.elements.values():
        for look in element.looks:
            if look.job_id == job_id:
                return element, look
    return None


def choose_look(studio: Studio, project_id: str, element_ref: str, look_ref: str) -> Chosen:
    """Make the element use one of its looks (its version rises, undoable like any edit) and
    list the shots whose active take was made with an older version of it."""
    element_id = studio.project(project_id).element(element_ref).id
    changed = studio.edit(project_id, lambda p: p.choose_look(studio.actor, element_id, look_ref))
    state = studio.project(project_id).state
    element = state.elements[element_id]
    look = next(x for x in element.looks if x.id == element.look)
    return Chosen(element, look, changed, stale_shots(state, element_id))


def stale_shots(state: ProjectState, element_id: str) -> list[dict[str, Any]]:
    """Shots (in timeline order) whose active take used an older version of the element."""
    found = []
    for scene in state.ordered_scenes():
        for shot in state.scene_shots(scene.id):
            for why in stale_reasons(shot, state.elements):
                if why["element_id"] == element_id:
                    found.append(
                        {
                            "id": shot.id,
                            "scene_id": shot.scene_id,
                            "scene": scene.name,
                            "index": shot.index,
                            "track": shot.track,
                            "prompt": shot.prompt or shot.action,
                            "used_version": why["used_version"],
                            "current_version": why["current_version"],
                        }
                    )
    return found
