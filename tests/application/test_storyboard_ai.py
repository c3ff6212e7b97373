"""`script import --mode ai` in the application: a director model's storyboard becomes a plan that
merges like any import; its drafts and critiques are recorded; garbage falls back to the rules."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from application.script_import import plan_changes, preview_view
from application.storyboard_ai import (
    CRITIC,
    CRITIQUE_TOKENS,
    DIRECTOR,
    JSON_PREFIX,
    MAX_ROUNDS,
    MAX_STORY_CHARS,
    MIN_DRAFT_TOKENS,
    write_storyboard,
)
from application.storyboard_json import storyboard_done
from application.studio import Studio, project_uuid
from domain.errors import InvalidValue, ScriptUnreadable
from domain.project.events import ScriptImported

STORY = (
    "At dusk Mara walks to the end of the old pier. She looks out at the sea and whispers "
    "goodbye to her brother's boat. Later, in the lighthouse, she lights the lamp."
)
BOARD = {
    "scenes": [
        {
            "name": "The pier",
            "heading": "EXT. PIER - DUSK",
            "shots": [
                {"action": "Mara walks to the end of the old pier.", "shot_type": "wide"},
                {"dialogue": "Goodbye.", "character": "MARA (whispering)", "shot_type": "Close-up"},
            ],
        },
        {
            "name": "The lamp",
            "heading": "INT. LIGHTHOUSE - NIGHT",
            "shots": [{"action": "Mara lights the lamp."}],
        },
    ]
}
VALID = json.dumps(BOARD)


@dataclass
class ScriptedModel:
    """The LanguageModel port answering with chosen texts, in order; it records every call."""

    replies: list[str]
    name: str = "tiny-director"
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    budgets: list[tuple[int, Callable[[str], bool] | None]] = field(default_factory=list)

    def reply(
        self,
        system: str,
        user: str,
        prefix: str = "",
        max_new_tokens: int = 512,
        done: Callable[[str], bool] | None = None,
    ) -> str:
        self.calls.append((system, user, prefix))
        self.budgets.append((max_new_tokens, done))
        return self.replies[len(self.calls) - 1]


def shots_of(plan: object) -> list[tuple[str, str, str, str]]:
    return [
        (s.action, s.dialogue, s.character, s.shot_type)
        for scene in plan.scenes  # type: ignore[attr-defined]
        for s in scene.shots
    ]


def test_a_valid_storyboard_becomes_an_ai_plan_with_the_parsers_shape() -> None:
    model = ScriptedModel([VALID])
    run = write_storyboard(STORY, model)
    assert run.fallback is None and run.model == "tiny-director" and run.plan_draft == 1
    assert run.plan.mode == "ai"
    assert [(s.name, s.heading) for s in run.plan.scenes] == [
        ("The pier", "EXT. PIER - DUSK"),
        ("The lamp", "INT. LIGHTHOUSE - NIGHT"),
    ]
    assert shots_of(run.plan) == [
        ("Mara walks to the end of the old pier.", "", "", "wide"),
        ("", "Goodbye.", "MARA", "close_up"),  # the cue's name without its extension
        ("Mara lights the lamp.", "", "", "medium"),  # no shot type given: the rules choose
    ]
    system, user, prefix = model.calls[0]
    assert system == DIRECTOR and STORY in user and prefix == JSON_PREFIX
    assert run.repairs == () and run.rounds == ()


def test_a_fenced_reply_with_prose_and_trailing_commas_is_repaired_and_says_so() -> None:
    fenced = "Sure! Here is the storyboard:\n```json\n" + VALID[:-2] + ",]}\n```\nEnjoy."
    run = write_storyboard(STORY, ScriptedModel([fenced]))
    assert run.fallback is None and len(shots_of(run.plan)) == 3
    assert set(run.repairs) == {
        "removed code fences",
        "removed the text before the JSON",
        "removed the text after the JSON",
        "removed 1 trailing comma(s)",
    }
    assert any("its JSON was repaired" in w for w in run.plan.warnings)


def test_a_truncated_reply_loses_only_its_cut_off_last_shot() -> None:
    cut = VALID[: VALID.index("Mara lights") + 4]  # stops inside the third shot's action
    run = write_storyboard(STORY, ScriptedModel([cut]))
    assert run.fallback is None
    assert [len(s.shots) for s in run.plan.scenes] == [2]
    assert run.repairs == ("dropped the cut-off last item and closed 2 open bracket(s)",)


def test_a_reply_cut_inside_its_only_shot_keeps_the_text_it_has() -> None:
    run = write_storyboard(STORY, ScriptedModel(['{"scenes": [{"name": "Pier", "shots": [{"acti']))
    assert run.fallback is not None  # a key with no value: nothing to show
    run = write_storyboard(
        STORY, ScriptedModel(['{"scenes":[{"name":"Pier","shots":[{"action":"Mara wal'])
    )
    assert shots_of(run.plan) == [("Mara wal", "", "", "medium")]
    assert run.repairs == ("closed a cut-off string and closed 5 open bracket(s)",)


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("I cannot help with that.", "the reply held no JSON"),
        ('{"scenes": []}', "scenes: List should have at least 1 item"),
        ('{"scenes": [{"name": "Pier", "shots": [{"shot_type": "wide"}]}]}', "an action or a line"),
        (
            '{"scenes": [{"name": "P", "shots": [{"action": "x", "shot_type": "dutch"}]}]}',
            "shot_type",
        ),
        ("{'scenes': [}", "it stops being JSON at \"'scenes'"),
        ('{"scenes": [1 2]}', "not valid JSON (Expecting ',' delimiter"),
    ],
)
def test_an_unusable_storyboard_falls_back_to_the_rules_and_says_why(
    reply: str, reason: str
) -> None:
    run = write_storyboard(STORY, ScriptedModel([reply]))
    assert run.fallback is not None and reason in run.fallback
    assert "the model 'tiny-director' wrote was unusable" in run.fallback
    assert run.plan.mode == "freeform" and run.plan_draft is None
    assert run.final_draft == reply  # what the model wrote is kept, for the record
    assert run.plan.warnings[0].startswith("--mode ai read the text with the rules (freeform)")


def test_without_a_model_the_rules_read_the_text_and_the_run_says_why() -> None:
    screenplay = "INT. LIGHTHOUSE - NIGHT\n\nMara lights the lamp.\n\nMARA\nNot tonight.\n"
    run = write_storyboard(screenplay, None, no_model="no model in /models/storyboard")
    assert run.plan.mode == "screenplay" and run.fallback == "no model in /models/storyboard"
    assert run.model is None and run.rounds == ()


def test_a_story_too_long_for_the_model_is_read_by_the_rules() -> None:
    model = ScriptedModel([])
    run = write_storyboard("Mara waits. " * (MAX_STORY_CHARS // 10), model)
    assert run.fallback is not None and "reads at most" in run.fallback and model.calls == []


def test_rounds_are_director_then_critic_then_a_revision_and_every_text_is_kept() -> None:
    first = json.dumps({"scenes": [{"name": "Pier", "shots": [{"action": "Mara walks."}]}]})
    model = ScriptedModel(
        [first, "1. The lamp is missing. Score: 40", VALID, "Good. Score: 90", VALID]
    )
    run = write_storyboard(STORY, model, rounds=2)
    assert [system for system, _, _ in model.calls] == [
        DIRECTOR,
        CRITIC,
        DIRECTOR,
        CRITIC,
        DIRECTOR,
    ]
    assert first in model.calls[1][1] and STORY in model.calls[1][1]  # the critic reads the draft
    revision = model.calls[2][1]
    assert first in revision and "The lamp is missing" in revision  # the director reads both
    assert run.rounds == (
        {"round": 1, "draft": first, "critique": "1. The lamp is missing. Score: 40"},
        {"round": 2, "draft": VALID, "critique": "Good. Score: 90"},
    )
    assert run.final_draft == VALID and run.plan_draft == 3 and len(shots_of(run.plan)) == 3
    # Drafts stop when their JSON closes or breaks, within a cap that grows with the story.
    director = (MIN_DRAFT_TOKENS + len(STORY) * 3 // 4, storyboard_done)
    assert model.budgets == [director, (CRITIQUE_TOKENS, None)] * 2 + [director]


def test_when_the_last_revision_is_garbage_the_newest_usable_draft_is_the_plan() -> None:
    model = ScriptedModel([VALID, "Score: 20", '```json\n{"sce'])
    run = write_storyboard(STORY, model, rounds=1)
    assert run.fallback is None and run.plan_draft == 1 and len(shots_of(run.plan)) == 3
    assert any(w.startswith("draft 1 was used") for w in run.plan.warnings)


@pytest.mark.parametrize("rounds", [-1, MAX_ROUNDS + 1])
def test_rounds_outside_one_to_the_maximum_are_refused(rounds: int) -> None:
    with pytest.raises(InvalidValue, match="--rounds is 1 to"):
        write_storyboard(STORY, ScriptedModel([VALID]), rounds=rounds)


def test_text_no_mode_reads_is_refused_before_the_model_runs() -> None:
    model = ScriptedModel([VALID])
    with pytest.raises(ScriptUnreadable):
        write_storyboard("  \n", model)
    assert model.calls == []


def test_an_ai_plan_merges_like_any_import_and_records_its_rounds(studio: Studio) -> None:
    pid = studio.create_project("Pier")
    model = ScriptedModel([VALID, "Fine. Score: 80", VALID])
    run = write_storyboard(STORY, model, rounds=1)
    state = studio.project(pid).state
    preview = preview_view(run.plan, plan_changes(state, run.plan))
    assert preview["mode"] == "ai" and preview["changes"]["counts"]["shots_added"] == 3
    assert studio.project(pid).version == 1, "the preview records nothing"

    source = {"file": "pier.txt", "requested_mode": "ai"}
    result = studio.import_script(pid, run.plan, source=source, ai_storyboard=run.record())
    assert result.counts()["shots_added"] == 3
    event = list(studio.events.get(project_uuid(pid)))[-1]
    assert isinstance(event, ScriptImported) and event.source["mode"] == "ai"
    assert event.ai_storyboard is not None
    assert event.ai_storyboard["model"] == "tiny-director"
    assert event.ai_storyboard["rounds"] == [dict(r) for r in run.rounds]
    assert event.ai_storyboard["final_draft"] == VALID
    line = studio.history(pid)[-1]["summary"]
    assert "(ai)" in line and "1 director → critic round(s)" in line

    # The same storyboard again is the same beats: nothing changes, nothing is recorded.
    again = write_storyboard(STORY, ScriptedModel([VALID])).plan
    repeat = studio.import_script(pid, again, source=source)
    assert repeat.counts()["shots_added"] == 0 and repeat.counts()["shots_kept"] == 3
    assert studio.project(pid).version == 2
    studio.undo(pid)
    assert studio.project(pid).state.shots == {}


def test_imports_recorded_before_the_ai_storyboard_still_read(studio: Studio) -> None:
    pid = studio.create_project("Pier")
    studio.import_script(pid, write_storyboard(STORY, None).plan, source={"file": "a.txt"})
    event = list(studio.events.get(project_uuid(pid)))[-1]
    stored = studio.mapper.to_stored_event(event)
    state = json.loads(stored.state)
    del state["ai_storyboard"]  # as an older Milimo wrote it
    old = stored.__class__(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=json.dumps(state).encode(),
    )
    read = studio.mapper.to_domain_event(old)
    assert isinstance(read, ScriptImported) and read.ai_storyboard is None
    assert "imported a.txt (freeform)" in read.summary()
