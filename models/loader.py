"""A worker's resident models: loaded once, kept between jobs, switched only when a job needs
another (the switch shows in JobStarted: model_resident false and its load time)."""

import time

from application.engine.ports import GenerationBackend

# Backends that hold no torch model: switching away from them frees no device memory.
CPU_BACKENDS = ("animatic", "render")


class UnknownBackend(Exception):
    pass


def release_device_memory() -> None:
    import gc

    gc.collect()
    import torch

    if torch.cuda.is_available():
        torch.cuda.empty_cache()


class ResidentModels:
    def __init__(self) -> None:
        self._key: tuple[str, str] | None = None
        self._backend: GenerationBackend | None = None
        self.loads = 0

    def device(self) -> str:
        if self._key is None or self._key[0] in CPU_BACKENDS:
            return "cpu"  # no torch import on the animatic path
        loaded = getattr(self._backend, "device", None)
        if isinstance(loaded, str):
            return loaded  # where the torch backend put its weights
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"

    def load(self, backend: str, model: str) -> tuple[GenerationBackend, bool, float]:
        key = (backend, model)
        if self._key == key and self._backend is not None:
            return self._backend, True, 0.0
        started = time.perf_counter()
        previous, self._backend, self._key = self._key, None, None
        if previous is not None and previous[0] not in CPU_BACKENDS:
            release_device_memory()  # the old model's memory goes before the new one loads
        self._backend = self._construct(backend, model)
        self._key = key
        self.loads += 1
        return self._backend, False, time.perf_counter() - started

    def _construct(self, backend: str, model: str) -> GenerationBackend:
        if backend == "animatic":
            from models.animatic.backend import AnimaticBackend

            return AnimaticBackend()
        if backend == "render":
            from models.render.backend import RenderBackend

            return RenderBackend()
        if backend == "ltx2":
            # Imported here: torch and diffusers load only on a worker that runs LTX-2.
            from models.ltx2.backend import LTX2Backend

            return LTX2Backend(model)
        if backend == "flux2":
            # Imported here: torch and diffusers load only on a worker that runs Flux 2.
            from models.flux2.backend import Flux2Backend

            return Flux2Backend(model)
        if backend == "sam3":
            # Imported here: torch and transformers load only on a worker that runs SAM 3.
            from models.sam3.backend import Sam3Backend

            return Sam3Backend(model)
        raise UnknownBackend(
            f"backend {backend!r} is not available in this version of Milimo (model {model})"
        )
