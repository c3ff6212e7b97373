"""The plan of a long shot's segments: pure, and its invariants hold for every length."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from application.engine.segments import (
    OVERLAP,
    CannotChain,
    Segment,
    plan,
    plan_from_request,
    segment_seed,
)
from domain.errors import DomainError

frames_8k1 = st.integers(min_value=1, max_value=1500).map(lambda k: 8 * k + 1)
maxima = st.integers(min_value=(OVERLAP + 7) // 8, max_value=40).map(lambda k: 8 * k + 1)


def stitched(segments: list[Segment]) -> int:
    return segments[0].num_frames + sum(s.num_frames - s.overlap for s in segments[1:])


@given(frames_8k1, maxima)
def test_every_segment_fits_the_backend_and_the_stitch_is_exactly_the_shot(
    num_frames: int, max_frames: int
) -> None:
    segments = plan(num_frames, max_frames)
    assert stitched(segments) == num_frames
    assert [s.index for s in segments] == list(range(len(segments)))
    for s in segments:
        assert (s.num_frames - 1) % 8 == 0 and s.num_frames <= max_frames
        assert s.num_frames > s.overlap  # every segment adds new frames
    assert segments[0].start == 0 and segments[0].overlap == 0
    for before, after in itertools.pairwise(segments):
        assert after.overlap == OVERLAP
        assert after.start == before.start + before.num_frames - OVERLAP
    assert segments[-1].start + segments[-1].num_frames == num_frames


@given(frames_8k1, maxima)
def test_as_few_segments_as_fit_and_of_near_equal_length(num_frames: int, max_frames: int) -> None:
    segments = plan(num_frames, max_frames)
    if num_frames <= max_frames:
        assert segments == [Segment(0, 0, num_frames, 0)]
        return
    # One fewer segment, each at the maximum, would not reach the shot's length.
    assert max_frames + (len(segments) - 2) * (max_frames - OVERLAP) < num_frames
    lengths = [s.num_frames for s in segments]
    assert max(lengths) - min(lengths) <= 8


def test_a_281_frame_shot_on_ltx2_is_three_equal_segments() -> None:
    assert plan(281, 121) == [
        Segment(0, 0, 105, 0),
        Segment(1, 88, 105, 17),
        Segment(2, 176, 105, 17),
    ]


def test_no_limit_or_a_short_shot_is_one_segment() -> None:
    assert plan(2401, None) == [Segment(0, 0, 2401, 0)]
    assert plan(121, 121) == [Segment(0, 0, 121, 0)]


def test_what_cannot_be_chained_is_rejected_as_a_domain_error() -> None:
    with pytest.raises(CannotChain, match="8k\\+1"):
        plan(100, 121)
    with pytest.raises(DomainError, match="at least 25"):
        plan(201, 17)


@given(st.integers(min_value=0, max_value=2**32 - 1), st.integers(min_value=0, max_value=50))
def test_segment_seeds_are_reproducible_distinct_and_in_range(seed: int, index: int) -> None:
    assert segment_seed(seed, 0) == seed
    assert segment_seed(seed, index) == segment_seed(seed, index)
    assert 0 <= segment_seed(seed, index) <= 2**32 - 1
    if index:
        assert segment_seed(seed, index) != segment_seed(seed, index - 1)


def test_the_recorded_plan_reads_back_and_a_request_without_one_is_a_single_segment() -> None:
    segments = plan(281, 121)
    request = {"num_frames": 281, "segments": [s.as_dict() for s in segments]}
    assert plan_from_request(request) == segments
    assert plan_from_request({"num_frames": 97}) == [Segment(0, 0, 97, 0)]
