"""A clip placed freely (V2, A1) keeps its frames where they are when its in point moves."""

import pytest

from domain.errors import InvalidTrim
from domain.timeline import playing_at
from tests.domain.conftest import ProjectLog


@pytest.fixture
def overlay(log: ProjectLog) -> str:
    scene = log.do("add_scene", "Deck")
    log.do("add_shot", scene, frames=121)
    return str(log.do("add_shot", scene, frames=41, track="V2", start_frame=50))


def test_a_trim_in_on_v2_moves_the_start_and_keeps_every_other_frame_in_place(
    log: ProjectLog, overlay: str
) -> None:
    before = {f: playing_at(log.state, f)["V2"] for f in range(40, 100)}
    log.do("trim_shot", overlay, trim_in=10)
    shot = log.state.shots[overlay]
    assert (shot.trim_in, shot.start_frame) == (10, 60)
    after = {f: playing_at(log.state, f)["V2"] for f in range(40, 100)}
    assert {f: v for f, v in after.items() if f >= 60} == {
        f: v for f, v in before.items() if f >= 60
    }
    assert all(after[f] is None for f in range(40, 60))
    assert log.replayed() == log.state
    assert "start 50→60" in log.events[-1].summary()


def test_undo_puts_the_start_back_and_a_trim_in_back_out_moves_it_earlier(
    log: ProjectLog, overlay: str
) -> None:
    log.do("trim_shot", overlay, trim_in=10)
    log.undo()
    assert (log.state.shots[overlay].trim_in, log.state.shots[overlay].start_frame) == (0, 50)
    log.redo()
    log.do("trim_shot", overlay, trim_in=4)
    assert log.state.shots[overlay].start_frame == 54


def test_a_trim_in_that_would_start_before_frame_0_is_refused(
    log: ProjectLog, overlay: str
) -> None:
    log.do("trim_shot", overlay, trim_in=20)  # starts at 70
    log.do("move_shot", overlay, start_frame=5)  # its head of 20 frames cannot fit before 5
    version = log.version
    with pytest.raises(InvalidTrim, match="before frame 0 \\(the least is 15\\)"):
        log.do("trim_shot", overlay, trim_in=0)
    assert log.version == version
    log.do("trim_shot", overlay, trim_in=15)
    assert log.state.shots[overlay].start_frame == 0


def test_on_v1_a_trim_in_leaves_the_start_to_the_magnetic_track(log: ProjectLog) -> None:
    scene = log.do("add_scene", "Deck")
    shot = log.do("add_shot", scene, frames=41)
    log.do("trim_shot", shot, trim_in=8)
    assert log.events[-1].start_frame is None  # type: ignore[attr-defined]
