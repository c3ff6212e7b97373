"""What a script import did, or would do: the preview of --dry-run and the import's answer."""

from domain.project.value import Value


class BeatOutcome(Value):
    """One beat of the script and the shot it became (or a shot whose beat is gone)."""

    key: str
    shot_id: str
    scene: str
    action: str = ""
    dialogue: str = ""
    character: str = ""
    shot_type: str = "medium"
    num_frames: int = 0
    # Fields that followed the script's new values.
    updated_fields: tuple[str, ...] = ()
    # Fields the script changed that keep the user's own value.
    kept_edits: tuple[str, ...] = ()
    # The key of the beat this shot had when the script edited its line; "" otherwise.
    previous_key: str = ""


class ImportResult(Value):
    mode: str
    scenes_added: tuple[str, ...] = ()
    scenes_updated: tuple[str, ...] = ()
    # Scenes of an earlier import that the script no longer has (removed with prune once empty).
    scenes_gone: tuple[str, ...] = ()
    scenes_removed: tuple[str, ...] = ()
    added: tuple[BeatOutcome, ...] = ()
    updated: tuple[BeatOutcome, ...] = ()
    kept: tuple[BeatOutcome, ...] = ()
    # Shots of an earlier import whose beat the script no longer has: removed only with prune.
    gone: tuple[BeatOutcome, ...] = ()
    pruned: bool = False
    elements_added: tuple[str, ...] = ()
    elements_existing: tuple[str, ...] = ()
    # The project's version after the import (unchanged when it changed nothing); None in a
    # preview.
    version: int | None = None

    @property
    def removed(self) -> tuple[BeatOutcome, ...]:
        return self.gone if self.pruned else ()

    def counts(self) -> dict[str, int]:
        return {
            "scenes_added": len(self.scenes_added),
            "scenes_updated": len(self.scenes_updated),
            "scenes_removed": len(self.scenes_removed),
            "shots_added": len(self.added),
            "shots_updated": len(self.updated),
            "shots_kept": len(self.kept),
            "shots_gone": len(self.gone),
            "shots_removed": len(self.removed),
            "elements_added": len(self.elements_added),
        }
