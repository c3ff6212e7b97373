"""Where generated media lives: content under the media dir, one folder per project."""

import hashlib
from pathlib import Path

EXTENSIONS = {
    "video": ".mp4",
    "image": ".png",
    "thumbnail": ".jpg",
    "concept": ".png",
    "inpaint": ".png",
    "segment": ".png",
    "render": ".mp4",
}
# The folder of each kind under its project; any other kind has a folder of its own name.
FOLDERS = {"video": "takes", "render": "renders"}


class LocalMediaStore:
    def __init__(self, media_dir: Path):
        self.media_dir = media_dir

    def output_path(self, project_id: str, job_id: str, kind: str) -> str:
        folder = self.media_dir / "projects" / project_id / FOLDERS.get(kind, kind)
        folder.mkdir(parents=True, exist_ok=True)
        return str(folder / f"{job_id}{EXTENSIONS.get(kind, '.bin')}")

    def sha256(self, path: str) -> str | None:
        file = Path(path)
        if not file.is_file():
            return None
        digest = hashlib.sha256()
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
