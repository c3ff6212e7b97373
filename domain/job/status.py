"""Where a job stands, and which steps it may take from there."""

from typing import Literal

JobStatus = Literal["pending", "queued", "running", "completed", "failed", "cancelled"]
FINAL: frozenset[str] = frozenset({"completed", "failed", "cancelled"})
JobKind = Literal["video", "image", "inpaint", "segment", "thumbnail"]
JOB_KINDS: tuple[str, ...] = ("video", "image", "inpaint", "segment", "thumbnail")
# Results that become a take of their shot; masks, thumbnails and measurements do not.
TAKE_KINDS: frozenset[str] = frozenset({"video", "image"})
# The queue a job goes to: one per model kind, so a worker serves the GPUs it has.
QUEUES: dict[str, str] = {
    "video": "video",
    "image": "image",
    "inpaint": "image",
    "segment": "segment",
    "thumbnail": "cpu",
}
