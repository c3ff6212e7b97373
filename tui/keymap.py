"""Remappable keys: a TOML file of binding id → keys, e.g. `undo = "u,ctrl+z"`.

Every binding of the editor has an id (see `?`). The file is read once at start; a bad file, an
unknown id or a key that another binding already answers on the same screen is reported in the
editor and the defaults stay for that id, so a typo never locks anyone out.
"""

import tomllib
from pathlib import Path

GLOBAL = "app"  # the scope whose bindings answer on every screen


class KeymapError(ValueError):
    pass


def keys_of(keys: str) -> list[str]:
    return [k.strip() for k in keys.split(",") if k.strip()]


def load_keymap(
    path: Path | None, scopes: dict[str, dict[str, str]], named: bool = False
) -> tuple[dict[str, str], list[str]]:
    """(binding id → keys, warnings). `scopes`: each screen's (and GLOBAL's) binding id → its
    default keys. A missing file is an empty keymap, said only when the user `named` it."""
    if path is None or not path.exists():
        missing = f"keymap {path}: no such file; using the default keys"
        return {}, [missing] if named and path is not None else []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return {}, [f"keymap {path}: {error}; using the default keys"]
    table = data.get("keys", data)
    known = {binding_id for ids in scopes.values() for binding_id in ids}
    keymap: dict[str, str] = {}
    warnings = []
    for binding_id, keys in table.items():
        if binding_id not in known:
            warnings.append(f"keymap {path}: no binding {binding_id!r} (see ? for the ids)")
        elif not isinstance(keys, str) or not keys_of(keys):
            warnings.append(f'keymap {path}: {binding_id} needs keys like "u,ctrl+z"')
        else:
            wanted = ",".join(keys_of(keys))
            clash = conflict(binding_id, wanted, keymap, scopes)
            if clash is None:
                keymap[binding_id] = wanted
            else:
                key, other, scope = clash
                where = (
                    "on every screen"
                    if other in scopes.get(GLOBAL, {})
                    else f"on the {scope.removesuffix('Screen')} screen"
                )
                warnings.append(
                    f"keymap {path}: {binding_id} = {key!r} is refused: {key} is already "
                    f"{other}'s key {where}; {binding_id} keeps its default keys"
                )
    return keymap, warnings


def conflict(
    binding_id: str, keys: str, accepted: dict[str, str], scopes: dict[str, dict[str, str]]
) -> tuple[str, str, str] | None:
    """(key, other binding id, screen) when one of `keys` would answer for two bindings at once
    on some screen, with the remaps `accepted` so far; None when it is free. A clash the
    defaults already have (a screen's key over an app-wide one, on purpose) is none of the
    keymap's."""
    global_ids = scopes.get(GLOBAL, {})
    for scope, ids in scopes.items():
        # What answers on that screen: the app's bindings and, under them, the screen's own.
        active = global_ids if scope == GLOBAL else {**global_ids, **ids}
        if binding_id not in active:
            continue
        mine = set(keys_of(active[binding_id]))
        for other, defaults in active.items():
            if other == binding_id:
                continue
            theirs = set(keys_of(accepted.get(other, defaults)))
            shared_before = mine & set(keys_of(defaults))
            for key in keys_of(keys):
                if key in theirs and key not in shared_before:
                    return key, other, scope
    return None
