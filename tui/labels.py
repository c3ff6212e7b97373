"""How every screen names a shot ("2.3" is scene 2's third shot, the timeline's clip label),
and reads its active take and its text."""

from typing import Any


def shot_labels(view: dict[str, Any] | None) -> dict[str, str]:
    """Shot id → "2.3" for every shot of a project view."""
    if not view:
        return {}
    scenes = {s["id"]: n for n, s in enumerate(view["scenes"], 1)}
    return {s["id"]: shot_label(scenes, s) for s in view["shots"]}


def shot_label(scene_numbers: dict[str, int], shot: dict[str, Any]) -> str:
    return f"{scene_numbers.get(shot['scene_id'], 0)}.{shot['index'] + 1}"


def excerpt(text: str, width: int = 48) -> str:
    """`text` on one line, cut with an ellipsis to at most `width` characters."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def active_take(shot: dict[str, Any]) -> dict[str, Any] | None:
    """The shot's active take, else its newest (None without takes)."""
    takes: list[dict[str, Any]] = shot.get("takes") or []
    chosen = next((t for t in takes if t["id"] == shot.get("active_take")), None)
    return chosen or (takes[-1] if takes else None)
