"""What the editor needs from the rest of Milimo, handed in by the entry point.

The editor talks to the application layer (Studio, Queries, Engine) and to a few small ports for
what lives in infrastructure (the live progress feed, reading a script file under the allowed
folders, decoding a video's frames). `milimo/cli/commands/editor.py` wires the real ones; the
tests wire the same real application over an in-memory or SQLite store.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL.Image import Image

    from application.asset_deletion import MediaFiles
    from application.engine.engine import Engine
    from application.queries import Queries
    from application.storyboard_ai import StoryboardRun
    from application.studio import Studio

# One message of the live feed: {"job_id", "step", "total", "sent", ...}; None when quiet.
LiveMessages = Callable[[], Iterator[dict[str, Any] | None]]
# A script file's text and its source record (path, sha256), from an allowed folder only.
ScriptReader = Callable[[str], tuple[str, dict[str, Any]]]
# `--mode ai`: a text and a number of director → critic rounds → the local model's storyboard
# (or the rules' plan, saying why); wired with the model found under MILIMO_MODELS_DIR.
StoryboardWriter = Callable[[str, int], "StoryboardRun"]
# Frames of a video, scaled to fit (width, height) pixels, with the video's fps.
FrameReader = Callable[[str, int, int], tuple[float, Iterator["Image"]]]


@dataclass
class EditorServices:
    studio: "Studio"
    queries: "Queries"
    engine: Callable[[], "Engine"]
    live_messages: LiveMessages | None = None
    read_script: ScriptReader | None = None
    write_storyboard: StoryboardWriter | None = None
    read_frames: FrameReader | None = None
    # A reference image's absolute path after checking it is a readable picture (None: empty).
    check_image: Callable[[str], str | None] | None = None
    keymap_path: Path | None = None
    keymap_named: bool = False  # the user named the file (MILIMO_KEYMAP): a missing one is said
    # A LoRA file's absolute path once it is known to hold LoRA weights; raises with the reason.
    check_lora: Callable[[str], str] | None = None
    # `milimo models --json`'s list: backends, weights found, sizes, VRAM, hashes, presets.
    models: Callable[[], list[dict[str, Any]]] | None = None
    # Removes a stored media file nothing refers to any more (application/asset_deletion.py).
    media_files: "MediaFiles | None" = None
    # The worker registry: live and lost workers, oldest first (`milimo workers --json`'s list).
    workers: Callable[[], list[dict[str, Any]]] | None = None
    # `milimo export`: (state, project id, file, format) → the result (path, format, clips,
    # warnings); the file is checked as `-o` is (a folder that exists, writable).
    export_timeline: Callable[[Any, str, str, str], Any] | None = None
    # How often the editor looks for events written by other processes (seconds).
    poll_interval: float = 0.25
    extra: dict[str, Any] = field(default_factory=dict)

    def store_position(self) -> int:
        """The newest event's position in the whole store: changes when anyone writes."""
        return int(self.studio.recorder.max_notification_id() or 0)
