"""The JSON shape of a project (CONTRACT.md), computed from its state."""

from typing import Any

from domain.project.shot import Shot
from domain.project.state import ProjectState
from domain.timeline import start_frames, total_frames


def shot_view(shot: Shot, start: int) -> dict[str, Any]:
    data = shot.model_dump(mode="json")
    data["start_frame"] = start
    data["visible_frames"] = shot.visible_length
    data["status"] = "completed" if shot.takes else "pending"
    data["progress"] = 100 if shot.takes else 0
    data["stale"] = False
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
        "shots": [shot_view(s, starts[s.id]) for s in shots],
        "elements": [
            e.model_dump() for e in sorted(state.elements.values(), key=lambda e: e.order)
        ],
        "styles": [s.model_dump() for s in state.styles.values()],
        "tracks": {name: t.model_dump() for name, t in state.tracks.items()},
        "total_frames": total_frames(state),
    }
