"""Where a job stands, and which steps it may take from there."""

from typing import Literal

JobStatus = Literal["pending", "queued", "running", "completed", "failed", "cancelled"]
FINAL: frozenset[str] = frozenset({"completed", "failed", "cancelled"})
JobKind = Literal["video", "image", "inpaint", "segment", "thumbnail", "render", "concept"]
JOB_KINDS: tuple[str, ...] = (
    "video",
    "image",
    "inpaint",
    "segment",
    "thumbnail",
    "render",
    "concept",
)
# Results that become a take of their shot; masks, thumbnails and measurements do not.
TAKE_KINDS: frozenset[str] = frozenset({"video", "image"})
# The queue a job goes to: one per model kind, so a worker serves the GPUs it has.
QUEUES: dict[str, str] = {
    "video": "video",
    "image": "image",
    "inpaint": "image",
    "segment": "segment",
    "thumbnail": "cpu",
    # A shot's concept art is a still image: the image models serve it.
    "concept": "image",
    "render": "cpu",
}
