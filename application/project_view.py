"""The JSON shape of a project (CONTRACT.md), computed from its state."""

from collections.abc import Mapping
from typing import Any

from domain.project.element import Element
from domain.project.shot import Shot
from domain.project.state import ProjectState
from domain.timeline import start_frames, total_frames


def stale_reasons(shot: Shot, elements: Mapping[str, Element]) -> list[dict[str, Any]]:
    """Why the shot's active take is stale: each element it used that has since changed (a
    higher version) or been removed. Empty when the take is current or there is none."""
    take = next((t for t in shot.takes if t.id == shot.active_take), None)
    if take is None:
        return []
    reasons = []
    for element_id, used in sorted(take.element_versions.items()):
        element = elements.get(element_id)
        if element is None:
            reasons.append(
                {
                    "element_id": element_id,
                    "element": None,
                    "trigger_word": None,
                    "used_version": used,
                    "current_version": None,
                    "reason": "removed",
                }
            )
        elif element.version > used:
            reasons.append(
                {
                    "element_id": element_id,
                    "element": element.name,
                    "trigger_word": element.trigger_word,
                    "used_version": used,
                    "current_version": element.version,
                    "reason": "changed",
                }
            )
    return reasons


def shot_view(
    shot: Shot, start: int, elements: Mapping[str, Element] | None = None
) -> dict[str, Any]:
    data = shot.model_dump(mode="json")
    data["start_frame"] = start
    data["visible_frames"] = shot.visible_length
    data["status"] = "completed" if shot.takes else "pending"
    data["progress"] = 100 if shot.takes else 0
    reasons = stale_reasons(shot, elements or {})
    data["stale"] = bool(reasons)
    data["stale_because"] = reasons
    return data


def project_view(project_id: str, version: int, state: ProjectState) -> dict[str, Any]:
    settings = state.settings
    starts = start_frames(state)
    scene_rank = {s.id: s.index for s in state.scenes.values()}
    shots = sorted(
        state.shots.values(),
        key=lambda s: (scene_rank.get(s.scene_id, 0), s.index),
    )
    return {
        "id": project_id,
        "name": settings.name,
        "version": version,
        "width": settings.width,
        "height": settings.height,
        "fps": settings.fps,
        "seed": settings.seed,
        "style": settings.style,
        "archived": settings.archived,
        "origin": state.origin.model_dump() if state.origin else None,
        "scenes": [s.model_dump() for s in state.ordered_scenes()],
        "shots": [shot_view(s, starts[s.id], state.elements) for s in shots],
        "elements": [
            e.model_dump() for e in sorted(state.elements.values(), key=lambda e: e.order)
        ],
        "styles": [s.model_dump() for s in state.styles.values()],
        "tracks": {name: t.model_dump() for name, t in state.tracks.items()},
        "total_frames": total_frames(state),
    }
