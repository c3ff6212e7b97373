"""Remappable keys: a TOML file of binding id → keys, e.g. `undo = "u,ctrl+z"`.

Every binding of the editor has an id (see `?`). The file is read once at start; a bad file or an
unknown id is reported in the editor and the defaults stay, so a typo never locks anyone out.
"""

import tomllib
from pathlib import Path


class KeymapError(ValueError):
    pass


def load_keymap(path: Path | None, known_ids: set[str]) -> tuple[dict[str, str], list[str]]:
    """(binding id → keys, warnings). A missing file is an empty keymap."""
    if path is None or not path.exists():
        return {}, []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return {}, [f"keymap {path}: {error}; using the default keys"]
    table = data.get("keys", data)
    keymap: dict[str, str] = {}
    warnings = []
    for binding_id, keys in table.items():
        if binding_id not in known_ids:
            warnings.append(f"keymap {path}: no binding {binding_id!r} (see ? for the ids)")
        elif not isinstance(keys, str) or not keys.strip():
            warnings.append(f'keymap {path}: {binding_id} needs keys like "u,ctrl+z"')
        else:
            keymap[binding_id] = ",".join(k.strip() for k in keys.split(",") if k.strip())
    return keymap, warnings
