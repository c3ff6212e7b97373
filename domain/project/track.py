"""The three tracks of the timeline. V1 is magnetic; V2 and A1 are placed freely."""

from typing import Literal

from domain.project.value import Value

TrackName = Literal["V1", "V2", "A1"]
TRACKS: tuple[TrackName, ...] = ("V1", "V2", "A1")
MAGNETIC: TrackName = "V1"


class Track(Value):
    muted: bool = False
    locked: bool = False
    hidden: bool = False
