"""Properties that hold after any sequence of edits, undos and restores, found by hypothesis."""

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.project.changes import apply, diff, reverse
from domain.project.element import Element
from domain.project.scene import Scene
from domain.project.settings import ProjectSettings
from domain.project.shot import ConditioningItem, Shot, Take
from domain.project.state import ProjectState
from domain.project.style import StylePreset
from domain.project.track import TRACKS, Track
from domain.project.version_stack import VersionStack
from domain.timeline import (
    playing_at,
    start_frames,
    total_frames,
    track_length,
    track_shots,
    visible_length,
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FRAME_COUNTS = st.integers(1, 32).map(lambda k: 8 * k + 1)  # 9..257
ANY_FRAMES = st.one_of(FRAME_COUNTS, st.integers(0, 260))
ANY_TRACK = st.sampled_from(TRACKS)
COMMANDS = (
    ["add_scene"] * 2
    + ["add_shot"] * 5
    + ["trim"] * 3
    + ["split"] * 3
    + ["move"] * 3
    + ["frames", "remove_shot", "remove_scene", "reorder_scenes", "lock", "restore"]
    + ["undo"] * 3
    + ["redo"] * 3
)
NEEDS_A_SHOT = {"trim", "split", "move", "frames", "remove_shot"}


# -- the invariants ----------------------------------------------------------------------------


def check_timeline(state: ProjectState) -> None:
    starts = start_frames(state)
    assert set(starts) == set(state.shots)

    # V1 is magnetic: no gaps, no overlaps, starting at 0.
    v1 = track_shots(state, "V1")
    position = 0
    for shot in v1:
        assert starts[shot.id] == position
        position += visible_length(shot)
    assert track_length(state, "V1") == position == sum(visible_length(s) for s in v1)

    ends = {
        track: max((starts[s.id] + visible_length(s) for s in track_shots(state, track)), default=0)
        for track in TRACKS
    }
    assert total_frames(state) == max(ends.values())
    assert total_frames(state) >= track_length(state, "V1")

    # Every shot is whole and belongs to a scene; indices are 0..n-1.
    assert sorted(s.index for s in state.scenes.values()) == list(range(len(state.scenes)))
    for shot in state.shots.values():
        assert shot.scene_id in state.scenes
        assert shot.trim_in >= 0 and shot.trim_out >= 0
        assert visible_length(shot) >= 1
        if shot.track != "V1":
            assert starts[shot.id] == shot.start_frame >= 0
    for scene_id in state.scenes:
        indices = [s.index for s in state.scene_shots(scene_id)]
        assert indices == list(range(len(indices)))

    check_playing(state, starts)


def check_playing(state: ProjectState, starts: dict[str, int]) -> None:
    frames = {0, track_length(state, "V1"), total_frames(state)}
    for shot in state.shots.values():
        start, length = starts[shot.id], visible_length(shot)
        frames |= {start, start + length // 2, start + length - 1, start + length}
    for frame in sorted(frames):
        playing = playing_at(state, frame)
        for track in TRACKS:
            covering = [
                s
                for s in track_shots(state, track)
                if starts[s.id] <= frame < starts[s.id] + visible_length(s)
            ]
            if not covering:
                assert playing[track] is None
                continue
            if track == "V1":
                assert len(covering) == 1
            top = covering[-1]
            assert playing[track] == (top.id, top.trim_in + frame - starts[top.id])


# -- a random editing session ------------------------------------------------------------------


class Session:
    """A log of the project plus a model of undo and redo as stacks of whole states."""

    def __init__(self, log):
        self.log = log
        self.undo_states: list[ProjectState] = []
        self.redo_states: list[ProjectState] = []
        self.snapshots = {log.version: copy.deepcopy(log.project)}
        self.count = 0

    def new_id(self, kind: str) -> str:
        self.count += 1
        return f"{kind}{self.count:04d}"

    def run(self, command: str, data) -> None:
        log, before, version = self.log, self.log.state, self.log.version
        try:
            self.perform(command, data)
        except DomainError:
            assert log.project.pending_events == []
            assert log.version == version
            assert log.state is before
            return
        recorded = log.events[version:]
        assert len(recorded) <= 1
        if recorded:
            self.follow(recorded[0], before)
        self.snapshots[log.version] = copy.deepcopy(log.project)
        assert len(log.project.undo_stack) == len(self.undo_states)
        assert len(log.project.redo_stack) == len(self.redo_states)

    def follow(self, event, before: ProjectState) -> None:
        kind = type(event).__name__
        if kind == "EditUndone":
            assert self.log.state == self.undo_states.pop()
            self.redo_states.append(before)
        elif kind == "EditRedone":
            assert self.log.state == self.redo_states.pop()
            self.undo_states.append(before)
        else:
            assert event.undoable
            self.undo_states.append(before)
            self.redo_states.clear()

    def perform(self, command: str, data) -> None:
        log, state = self.log, self.log.state
        scenes = sorted(state.scenes)
        shots = sorted(state.shots)
        if command in NEEDS_A_SHOT and not shots:
            command = "add_shot"
        if command == "add_shot" and not scenes:
            command = "add_scene"
        if command == "add_scene":
            index = data.draw(st.none() | st.integers(0, len(scenes)))
            log.do("add_scene", "Scene", index=index, scene_id=self.new_id("scene"))
        elif command == "add_shot":
            track = data.draw(ANY_TRACK)
            start = data.draw(st.none() | st.integers(0, 400)) if track != "V1" else None
            if track == "V1" and data.draw(st.integers(0, 9)) == 0:
                start = 5  # a start frame on V1 is rejected
            log.do(
                "add_shot",
                data.draw(st.sampled_from(scenes)),
                track=track,
                start_frame=start,
                num_frames=data.draw(FRAME_COUNTS),
                index=data.draw(st.none() | st.integers(0, 5)),
                shot_id=self.new_id("shot"),
            )
        elif command == "trim":
            shot = state.shots[data.draw(st.sampled_from(shots))]
            trim_in = data.draw(st.integers(-1, shot.num_frames))
            trim_out = data.draw(st.integers(-1, shot.num_frames - max(trim_in, 0)))
            log.do("trim_shot", shot.id, trim_in, trim_out)
        elif command == "split":
            shot = state.shots[data.draw(st.sampled_from(shots))]
            at = data.draw(st.integers(-1, visible_length(shot) + 1))
            log.do("split_shot", shot.id, at, new_shot_id=self.new_id("shot"))
        elif command == "move":
            shot = data.draw(st.sampled_from(shots))
            track = data.draw(st.none() | ANY_TRACK)
            start = data.draw(st.none() | st.integers(0, 400))
            before = data.draw(st.none() | st.sampled_from(shots))
            log.do("move_shot", shot, track=track, start_frame=start, before=before)
        elif command == "frames":
            log.do("change_shot", data.draw(st.sampled_from(shots)), frames=data.draw(ANY_FRAMES))
        elif command == "remove_shot":
            log.do("remove_shot", data.draw(st.sampled_from(shots)))
        elif command == "remove_scene" and scenes:
            log.do("remove_scene", data.draw(st.sampled_from(scenes)))
        elif command == "reorder_scenes":
            log.do("reorder_scenes", data.draw(st.permutations(scenes)))
        elif command == "lock":
            log.do("set_track", data.draw(ANY_TRACK), locked=data.draw(st.booleans()))
        elif command == "restore":
            to = self.snapshots[data.draw(st.sampled_from(sorted(self.snapshots)))]
            log.do("restore", to)
            assert log.state == to.state
        elif command == "undo" and log.undo() is None:
            assert not self.undo_states
        elif command == "redo" and log.redo() is None:
            assert not self.redo_states


@settings(FAST, max_examples=120)
@given(data=st.data())
def test_any_editing_session_keeps_the_timeline_whole(new_log, data):
    session = Session(new_log())
    for _ in range(data.draw(st.integers(1, 40), label="steps")):
        session.run(data.draw(st.sampled_from(COMMANDS), label="command"), data)
        check_timeline(session.log.state)
        assert session.log.states[-1] == session.log.state
    assert session.log.replayed() == session.log.state


@FAST
@given(data=st.data())
def test_undoing_everything_returns_to_the_created_project(new_log, data):
    session = Session(new_log())
    for _ in range(data.draw(st.integers(1, 20), label="steps")):
        command = data.draw(st.sampled_from([c for c in COMMANDS if c != "restore"]))
        session.run(command, data)
    log = session.log
    while log.undo() is not None:
        check_timeline(log.state)
    assert log.state == log.states[1]
    assert not log.project.undo_stack


# -- version stacks ----------------------------------------------------------------------------

STACK_OPS = st.lists(st.one_of(st.integers(0, 12), st.just("pop")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(ops=STACK_OPS)
def test_a_version_stack_behaves_like_a_list(ops):
    stack, model = VersionStack(), []
    for op in ops:
        if op == "pop":
            if not model:
                assert not stack and stack.top() is None
                continue
            value, stack = stack.pop()
            assert value == model.pop()
        else:
            stack = stack.push(op)
            model.append(op)
        assert len(stack) == len(model)
        assert stack.items() == model
        assert stack.top() == (model[-1] if model else None)
        assert bool(stack) == bool(model)


@settings(max_examples=50, deadline=None)
@given(start=st.integers(1, 1000), count=st.integers(1, 500))
def test_consecutive_versions_are_stored_as_one_run(start, count):
    stack = VersionStack()
    for version in range(start, start + count):
        stack = stack.push(version)
    assert stack.runs == ((start, start + count - 1),)
    assert len(stack) == count


# -- state differences -------------------------------------------------------------------------

IDS = st.sampled_from(["a1", "b2", "c3", "d4"])
WORDS = st.sampled_from(["", "rain", "a night train"])

takes = st.builds(
    Take,
    id=st.sampled_from(["t1", "t2"]),
    job_id=st.just("j"),
    path=st.just("/m/t.mp4"),
    sha256=st.just("0" * 64),
    num_frames=st.just(121),
    width=st.just(768),
    height=st.just(512),
)
shots = st.builds(
    Shot,
    id=st.just("x"),
    scene_id=st.sampled_from(["s1", "s2"]),
    index=st.integers(0, 3),
    track=ANY_TRACK,
    start_frame=st.integers(0, 50),
    trim_in=st.integers(0, 3),
    trim_out=st.integers(0, 3),
    prompt=WORDS,
    num_frames=st.sampled_from([9, 121]),
    cfg_scale=st.sampled_from([3.0, 7.5]),
    upscale=st.booleans(),
    conditioning=st.lists(
        st.builds(
            ConditioningItem, asset=st.sampled_from(["img1", "img2"]), frame_index=st.integers(0, 8)
        ),
        max_size=2,
    ).map(tuple),
    takes=st.lists(takes, max_size=2).map(tuple),
    active_take=st.none() | st.just("t1"),
)
elements = st.builds(
    Element,
    id=st.just("x"),
    name=st.sampled_from(["Mara", "Jon"]),
    trigger_word=st.sampled_from(["@Mara", "@Jon"]),
    type=st.sampled_from(["character", "location"]),
    description=WORDS,
    image=st.none() | st.just("/looks/a.png"),
    version=st.integers(1, 4),
)
scenes = st.builds(
    Scene, id=st.just("x"), index=st.integers(0, 3), name=st.sampled_from(["P", "Q"])
)


def keyed(values):
    return st.dictionaries(IDS, values, max_size=4).map(
        lambda d: {k: v.replace(id=k) for k, v in d.items()}
    )


states = st.builds(
    ProjectState,
    settings=st.builds(
        ProjectSettings,
        name=st.sampled_from(["Film", "Cut"]),
        width=st.sampled_from([512, 768]),
        seed=st.integers(0, 3),
        style=st.none() | st.just("noir"),
        archived=st.booleans(),
    ),
    tracks=st.fixed_dictionaries(
        {t: st.builds(Track, muted=st.booleans(), locked=st.booleans()) for t in TRACKS}
    ),
    scenes=keyed(scenes),
    shots=keyed(shots),
    elements=keyed(elements),
    styles=st.dictionaries(st.sampled_from(["noir", "dream"]), WORDS, max_size=2).map(
        lambda d: {k: StylePreset(name=k, prompt_additions=v) for k, v in d.items()}
    ),
)


def ignoring_takes_and_versions(state: ProjectState) -> ProjectState:
    return state.replace(
        shots={k: s.replace(takes=()) for k, s in state.shots.items()},
        elements={k: e.replace(version=1) for k, e in state.elements.items()},
        element_clock=0,
    )


@settings(max_examples=150, deadline=None)
@given(a=states, b=states)
def test_applying_a_diff_turns_one_state_into_the_other(a, b):
    changes = diff(a, b)
    assert ignoring_takes_and_versions(apply(a, changes)) == ignoring_takes_and_versions(b)
    assert diff(apply(a, changes), b) == []


@settings(max_examples=150, deadline=None)
@given(a=states, b=states)
def test_applying_a_reversed_diff_turns_it_back(a, b):
    back = apply(b, reverse(diff(a, b)))
    assert ignoring_takes_and_versions(back) == ignoring_takes_and_versions(a)
    assert diff(back, a) == []


@settings(max_examples=100, deadline=None)
@given(a=states, b=states)
def test_a_diff_keeps_the_takes_of_shots_that_stay(a, b):
    result = apply(a, diff(a, b))
    for shot_id, shot in result.shots.items():
        if shot_id in a.shots:
            assert shot.takes == a.shots[shot_id].takes
        else:
            assert shot.takes == b.shots[shot_id].takes


@settings(max_examples=100, deadline=None)
@given(a=states)
def test_a_state_differs_from_itself_in_nothing(a):
    assert diff(a, a) == []
    assert diff(a, a.replace()) == []
    assert apply(a, []) == a
