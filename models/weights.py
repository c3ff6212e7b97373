"""The model folders' shared facts, without torch: what a component folder holds, and a cheap
fingerprint of the weights for JobStarted and the audit."""

import hashlib
import json
from pathlib import Path

HASH_HEAD_BYTES = 1 << 20

# Weights or configs a component folder holds; one of them must be there.
COMPONENT_FILES = (
    "config.json",
    "scheduler_config.json",
    "tokenizer_config.json",
    "tokenizer.json",
    "tokenizer.model",
)


def weights_hash(model_dir: Path) -> str:
    """A cheap fingerprint of the weights: every *.safetensors file's relative name, size and
    first MiB (reading whole checkpoints of tens of GB on each load would take minutes)."""
    digest = hashlib.sha256()
    for file in sorted(model_dir.rglob("*.safetensors")):
        digest.update(file.relative_to(model_dir).as_posix().encode())
        digest.update(str(file.stat().st_size).encode())
        with file.open("rb") as handle:
            digest.update(handle.read(HASH_HEAD_BYTES))
    return "sha256:" + digest.hexdigest()


def check_diffusers_folder(
    model_dir: Path,
    required: tuple[str, ...],
    label: str,
    error: type[Exception],
    layout_hint: str = "",
) -> dict[str, object]:
    """The parsed model_index.json of a model in diffusers layout, once every required component
    is present; otherwise `error`, naming each missing piece and where it was looked for."""
    if not model_dir.is_dir():
        raise error(f"no {label} model folder at {model_dir}")
    index_file = model_dir / "model_index.json"
    if not index_file.is_file():
        article = "an" if label[:1].lower() in "aeiou" or label.startswith("LTX") else "a"
        raise error(
            f"no model_index.json in {model_dir}: {article} {label} model must be in diffusers "
            f"layout{layout_hint}"
        )
    try:
        index: dict[str, object] = json.loads(index_file.read_text())
    except (OSError, ValueError) as problem:
        raise error(f"unreadable model_index.json in {model_dir}: {problem}") from problem
    missing = []
    for name in required:
        folder = model_dir / name
        if index.get(name) in (None, [None, None]) or not folder.is_dir():
            missing.append(f"{name}/")
        elif not any((folder / f).is_file() for f in COMPONENT_FILES):
            missing.append(f"{name}/ (empty: no config)")
    if missing:
        raise error(
            f"the {label} model in {model_dir} is incomplete: no {', no '.join(missing)} in "
            f"{model_dir} (it needs {', '.join(required)})"
        )
    return index
