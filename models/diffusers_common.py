"""What the diffusers and transformers backends share: the per-step progress callback, quiet
loading."""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import diffusers
import torch
from diffusers.utils import logging as diffusers_logging

from application.engine.ports import OnStep, ShouldCancel


@dataclass
class StepProgress:
    """The pipelines' callback_on_step_end: report each step, stop at the next one on cancel."""

    total: int
    on_step: OnStep
    cancelled: ShouldCancel
    stopped_at: int | None = None

    def __call__(
        self, pipe: Any, step: int, timestep: Any, kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        total = int(getattr(pipe, "_num_timesteps", 0) or self.total)
        self.on_step(step + 1, total, None)
        if self.stopped_at is None and self.cancelled():
            pipe._interrupt = True  # the pipeline skips the remaining steps
            self.stopped_at = step + 1
        return {}


@contextlib.contextmanager
def quiet_diffusers() -> Iterator[None]:
    """No per-component warnings or loading bars in a worker's log while weights load."""
    from transformers.utils import logging as transformers_logging

    level = diffusers_logging.get_verbosity()
    diffusers_logging.set_verbosity_error()
    diffusers_logging.disable_progress_bar()
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        diffusers_logging.set_verbosity(level)
        diffusers_logging.enable_progress_bar()
        transformers_logging.enable_progress_bar()  # type: ignore[no-untyped-call]


def device_and_dtype(device: str | None, dtype: Any) -> tuple[str, torch.dtype]:
    """The GPU when there is one, else the CPU; bfloat16 on CUDA, float32 elsewhere."""
    chosen = device or ("cuda" if torch.cuda.is_available() else "cpu")
    return chosen, dtype or (torch.bfloat16 if chosen.startswith("cuda") else torch.float32)


def load_pipeline(
    pipeline_class: Any, model_dir: Path, dtype: torch.dtype, label: str, error: type[Exception]
) -> Any:
    """A pipeline from a local folder, quietly; a folder it cannot read raises `error`."""
    try:
        with quiet_diffusers():
            return pipeline_class.from_pretrained(str(model_dir), dtype=dtype)
    except (OSError, ValueError) as problem:
        raise error(f"could not load the {label} model in {model_dir}: {problem}") from problem


def model_info(model_dir: Path, weights: str, dtype: torch.dtype, device: str) -> dict[str, Any]:
    """What JobStarted records of a diffusers model."""
    return {
        "id": model_dir.name,
        "version": f"diffusers-{diffusers.__version__}",
        "weights_hash": weights,
        "dtype": str(dtype).removeprefix("torch."),
        "device": device,
    }


def pipeline_over(pipes: dict[str, Any], cls: Any, base: Any, dtype: torch.dtype) -> Any:
    """The pipeline of class `cls` over `base`'s loaded components, made once and kept in
    `pipes` (no weights read).

    `from_pipe` casts every shared module to its `dtype` argument, float32 when none is given:
    passing the loaded dtype keeps a bfloat16 model in bfloat16.
    """
    name = cls.__name__
    if name not in pipes:
        with quiet_diffusers():
            pipe = cls.from_pipe(base, dtype=dtype)
        pipe.set_progress_bar_config(disable=True)
        pipes[name] = pipe
    return pipes[name]
