"""Humane text for what the commands print without --json."""

from typing import Any


def timecode(frames: int, fps: int) -> str:
    seconds, frame = divmod(frames, fps)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours:02d}:{minute:02d}:{second:02d}:{frame:02d}"


def shot_line(shot: dict[str, Any]) -> str:
    text = shot["action"] or shot["prompt"] or shot["dialogue"] or ""
    text = text.replace("\n", " ")
    if len(text) > 48:
        text = text[:45] + "..."
    trims = f"-{shot['trim_in']}/-{shot['trim_out']}" if shot["trim_in"] or shot["trim_out"] else ""
    return (
        f"  {shot['index']:>3} {shot['id'][:8]} {shot['track']} "
        f"@{shot['start_frame']:<6} {shot['visible_frames']:>4}f{trims:<10} "
        f"{shot['status']:<9} {text}"
    )


def project_text(view: dict[str, Any]) -> str:
    fps = view["fps"]
    lines = [
        f"{view['name']}  ({view['id']})",
        f"  version {view['version']} · {view['width']}x{view['height']} @ {fps} fps · "
        f"seed {view['seed']} · style {view['style'] or '-'}"
        + (" · archived" if view.get("archived") else ""),
        f"  length {view['total_frames']} frames ({timecode(view['total_frames'], fps)})",
    ]
    flags = []
    for name, track in view["tracks"].items():
        on = [k for k in ("muted", "locked", "hidden") if track[k]]
        flags.append(f"{name}{' (' + ', '.join(on) + ')' if on else ''}")
    lines.append("  tracks " + " ".join(flags))
    if view.get("origin"):
        o = view["origin"]
        lines.append(f"  branched from {o['project_id']} at v{o['version']}")
    by_scene: dict[str, list[dict[str, Any]]] = {}
    for shot in view["shots"]:
        by_scene.setdefault(shot["scene_id"], []).append(shot)
    for scene in view["scenes"]:
        lines.append(f"scene {scene['index']} {scene['id'][:8]} {scene['name']}")
        lines.extend(shot_line(s) for s in by_scene.get(scene["id"], []))
    for element in view["elements"]:
        lines.append(
            f"element {element['trigger_word']} {element['name']} ({element['type']}, "
            f"v{element['version']})"
        )
    return "\n".join(lines)
