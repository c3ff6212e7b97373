"""A reference image named by a user: it must exist and be a picture Pillow can decode."""

from pathlib import Path

from application.engine.ports import MediaRejected
from domain.errors import NotFound


def reference_image(raw: str | None) -> str | None:
    """The picture's absolute path; None for no picture (empty). Raises with the reason."""
    if raw is None or not raw.strip():
        return None
    path = Path(raw.strip()).expanduser().resolve()
    if not path.is_file():
        raise NotFound(f"no image file at {path}")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as picture:
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise MediaRejected(
            f"{path} is not a picture Milimo can read (PNG, JPEG, WebP…): {error}"
        ) from None
    return str(path)
