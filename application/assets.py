"""A project's assets: importing media, and the segment and inpaint jobs that make new ones.

Every check runs before anything is recorded, so a refused command leaves no event behind.
"""

from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from application.engine.engine import Engine
from application.engine.ports import AssetStore
from application.studio import Studio
from domain.errors import InvalidValue
from domain.project.aggregate import Project
from domain.project.asset import Asset
from domain.project.rules import MAX_STEPS, MIN_STEPS

INPAINT_STEPS = 25
# Flux 2 takes sizes in steps of 16 up to a megapixel; other sizes are left to the backend.
SIZE_STEP, MAX_INPAINT_AREA = 16, 1024 * 1024


@dataclass(frozen=True)
class Imported:
    asset: Asset
    already: bool  # the project held this content before: nothing was recorded


def import_asset(studio: Studio, store: AssetStore, project_id: str, source: str) -> Imported:
    studio.project(project_id)  # an unknown project is reported before any file is read
    media = store.store(source)
    fields = {
        "kind": media.kind,
        "path": media.path,
        "sha256": media.sha256,
        "width": media.width,
        "height": media.height,
        "num_frames": media.num_frames,
        "fps": media.fps,
        "duration": media.duration,
        "has_audio": media.has_audio,
        "name": media.origin.rsplit("/", 1)[-1],
        "source": {"import": media.origin},
    }
    asset_id, new_id = studio.edit(project_id, lambda p: _add(p, studio.actor, fields))
    project = studio.project(project_id)
    return Imported(project.state.assets[asset_id], already=asset_id != new_id)


def _add(project: Project, actor: str, fields: dict[str, Any]) -> tuple[str, str]:
    new_id = uuid4().hex
    return project.add_asset(actor, id=new_id, **fields), new_id


def _still(project: Project, ref: str, what: str) -> Asset:
    asset = project.asset(ref)
    if not asset.is_still or asset.width is None or asset.height is None:
        raise InvalidValue(
            f"{what} must be an image or a mask: asset {asset.id[:8]} ({asset.name}) is "
            f"{asset.kind}"
        )
    return asset


def segment(
    engine: Engine,
    project_id: str,
    image: str,
    point: tuple[float, float] | None = None,
    box: tuple[float, float, float, float] | None = None,
    text: str | None = None,
) -> str:
    """Request a mask of one thing in an image asset, pointed at, boxed or named."""
    project = engine.studio.project(project_id)
    asset = _still(project, image, "the image to segment")
    width, height = asset.width or 0, asset.height or 0
    given = [p for p in (point, box, text) if p is not None]
    if len(given) != 1:
        raise InvalidValue("segment needs exactly one of a point, a box or a text")
    request: dict[str, Any] = {"image": asset.path, "source_asset": asset.id}
    if point is not None:
        x, y = point
        if not (0 <= x < width and 0 <= y < height):
            raise InvalidValue(f"the point ({x:g}, {y:g}) is outside the {width}×{height} image")
        request |= {"points": [[x, y]], "labels": [1]}
    elif box is not None:
        x0, y0, x1, y1 = box
        if not (x1 > x0 and y1 > y0):
            raise InvalidValue(f"a box is X0,Y0,X1,Y1 with X1 > X0 and Y1 > Y0: got {list(box)}")
        if x0 < 0 or y0 < 0 or x1 > width or y1 > height:
            raise InvalidValue(f"the box {list(box)} is outside the {width}×{height} image")
        request["boxes"] = [[x0, y0, x1, y1]]
    else:
        phrase = (text or "").strip()
        if not phrase:
            raise InvalidValue("the text to segment is empty: name what to find, e.g. 'the sky'")
        if engine.catalog.choose("segment", "ti2vid")[0] == "animatic":
            raise InvalidValue(
                "a text prompt needs SAM 3 weights (MILIMO_MODELS_DIR/sam3/text): without them, "
                "segment from a --point or a --box"
            )
        request["text"] = phrase
    request |= {"width": width, "height": height, "num_frames": 1}
    return engine.request(project.id.hex, "segment", request)


def inpaint(
    engine: Engine,
    project_id: str,
    image: str,
    mask: str,
    prompt: str,
    seed: int | None = None,
    steps: int | None = None,
) -> str:
    """Request a new image: the image asset with its masked part (white) painted anew."""
    project = engine.studio.project(project_id)
    source = _still(project, image, "the image to inpaint")
    matte = _still(project, mask, "the mask")
    if (matte.width, matte.height) != (source.width, source.height):
        raise InvalidValue(
            f"the mask is {matte.width}×{matte.height} but the image is "
            f"{source.width}×{source.height}: they must be the same size"
        )
    if not prompt.strip():
        raise InvalidValue("the prompt is empty: say what to paint in the masked part")
    steps = INPAINT_STEPS if steps is None else steps
    if not MIN_STEPS <= steps <= MAX_STEPS:
        raise InvalidValue(f"steps must be between {MIN_STEPS} and {MAX_STEPS}: got {steps}")
    request: dict[str, Any] = {
        "image": source.path,
        "mask": matte.path,
        "source_asset": source.id,
        "mask_asset": matte.id,
        "prompt": prompt.strip(),
        "seed": project.state.settings.seed if seed is None else seed,
        "num_inference_steps": steps,
        "num_frames": 1,
    }
    width, height = source.width or 0, source.height or 0
    if width % SIZE_STEP == 0 and height % SIZE_STEP == 0 and width * height <= MAX_INPAINT_AREA:
        request |= {"width": width, "height": height}
    return engine.request(project.id.hex, "inpaint", request)


def job_asset(studio: Studio, project_id: str, job_id: str, sha256: str | None) -> Asset | None:
    """The asset a finished job added (by its content, which may have been there before)."""
    assets = studio.project(project_id).state.assets.values()
    return next((a for a in assets if a.source.get("job_id") == job_id or a.sha256 == sha256), None)
