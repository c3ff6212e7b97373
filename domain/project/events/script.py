"""A screenplay imported into a project: one event, so one import is one undoable step."""

from typing import Any, ClassVar

from domain.project.changes import Change, apply
from domain.project.events.base import ProjectEvent
from domain.project.state import ProjectState


class ScriptImported(ProjectEvent):
    """Every change the import made (scenes, shots, elements), with where the text came from."""

    # The file's name, the sha256 of its text, the mode it was read in.
    source: dict[str, Any]
    counts: dict[str, int]
    prune: bool
    changes: list[Change]
    # `--mode ai`: the model, every director draft and critic critique, the repairs, any
    # fallback to the rules (see application/storyboard_ai.py). None for the parsed modes and
    # for imports recorded before the AI storyboard existed.
    ai_storyboard: dict[str, Any] | None = None
    mixed: ClassVar[bool] = True

    def evolve(self, state: ProjectState) -> ProjectState:
        return apply(state, self.changes)

    def summary(self) -> str:
        c = self.counts
        name = self.source.get("file") or "script"
        parts = [
            f"+{c.get('scenes_added', 0)} scene(s)",
            f"+{c.get('shots_added', 0)} shot(s)",
            f"{c.get('shots_updated', 0)} updated",
            f"{c.get('shots_removed', 0)} removed",
            f"{c.get('shots_gone', 0)} gone",
            f"+{c.get('elements_added', 0)} element(s)",
        ]
        rounds = len((self.ai_storyboard or {}).get("rounds") or ())
        if rounds:
            parts.append(f"{rounds} director → critic round(s)")
        if self.source.get("requested_mode") == "ai" and self.source.get("fallback"):
            parts.append("--mode ai fell back to the rules (no usable model storyboard)")
        return f"imported {name} ({self.source.get('mode', '?')}): " + ", ".join(parts)
