"""The model folders' shared facts, without torch: what a component folder holds, and a cheap
fingerprint of the weights for JobStarted and the audit."""

import hashlib
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
