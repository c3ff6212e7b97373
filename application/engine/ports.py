"""What the engine needs from the outside: backends, media storage, dispatch and a live feed."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

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


class BackendCatalog(Protocol):
    """Request side: which backend and model serve a kind of job with the settings in force."""

    def choose(self, kind: str, pipeline: str) -> tuple[str, str]: ...


class MediaStore(Protocol):
    def output_path(self, project_id: str, job_id: str, kind: str) -> str: ...

    def sha256(self, path: str) -> str | None: ...


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
