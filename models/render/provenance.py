"""Where a render came from, carried by the file itself (title and comment tags) and by a JSON
sidecar beside it: the project, its version, and the take of every shot, with its hash."""

import json
from pathlib import Path
from typing import Any


def takes(request: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "shot_id": c["shot_id"],
            "track": c["track"],
            "take_id": c["take_id"],
            "sha256": c["sha256"],
        }
        for c in request["clips"]
    ]


def metadata_args(request: dict[str, Any]) -> list[str]:
    title = f"{request['name']} (Milimo project {request['project_id']} v{request['version']})"
    comment = {
        "project_id": request["project_id"],
        "version": request["version"],
        "takes": {c["shot_id"]: c["take_id"] for c in request["clips"]},
    }
    return [
        "-metadata", f"title={title}",
        "-metadata", "comment=" + json.dumps(comment, separators=(",", ":")),
    ]  # fmt: skip


def sidecar_path(video: str) -> str:
    return video + ".json"


def write_sidecar(video: str, request: dict[str, Any], stream_copy: bool) -> str:
    clip_keys = ("shot_id", "track", "take_id", "path", "sha256", "start", "length", "source_in")
    document = {
        "project_id": request["project_id"],
        "name": request["name"],
        "version": request["version"],
        "width": request["width"],
        "height": request["height"],
        "fps": request["fps"],
        "total_frames": request["total_frames"],
        "tracks": request["tracks"],
        "stream_copy": stream_copy,
        "clips": [{k: c[k] for k in clip_keys} for c in request["clips"]],
    }
    path = sidecar_path(video)
    Path(path).write_text(json.dumps(document, indent=2) + "\n")
    return path
