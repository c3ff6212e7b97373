"""A project's own settings: the defaults every new shot takes."""

from domain.errors import NameRequired
from domain.project.rules import check_fps, check_seed, check_size
from domain.project.value import Value

DEFAULT_WIDTH, DEFAULT_HEIGHT, DEFAULT_FPS, DEFAULT_SEED = 768, 512, 25, 42


class ProjectSettings(Value):
    name: str
    width: int = DEFAULT_WIDTH
    height: int = DEFAULT_HEIGHT
    fps: int = DEFAULT_FPS
    seed: int = DEFAULT_SEED
    style: str | None = None
    archived: bool = False


def check_name(kind: str, name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise NameRequired(f"a {kind} needs a name that is not empty")
    return cleaned


def check_settings(settings: ProjectSettings) -> None:
    check_name("project", settings.name)
    check_size("width", settings.width)
    check_size("height", settings.height)
    check_fps(settings.fps)
    check_seed(settings.seed)
