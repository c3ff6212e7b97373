"""A worker's resident models: loaded once and kept between jobs, several at a time while they
fit in the device's memory. When the next model does not fit, the least recently used ones are
unloaded first, and that swap is reported (`last_swap`) so the job records it (ModelSwapped).

What fits: a model needs the bytes of its weights (measured on CUDA once it has been loaded);
the room is the budget (MILIMO_DEVICE_MEMORY_GB, a constructor argument) less what the resident
models take, or, without a budget, the device's free memory less a working margin for the
activations of the job itself.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from application.engine.ports import GenerationBackend
from models import device_memory
from models.device_memory import readable_bytes

# Backends that hold no torch model: they take no device memory and are never unloaded.
CPU_BACKENDS = ("animatic", "render")
# Without a budget, a model needs this much more than its weights: room for a job's activations.
WORKING_MARGIN = 0.2


class UnknownBackend(Exception):
    pass


def release_device_memory() -> None:
    import gc

    gc.collect()
    cuda = device_memory.loaded_cuda()
    if cuda is not None:
        cuda.empty_cache()


@dataclass
class Resident:
    backend: str
    model: str
    instance: GenerationBackend
    bytes: int
    loaded_at: float
    load_seconds: float

    def describe(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "model": self.model,
            "bytes": self.bytes,
            "loaded_at": iso(self.loaded_at),
            "load_seconds": round(self.load_seconds, 4),
        }


class ResidentModels:
    """`loads` counts base models loaded (a model found resident, or a LoRA change inside a
    backend, is no load)."""

    def __init__(
        self,
        memory_budget: int | None = None,
        free_memory: Callable[[], int | None] = device_memory.free_bytes,
    ) -> None:
        self.memory_budget = memory_budget
        self._free_memory = free_memory
        self._resident: OrderedDict[tuple[str, str], Resident] = OrderedDict()  # LRU first
        self._current: tuple[str, str] | None = None
        self._measured: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        self.last_swap: dict[str, Any] | None = None  # what the last load unloaded
        self.latest_swap: dict[str, Any] | None = None  # the newest swap, however long ago
        self.swaps = 0
        self.loads = 0

    def device(self) -> str:
        current = self._resident.get(self._current) if self._current else None
        if current is None or current.backend in CPU_BACKENDS:
            return "cpu"  # no torch import on the animatic path
        loaded = getattr(current.instance, "device", None)
        if isinstance(loaded, str):
            return loaded  # where the torch backend put its weights
        return "cuda" if device_memory.loaded_cuda() is not None else "cpu"

    def resident(self) -> list[dict[str, Any]]:
        """The models held now, least recently used first."""
        with self._lock:
            return [r.describe() for r in self._resident.values()]

    def memory(self) -> dict[str, Any]:
        with self._lock:
            used = sum(r.bytes for r in self._resident.values())
        return {"budget_bytes": self.memory_budget, "resident_bytes": used}

    def load(self, backend: str, model: str) -> tuple[GenerationBackend, bool, float]:
        key = (backend, model)
        self.last_swap = None
        found = self._resident.get(key)
        if found is not None:
            with self._lock:
                self._resident.move_to_end(key)
            self._current = key
            return found.instance, True, 0.0
        started = time.perf_counter()
        need = self._need(key)
        free_before = self._room()
        unloaded = self._make_room(need)
        allocated = device_memory.allocated_bytes()
        try:
            instance = self._construct(backend, model)
        except Exception as error:
            if not _out_of_memory(error) or not self._torch_models():
                raise
            # The estimate was short: unload every other model and try once more.
            unloaded += self._unload(self._torch_models())
            instance = self._construct(backend, model)
        size = self._size_after_load(key, allocated)
        load_seconds = time.perf_counter() - started
        with self._lock:
            self._resident[key] = Resident(
                backend, model, instance, size, time.time(), load_seconds
            )
        self._current = key
        self.loads += 1
        if unloaded:
            self.swaps += 1
            self.last_swap = {
                "loaded": {"backend": backend, "model": model, "bytes": size},
                "unloaded": unloaded,
                "need_bytes": need,
                "free_bytes": free_before,
                "budget_bytes": self.memory_budget,
                "reason": self._reason(need, free_before),
                "load_seconds": round(load_seconds, 4),
            }
            self.latest_swap = {**self.last_swap, "at": iso(time.time())}
        return instance, False, load_seconds

    # -- memory ---------------------------------------------------------------------------------

    def _need(self, key: tuple[str, str]) -> int:
        if key[0] in CPU_BACKENDS:
            return 0
        weights = self._measured.get(key) or device_memory.weights_bytes(key[1])
        if self.memory_budget is not None:
            return weights
        return int(weights * (1 + WORKING_MARGIN))

    def _room(self) -> int | None:
        """Bytes a new model may take now (None: unknown, so nothing is unloaded for it)."""
        if self.memory_budget is not None:
            with self._lock:
                return self.memory_budget - sum(r.bytes for r in self._resident.values())
        return self._free_memory()

    def _torch_models(self) -> list[tuple[str, str]]:
        with self._lock:
            return [k for k in self._resident if k[0] not in CPU_BACKENDS]

    def _make_room(self, need: int) -> list[dict[str, Any]]:
        unloaded: list[dict[str, Any]] = []
        room = self._room()
        while need > 0 and room is not None and need > room and self._torch_models():
            unloaded += self._unload(self._torch_models()[:1])  # the least recently used
            room = self._room()
        return unloaded

    def _unload(self, keys: list[tuple[str, str]]) -> list[dict[str, Any]]:
        gone = []
        with self._lock:
            for key in keys:
                size = self._resident.pop(key).bytes  # the last reference to the backend
                gone.append({"backend": key[0], "model": key[1], "bytes": size})
                if self._current == key:
                    self._current = None
        release_device_memory()
        return gone

    def _size_after_load(self, key: tuple[str, str], allocated_before: int | None) -> int:
        if key[0] in CPU_BACKENDS:
            return 0
        after = device_memory.allocated_bytes()
        if allocated_before is not None and after is not None and after > allocated_before:
            self._measured[key] = after - allocated_before
            return self._measured[key]
        return device_memory.weights_bytes(key[1])

    def _reason(self, need: int, free: int | None) -> str:
        where = (
            f"budget {readable_bytes(self.memory_budget)}"
            if self.memory_budget is not None
            else "device memory"
        )
        free_text = readable_bytes(free) if free is not None else "unknown"
        return f"memory: need {readable_bytes(need)}, free {free_text} ({where})"

    # -- backends -------------------------------------------------------------------------------

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


def iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds")


def _out_of_memory(error: BaseException) -> bool:
    name = type(error).__name__
    return name in ("OutOfMemoryError", "MemoryError") or "out of memory" in str(error).lower()
