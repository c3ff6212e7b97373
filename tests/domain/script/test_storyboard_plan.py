"""A model's storyboard as an import plan: strict fields, the parser's keys and durations."""

import pytest
from pydantic import ValidationError

from domain.script.storyboard import MAX_SCENES, Storyboard, storyboard_plan


def board(*shots: dict[str, object], heading: str = "EXT. PIER - DUSK") -> Storyboard:
    return Storyboard.model_validate(
        {"scenes": [{"name": "Pier", "heading": heading, "shots": list(shots)}]}
    )


@pytest.mark.parametrize(
    ("written", "shot_type"),
    [
        ("Close-up", "close_up"),
        ("WIDE SHOT", "wide"),
        ("ecu", "close_up"),
        (" tracking ", "tracking"),
    ],
)
def test_shot_types_as_models_write_them_are_read(written: str, shot_type: str) -> None:
    plan = storyboard_plan(board({"action": "Waves.", "shot_type": written}))
    assert plan.scenes[0].shots[0].shot_type == shot_type


def test_unknown_shot_types_extra_fields_and_empty_shots() -> None:
    with pytest.raises(ValidationError, match="shot_type"):
        board({"action": "Waves.", "shot_type": "dutch angle"})
    with pytest.raises(ValidationError, match="an action or a line of dialogue"):
        board({"action": " ", "dialogue": None})
    ignored = board({"action": "Waves.", "duration": 5, "camera": "dolly"})
    assert ignored.scenes[0].shots[0].action == "Waves."
    too_many = [{"name": f"S{n}", "shots": [{"action": "x"}]} for n in range(MAX_SCENES + 1)]
    with pytest.raises(ValidationError, match="at most"):
        Storyboard.model_validate({"scenes": too_many})


def test_the_plan_has_stable_distinct_keys_and_the_rules_fill_what_the_model_left_out() -> None:
    shots: tuple[dict[str, object], ...] = (
        {"action": "The sea at dusk."},
        {"dialogue": "Again.", "character": "MARA (V.O.)"},
        {"dialogue": "Again.", "character": "mara"},
    )
    plan = storyboard_plan(board(*shots))
    again = storyboard_plan(board(*shots))
    beats = plan.scenes[0].shots
    assert plan.mode == "ai" and plan == again
    assert len({b.key for b in beats}) == 3
    assert beats[0].shot_type == "establishing"  # first shot of an exterior scene
    assert (beats[1].character, beats[1].extensions, beats[1].shot_type) == (
        "MARA",
        ("V.O.",),
        "medium",  # off screen
    )
    assert all(2.0 <= b.duration_seconds <= 8.0 for b in beats)
    unnamed = storyboard_plan(board({"action": "x"}, heading=""))
    assert unnamed.scenes[0].key != plan.scenes[0].key
