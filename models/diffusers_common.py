"""What the diffusers and transformers backends share: the per-step progress callback, quiet
loading."""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

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
