"""Fakes for the engine's ports: a backend that steps like a model, without one."""

from pathlib import Path
from typing import Any

from application.engine.ports import (
    GenerationCancelled,
    GenerationOutput,
    OnStep,
    ShouldCancel,
)


class SteppingBackend:
    """Takes `steps` steps, writes a small file, and can be told to fail at a step."""

    name = "fake"

    def __init__(
        self,
        steps: int = 5,
        fail_with: BaseException | None = None,
        fail_times: int = 1,
        on_step_hook: Any = None,
    ):
        self.steps = steps
        self.fail_with = fail_with
        self.fail_times = fail_times
        self.calls = 0
        self.on_step_hook = on_step_hook

    def model_info(self) -> dict[str, Any]:
        return {"id": "fake-model", "version": "1", "weights_hash": "sha256:fake"}

    def generate(
        self, request: dict[str, Any], output_path: str, on_step: OnStep, cancelled: ShouldCancel
    ) -> GenerationOutput:
        self.calls += 1
        for step in range(1, self.steps + 1):
            if self.fail_with is not None and self.calls <= self.fail_times and step == 2:
                raise self.fail_with
            if cancelled():
                raise GenerationCancelled(step - 1)
            on_step(step, self.steps, None)
            if self.on_step_hook:
                self.on_step_hook(step)
        Path(output_path).write_bytes(f"{request['seed']}:{request['prompt']}".encode())
        return GenerationOutput(
            output_path,
            request["width"],
            request["height"],
            request["num_frames"],
            float(request["fps"]),
            0.01,
            0.0,
        )


class FakeLoader:
    def __init__(self, backend: SteppingBackend):
        self.backend = backend
        self.loads = 0
        self.loaded: tuple[str, str] | None = None

    def load(self, backend: str, model: str) -> tuple[SteppingBackend, bool, float]:
        if self.loaded == (backend, model):
            return self.backend, True, 0.0
        self.loaded = (backend, model)
        self.loads += 1
        return self.backend, False, 0.01

    def device(self) -> str:
        return "cpu"


class FakeCatalog:
    def choose(self, kind: str, pipeline: str) -> tuple[str, str]:
        return "fake", "fake-model"

    def max_frames(self, backend: str) -> int | None:
        return None  # the fake backend makes any length in one call


class TempMedia:
    def __init__(self, root: Path):
        self.root = root

    def output_path(self, project_id: str, job_id: str, kind: str) -> str:
        return str(self.root / f"{job_id}.bin")

    def sha256(self, path: str) -> str | None:
        import hashlib

        file = Path(path)
        return hashlib.sha256(file.read_bytes()).hexdigest() if file.is_file() else None


class RecordingDispatcher:
    def __init__(self) -> None:
        self.dispatched: list[str] = []

    def dispatch(self, job_ids: list[str], queues: dict[str, str]) -> None:
        self.dispatched.extend(job_ids)
