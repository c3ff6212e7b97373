"""A look of an element: one generated reference image of it, from its description or edited
from an earlier image, kept with where it came from."""

from typing import Any, Literal

from domain.project.value import Value

LookKind = Literal["visualize", "edit"]


class Look(Value):
    id: str  # the job that made it
    job_id: str
    kind: LookKind
    path: str
    sha256: str
    prompt: str  # what the user asked for: the description, an override or the edit
    width: int | None = None
    height: int | None = None
    # An edit's source: the look it was edited from (None when the element's image was no look)
    # and that image's path.
    edited_from: str | None = None
    reference: str | None = None


def look_of_job(job_id: str, request: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """The look a finished visualize or edit-look job adds to its element."""
    return {
        "id": job_id,
        "job_id": job_id,
        "kind": request.get("look_kind", "visualize"),
        "path": record["path"],
        "sha256": record["sha256"],
        "prompt": request.get("original_prompt") or request.get("prompt", ""),
        "width": record.get("width"),
        "height": record.get("height"),
        "edited_from": request.get("edited_from"),
        "reference": (request.get("reference_images") or [None])[0]
        if request.get("look_kind") == "edit"
        else None,
    }
