"""A picture in the terminal: half-block pixels (rich-pixels), two pixels a cell.

The file is decoded and scaled on a thread worker, never in `render`; results are cached by
(path, size), so going back to a shot shows its picture at once. A missing or unreadable file
draws a placeholder card that says why. (textual-image's graphics protocols need Python ≥ 3.12,
which this editor does not require; half-blocks work in every terminal and inside tmux.)
"""

from collections import OrderedDict

from PIL import Image, UnidentifiedImageError
from rich.align import Align
from rich.console import RenderableType
from rich.text import Text
from rich_pixels import Pixels
from textual import work
from textual.message import Message
from textual.widget import Widget

_CACHE: OrderedDict[tuple[str, int, int], Pixels] = OrderedDict()
_CACHE_SIZE = 64


def picture(image: Image.Image, width: int, height: int) -> Pixels:
    """`image` fitted into width × height pixels (height: two per cell), as half-blocks."""
    scale = min(width / image.width, height / image.height)
    size = (max(1, int(image.width * scale)), max(2, int(image.height * scale)))
    pixels: Pixels = Pixels.from_image(image.convert("RGB").resize(size, Image.Resampling.BILINEAR))
    return pixels


def load_picture(path: str, width: int, height: int) -> Pixels:
    """The cached picture of the file at `path`; raises OSError when it cannot be read."""
    key = (path, width, height)
    cached = _CACHE.get(key)
    if cached is not None:
        _CACHE.move_to_end(key)
        return cached
    with Image.open(path) as image:
        pixels = picture(image, width, height)
    _CACHE[key] = pixels
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return pixels


def cached_picture(path: str, width: int, height: int) -> Pixels | None:
    return _CACHE.get((path, width, height))


def why_unreadable(path: str, error: BaseException) -> str:
    if isinstance(error, FileNotFoundError):
        return f"no file {path}"
    if isinstance(error, UnidentifiedImageError):
        return f"not a picture: {path}"
    return f"cannot read {path}: {getattr(error, 'strerror', None) or error}"


class Thumbnail(Widget):
    """Shows the picture at `path`, or a card with `caption` and the reason there is none."""

    DEFAULT_CSS = """
    Thumbnail { height: 14; border: round $panel; }
    Thumbnail.placeholder { color: $text-muted; }
    """

    class Loaded(Message):
        def __init__(self, key: tuple[str, int, int], pixels: Pixels | None, reason: str):
            super().__init__()
            self.key = key
            self.pixels = pixels
            self.reason = reason

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.path: str | None = None
        self.caption = ""
        self.reason = "no picture"
        self.pixels: Pixels | None = None
        self._wanted: tuple[str, int, int] | None = None
        self._asked: tuple[str | None, str, str] | None = None

    def show(self, path: str | None, caption: str = "", reason: str = "no picture yet") -> None:
        """Show the picture at `path` (None: the placeholder card with `reason`)."""
        if (path, caption, reason) == self._asked:
            return
        self._asked = (path, caption, reason)
        self.path, self.caption, self.reason = path, caption, reason
        self._wanted = None
        self._load()

    @property
    def pixel_size(self) -> tuple[int, int]:
        return max(1, self.content_size.width), max(2, self.content_size.height * 2)

    def on_resize(self) -> None:
        self._load()

    def _load(self) -> None:
        if self.path is None or not self.content_size.area:
            self.pixels, self._wanted = None, None
            self._placeholder()
            return
        width, height = self.pixel_size
        key = (self.path, width, height)
        if key == self._wanted and self.pixels is not None:
            return
        self._wanted = key
        cached = cached_picture(*key)
        if cached is not None:
            self.pixels = cached
            self.remove_class("placeholder")
            self.refresh()
            return
        self.pixels = None
        self.reason = "loading…"
        self._placeholder()
        self._decode(key)

    @work(thread=True, exclusive=True, group="thumbnail", exit_on_error=False)
    def _decode(self, key: tuple[str, int, int]) -> None:
        try:
            self.post_message(self.Loaded(key, load_picture(*key), ""))
        except Exception as error:  # any unreadable file is a placeholder, never a crash
            self.post_message(self.Loaded(key, None, why_unreadable(key[0], error)))

    def on_thumbnail_loaded(self, message: Loaded) -> None:
        message.stop()
        if message.key != self._wanted:
            return  # an older picture, superseded while it was decoding
        self.pixels = message.pixels
        if message.pixels is None:
            self.reason = message.reason
            self._placeholder()
        else:
            self.remove_class("placeholder")
            self.refresh()

    def _placeholder(self) -> None:
        self.add_class("placeholder")
        self.refresh()

    def render(self) -> RenderableType:
        if self.pixels is not None:
            return Align.center(self.pixels, vertical="middle")
        card = Text(justify="center")
        if self.caption:
            card.append(self.caption + "\n", style="bold")
        card.append(self.reason)
        return Align.center(card, vertical="middle")
