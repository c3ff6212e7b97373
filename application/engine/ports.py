"""What the engine needs from the outside: backends, media storage, dispatch and a live feed."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from domain.errors import DomainError, NotFound

# (step, total, frames done where known)
OnStep = Callable[[int, int, int | None], None]
ShouldCancel = Callable[[], bool]


class GenerationCancelled(Exception):
    """Raised by a backend that saw the cancel check turn true; carries the step it stopped at."""

    def __init__(self, step: int | None = None):
        super().__init__(f"cancelled at step {step}")
        self.step = step


class TransientError(Exception):
    """A failure worth retrying as it is (a lost connection, a busy device)."""


@dataclass(frozen=True)
class GenerationOutput:
    path: str
    width: int
    height: int
    frames: int
    fps: float
    inference_seconds: float
    encode_seconds: float
    extra: dict[str, Any] = field(default_factory=dict)
    # The middle frame as an RGB array (H, W, 3), when the backend still holds its frames: the
    # thumbnail is made from it instead of decoding the file again. Never recorded.
    poster: Any = None

    @property
    def duration(self) -> float:
        return self.frames / self.fps if self.fps else 0.0


class GenerationBackend(Protocol):
    """One loaded model (or the animatic renderer) able to run requests of some kinds."""

    name: str

    def model_info(self) -> dict[str, Any]: ...

    def generate(
        self, request: dict[str, Any], output_path: str, on_step: OnStep, cancelled: ShouldCancel
    ) -> GenerationOutput: ...


class BackendLoader(Protocol):
    """Worker side: keeps loaded models resident and switches only when a job needs another."""

    def load(self, backend: str, model: str) -> tuple[GenerationBackend, bool, float]: ...

    def device(self) -> str: ...


@runtime_checkable
class ReportsModelSwaps(Protocol):
    """A loader that unloads resident models to make room says what its last load unloaded
    (None: nothing), for the job to record as ModelSwapped."""

    last_swap: dict[str, Any] | None


class BackendCatalog(Protocol):
    """Request side: which backend and model serve a kind of job with the settings in force."""

    def choose(self, kind: str, pipeline: str) -> tuple[str, str]: ...

    def max_frames(self, backend: str) -> int | None:
        """The most frames one call of the backend makes; longer shots are chained (None: any)."""
        ...

    def preset(self, backend: str, name: str) -> dict[str, Any] | None:
        """The backend's preset `name` (quality or speed): num_inference_steps, cfg_scale and
        two_stage; None when the backend has no such preset."""
        ...


@dataclass(frozen=True)
class EnhancedPrompt:
    """A prompt rewritten for a video model, and who rewrote it (recorded with the request)."""

    text: str
    enhancer: str  # the enhancer's name: "rules" or "llm"
    model: str  # its version, or the model folder it ran
    seconds: float
    fallback: str | None = None  # why another enhancer's result was used instead, if it was


class PromptEnhancer(Protocol):
    """Turns a terse shot prompt into a full video prompt. `context` holds the shot's parts:
    shot_type, heading, character, action, dialogue, style."""

    def enhance(self, prompt: str, context: dict[str, Any]) -> EnhancedPrompt: ...


class Thumbnailer(Protocol):
    """A small JPEG of a take's representative frame; returns its path, raises when it cannot."""

    def thumbnail(self, source: str, project_id: str, take_id: str, poster: Any = None) -> str: ...


class TakeMeter(Protocol):
    """A video take's quality, measured on the CPU: temporal_consistency, motion, sharpness,
    exposure and flags (see infrastructure/take_quality.py); raises when it cannot read it."""

    def measure(self, path: str) -> dict[str, Any]: ...


class MediaStore(Protocol):
    def output_path(self, project_id: str, job_id: str, kind: str) -> str: ...

    def sha256(self, path: str) -> str | None: ...


class MediaTools(Protocol):
    """Frame-exact work on video files: counting, cutting the end off, joining segments."""

    def frame_count(self, path: str) -> int:
        """The frames a decoder gets out of the file."""
        ...

    def last_frames(self, path: str, count: int, out: str) -> None:
        """The last `count` frames of `path` as a clip at `out` (its frames unchanged)."""
        ...

    def last_frame_still(self, path: str) -> str:
        """The last frame of `path` as a content-addressed PNG under the media dir; its path."""
        ...

    def stitch(self, paths: list[str], overlap: int, total: int, out: str) -> None:
        """The first clip whole, then each later one without its first `overlap` frames, as one
        H.264 file at `out` of exactly `total` frames (else it raises, leaving no file)."""
        ...


class Dispatcher(Protocol):
    """Hands requested jobs to workers. Idempotent by job id: dispatching twice runs once."""

    def dispatch(self, job_ids: list[str], queues: dict[str, str]) -> None: ...


class LiveFeed(Protocol):
    """Every progress step, live, beside the store (which stays the truth)."""

    def publish(self, job_id: str, message: dict[str, Any]) -> None: ...


class Heartbeat(Protocol):
    """Tells other workers a job is still being run; silence means its worker is gone."""

    def beat(self, job_id: str) -> None: ...

    def alive(self, job_id: str) -> bool: ...

    def stop(self, job_id: str) -> None: ...


@dataclass(frozen=True)
class StoredMedia:
    """A media file validated, measured and kept content-addressed under the media dir."""

    path: str
    sha256: str
    kind: str  # "image", "video" or "audio"
    width: int | None
    height: int | None
    num_frames: int | None
    fps: float | None
    duration: float | None
    has_audio: bool
    origin: str = ""  # the file it was imported from, symlinks resolved


class MediaRejected(DomainError):
    """A file is not media Milimo can use, or lies where a user may not read."""


class MediaMissing(NotFound):
    """No file at the path given."""


class AssetStore(Protocol):
    """Keeps imported media: checks it really is media, stores each content once."""

    def store(self, source: str) -> StoredMedia: ...
