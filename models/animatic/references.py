"""Reference images on an animatic still: small copies along the card's foot, so a storyboard
shows what a model would have been given (and the still changes with its references)."""

from collections.abc import Sequence

from PIL import Image

GAP = 6


def paste_references(
    card: Image.Image, paths: Sequence[str], foot: tuple[int, int], size: int
) -> None:
    """Each readable reference, fitted into `size`×`size` pixels, left to right from the
    bottom-left corner `foot`; an unreadable one is a grey square (the card never fails)."""
    x, bottom = foot
    size = max(8, size)
    for path in paths:
        if x + size > card.width:
            break
        try:
            with Image.open(path) as source:
                thumb = source.convert("RGB")
                thumb.thumbnail((size, size), Image.Resampling.BILINEAR)
        except (OSError, ValueError):
            thumb = Image.new("RGB", (size, size), (96, 96, 96))
        card.paste(thumb, (x, bottom - thumb.height))
        x += thumb.width + GAP
