"""An asset: a still, a clip, a sound or a mask a project holds, imported or made by a job."""

from typing import Any, Literal

from pydantic import field_validator

from domain.project.value import Value

AssetKind = Literal["image", "video", "audio", "mask"]
ASSET_KINDS: tuple[str, ...] = ("image", "video", "audio", "mask")
SOURCE_KEYS: tuple[str, ...] = ("import", "job_id")
# Jobs whose result becomes a project asset, and of which kind (an image job of a shot is a
# take instead).
JOB_ASSET_KINDS: dict[str, str] = {"segment": "mask", "inpaint": "image", "image": "image"}
HEX = frozenset("0123456789abcdef")
NAME_LENGTH = 40  # of the prompt in a generated asset's name


class Asset(Value):
    id: str
    kind: AssetKind
    path: str  # absolute, under the media dir
    sha256: str
    width: int | None = None
    height: int | None = None
    num_frames: int | None = None
    fps: float | None = None
    duration: float | None = None
    has_audio: bool = False
    name: str = ""
    # Where it came from: {"import": the original path} or {"job_id": the job that made it}.
    source: dict[str, str]

    @field_validator("path")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("an asset's path must be absolute")
        return value

    @field_validator("sha256")
    @classmethod
    def _digest(cls, value: str) -> str:
        if len(value) != 64 or not set(value) <= HEX:
            raise ValueError("sha256 must be 64 lower-case hex digits")
        return value

    @field_validator("source")
    @classmethod
    def _source(cls, value: dict[str, str]) -> dict[str, str]:
        if (
            len(value) != 1
            or next(iter(value)) not in SOURCE_KEYS
            or not next(iter(value.values()))
        ):
            raise ValueError('source must be {"import": PATH} or {"job_id": JOB}')
        return value

    @property
    def is_still(self) -> bool:
        return self.kind in ("image", "mask")


def asset_of_job(
    kind: str, job_id: str, record: dict[str, Any], prompt: str = ""
) -> dict[str, Any] | None:
    """The asset a finished segment, inpaint or shot-less image job adds (None for a result
    that is not one, or whose file was gone before it could be hashed); named after its
    prompt where it has one, so a gallery reads as what it shows."""
    if kind not in JOB_ASSET_KINDS or not record.get("sha256"):
        return None
    words = " ".join(prompt.split())
    if len(words) > NAME_LENGTH:
        words = words[: NAME_LENGTH - 1].rstrip() + "…"
    return {
        "id": job_id,
        "kind": JOB_ASSET_KINDS[kind],
        "path": record["path"],
        "sha256": record["sha256"],
        "width": record.get("width"),
        "height": record.get("height"),
        "num_frames": 1,
        "name": f"{kind} {job_id[:8]}" + (f" {words}" if words else ""),
        "source": {"job_id": job_id},
    }
