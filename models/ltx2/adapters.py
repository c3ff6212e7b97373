"""LoRA stacks on a resident model: a changed stack never reloads the base weights.

Milimo Video rebuilds its 19B pipeline whenever the LoRAs change. Here every LoRA file is
loaded once into the shared transformer as a named peft adapter (named by the file's sha256,
so the same file under another path is the same adapter); a new stack loads only the files it
adds, deletes only the adapters it dropped, and weights the rest with `set_adapters`. Adapters
in `keep` (the model folder's IC-LoRA) stay loaded, switched off, while a stack does not use
them.
"""

import contextlib
import hashlib
from typing import Any

from models.ltx2.layout import IncompleteModel


def adapter_name(lora: dict[str, Any]) -> str:
    """A request's LoRA as an adapter name: its file's hash (the path's when none was given)."""
    digest = lora.get("sha256") or hashlib.sha256(str(lora["path"]).encode()).hexdigest()
    return f"lora_{str(digest)[:16]}"


class LoraDoesNotFit(ValueError):
    """A LoRA file that the loaded model cannot take (made for another model)."""


class AdapterStack:
    def __init__(self, pipe: Any, keep: tuple[str, ...] = ()):
        self.pipe = pipe  # any pipeline over the shared components: they all hold the adapters
        self.keep = keep
        self.loaded: dict[str, str] = {}  # adapter name → the file it was loaded from
        self.files_read = 0

    def apply(self, wanted: list[tuple[str, str, float]]) -> None:
        """Make (adapter name, file, weight) the active stack, in that order."""
        names = [name for name, _, _ in wanted]
        for name in [n for n in self.loaded if n not in names and n not in self.keep]:
            self._delete(name)
        for name, path, _ in wanted:
            if self.loaded.get(name) not in (None, path) and name in self.keep:
                self._delete(name)  # the kept adapter's file changed
            if name not in self.loaded:
                self._load(name, path)
        if wanted:
            self.pipe.enable_lora()
            self.pipe.set_adapters(names, [weight for _, _, weight in wanted])
        elif self.loaded:
            self.pipe.disable_lora()

    def active(self) -> list[str]:
        return list(self.pipe.get_active_adapters()) if self.loaded else []

    def _delete(self, name: str) -> None:
        self.pipe.delete_adapters([name])
        del self.loaded[name]

    def _load(self, name: str, path: str) -> None:
        try:
            self.pipe.load_lora_weights(path, adapter_name=name)
        except ValueError as error:
            if "peft" in str(error).lower():
                raise IncompleteModel("LoRAs need the peft package to be loaded") from error
            self._forget(name)
            raise LoraDoesNotFit(f"the LoRA {path} does not fit this model: {error}") from error
        except (KeyError, RuntimeError) as error:
            self._forget(name)
            raise LoraDoesNotFit(f"the LoRA {path} does not fit this model: {error}") from error
        self.loaded[name] = path
        self.files_read += 1

    def _forget(self, name: str) -> None:
        """A half-loaded adapter out of the model again, so the next job starts clean."""
        with contextlib.suppress(ValueError, KeyError):
            self.pipe.delete_adapters([name])
