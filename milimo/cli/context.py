"""What every command handler gets: parsed arguments, lazy wiring and the output channel."""

import argparse
import json
import sys
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from application.queries import Queries
    from application.studio import Studio
    from infrastructure.bootstrap import Milimo
    from infrastructure.settings import Settings


class UsageError(Exception):
    """Bad arguments that argparse could not catch (exit code 2)."""


class Context:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.json = bool(getattr(args, "json", False))

    @cached_property
    def settings(self) -> "Settings":
        # Imported here so `milimo --help` and usage errors never load the store.
        from infrastructure.settings import load_settings

        return load_settings(data_dir=getattr(self.args, "data_dir", None))

    @cached_property
    def milimo(self) -> "Milimo":
        from infrastructure.bootstrap import bootstrap

        return bootstrap(self.settings)

    @property
    def studio(self) -> "Studio":
        return self.milimo.studio

    @property
    def queries(self) -> "Queries":
        return self.milimo.queries

    def project_id(self, ref: str | None = None) -> str:
        return self.queries.resolve_project(ref if ref is not None else self.args.project)

    def emit(self, data: Any, text: str | None = None) -> None:
        """Exactly one JSON document with --json; humane text otherwise."""
        if self.json:
            json.dump(data, sys.stdout, indent=2, default=str)
            sys.stdout.write("\n")
        elif text is not None:
            print(text)

    def note(self, message: str) -> None:
        print(message, file=sys.stderr)

    def close(self) -> None:
        if "milimo" in self.__dict__:
            self.milimo.close()


def parse_assignments(
    pairs: list[str], json_keys: tuple[str, ...] = (), nullable_keys: tuple[str, ...] = ()
) -> dict[str, Any]:
    """KEY=VALUE arguments. Values are text, except for the keys that hold JSON (parsed) and
    the keys that may be emptied (`none`, `null` or nothing means empty)."""
    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"expected KEY=VALUE, got {pair!r}")
        value: Any = raw
        if key in nullable_keys and raw.strip().lower() in ("", "none", "null"):
            value = None
        elif key in json_keys:
            try:
                value = json.loads(raw)
            except json.JSONDecodeError as error:
                raise UsageError(f"{key}: invalid JSON ({error.msg}): {raw!r}") from None
        values[key] = value
    return values
