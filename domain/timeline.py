"""Timeline maths, pure: where every clip sits and what plays at any frame.

V1 is magnetic: its shots follow each other with no gap, scenes in order and shots in scene
order, so positions on V1 are derived, never stored. V2 and A1 keep the start frame they were
placed at; where clips overlap there, the one that starts last is on top.
"""

from domain.project.shot import Shot
from domain.project.state import ProjectState
from domain.project.track import MAGNETIC, TRACKS


def visible_length(shot: Shot) -> int:
    return shot.num_frames - shot.trim_in - shot.trim_out


def track_shots(state: ProjectState, track: str) -> list[Shot]:
    """Shots of one track in timeline order."""
    scene_rank = {s.id: s.index for s in state.scenes.values()}
    shots = [s for s in state.shots.values() if s.track == track]
    if track == MAGNETIC:
        return sorted(shots, key=lambda s: (scene_rank.get(s.scene_id, 0), s.index))
    return sorted(shots, key=lambda s: (s.start_frame, scene_rank.get(s.scene_id, 0), s.index))


def start_frames(state: ProjectState) -> dict[str, int]:
    """Absolute start frame of every shot."""
    starts: dict[str, int] = {}
    position = 0
    for shot in track_shots(state, MAGNETIC):
        starts[shot.id] = position
        position += visible_length(shot)
    for shot in state.shots.values():
        if shot.track != MAGNETIC:
            starts[shot.id] = shot.start_frame
    return starts


def start_frame(state: ProjectState, shot_id: str) -> int:
    return start_frames(state)[shot_id]


def track_length(state: ProjectState, track: str) -> int:
    starts = start_frames(state)
    return max((starts[s.id] + visible_length(s) for s in track_shots(state, track)), default=0)


def total_frames(state: ProjectState) -> int:
    """The length of the timeline: where the last clip of any track ends."""
    return max(track_length(state, track) for track in TRACKS)


def playing_at(state: ProjectState, frame: int) -> dict[str, tuple[str, int] | None]:
    """For each track, the shot playing at timeline frame `frame` and the frame of its media."""
    starts = start_frames(state)
    result: dict[str, tuple[str, int] | None] = {}
    for track in TRACKS:
        result[track] = None
        for shot in track_shots(state, track):
            start = starts[shot.id]
            if start <= frame < start + visible_length(shot):
                result[track] = (shot.id, shot.trim_in + frame - start)
    return result
