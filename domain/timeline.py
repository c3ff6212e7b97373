"""Timeline maths, pure: where every clip sits and what plays at any frame.

V1 is magnetic: its shots follow each other with no gap, scenes in order and shots in scene
order, so positions on V1 are derived, never stored. V2 and A1 keep the start frame they were
placed at; where clips overlap there, the one that starts last is on top.
"""

from domain.project.shot import Shot, Take
from domain.project.state import ProjectState
from domain.project.track import MAGNETIC, TRACKS, TrackName
from domain.project.value import Value


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


class Clip(Value):
    """One shot as it plays: where on its track, which part of its media, from which take."""

    shot_id: str
    track: TrackName
    start: int  # timeline frame where the clip begins
    length: int  # visible frames
    source_in: int  # first frame of the media that plays (the shot's trim_in)
    source_frames: int  # frames of the shot's media (num_frames)
    take: Take | None  # the active take; None when the shot has none yet


def active_take(shot: Shot) -> Take | None:
    return next((t for t in shot.takes if t.id == shot.active_take), None)


def cut(state: ProjectState) -> dict[str, list[Clip]]:
    """Every track's clips in timeline order, with the take each would play: what a render or
    an export of the timeline reads."""
    starts = start_frames(state)
    return {
        track: [
            Clip(
                shot_id=s.id,
                track=track,
                start=starts[s.id],
                length=visible_length(s),
                source_in=s.trim_in,
                source_frames=s.num_frames,
                take=active_take(s),
            )
            for s in track_shots(state, track)
        ]
        for track in TRACKS
    }
