"""What the last script import gave a shot: the beat's key and the values it set.

A field whose current value differs from the imported one was edited by the user, so the next
import leaves it alone.
"""

from domain.project.value import Value

# The fields an import sets and a re-import may update.
BEAT_FIELDS: tuple[str, ...] = ("action", "dialogue", "character", "shot_type", "num_frames")


class ScriptBeat(Value):
    key: str
    action: str = ""
    dialogue: str = ""
    character: str = ""
    shot_type: str = "medium"
    num_frames: int = 0
