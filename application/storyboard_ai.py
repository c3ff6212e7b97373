"""Free text into scenes and shots by a local language model: `script import --mode ai`.

The director (the model, prompted as one) drafts a storyboard as JSON; with `rounds`, the critic
(the same model, prompted as a story editor) critiques the draft and the director revises it,
round after round — Ad Mint AI's master mode. The plan is the newest draft that validates after
repair (storyboard_json.py). Without a model, with a text too long for one, or when no draft is
usable, the text is read by the rule-based parser instead and the run says why: the import never
depends on the model behaving.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from application.storyboard_json import StoryboardUnusable, read_storyboard, storyboard_done
from domain.errors import InvalidValue
from domain.project.shot import SHOT_TYPES
from domain.script import parse_script
from domain.script.input_checks import checked_text
from domain.script.plan import ScriptPlan
from domain.script.storyboard import storyboard_plan

MAX_ROUNDS = 5
# Token caps: a storyboard's JSON runs to about three times the story's tokens (its text again,
# plus the keys), about 3/4 of a token a character; a critique is a few short points.
MIN_DRAFT_TOKENS, MAX_DRAFT_TOKENS = 256, 8192
CRITIQUE_TOKENS = 300
# About 2,500 tokens of story: what a small local model reads, and plans, well in one go.
MAX_STORY_CHARS = 10_000
# The reply starts with this, so the model writes the storyboard and nothing before it.
JSON_PREFIX = '{"scenes": ['
SCHEMA = (
    '{"scenes": [{"name": "a short scene name", "heading": "INT. PLACE - TIME", "shots": '
    '[{"action": "what the camera sees", "dialogue": "the line spoken, or empty", '
    '"character": "WHO SPEAKS, or empty", "shot_type": "' + " | ".join(SHOT_TYPES) + '"}]}]}'
)
DIRECTOR = (
    "You are a film director breaking a story into a storyboard for a video model. Plan its "
    "scenes in story order and, in each, one shot per visible action or spoken line. Keep every "
    "character and line of dialogue the story has; invent nothing that contradicts it. Reply "
    f"with JSON only, exactly in this shape:\n{SCHEMA}"
)
CRITIC = (
    "You are a story editor reviewing a director's storyboard against the story it tells. In at "
    "most five short points, say what is missing, out of order, invented or badly framed, then "
    "give a score from 0 to 100 as `Score: N`. Reply with the critique only."
)


class LanguageModel(Protocol):
    """A local instruction-following text model (models/storyboard/ serves a causal LM)."""

    # The model's folder name, recorded with the import.
    name: str

    def reply(
        self,
        system: str,
        user: str,
        prefix: str = "",
        max_new_tokens: int = 512,
        done: Callable[[str], bool] | None = None,
    ) -> str:
        """The model's answer to `user`: it starts with `prefix`, which the model continues,
        for at most `max_new_tokens`, or until `done(answer so far)` holds."""
        ...


@dataclass(frozen=True)
class StoryboardRun:
    """What `--mode ai` did: the plan, who wrote it, every draft and critique, any fallback."""

    plan: ScriptPlan
    model: str | None = None
    # [{"round", "draft", "critique"}, ...]: each draft the critic read, and its critique.
    rounds: tuple[dict[str, Any], ...] = ()
    # The director's last draft (after the last round's critique, if any).
    final_draft: str = ""
    # Which draft the plan is: 1 for the first, len(rounds) + 1 for the final one; None: rules.
    plan_draft: int | None = None
    repairs: tuple[str, ...] = ()
    fallback: str | None = None

    def record(self) -> dict[str, Any]:
        """What the ScriptImported event keeps of the run."""
        return {
            "model": self.model,
            "rounds": [dict(r) for r in self.rounds],
            "final_draft": self.final_draft,
            "plan_draft": self.plan_draft,
            "repairs": list(self.repairs),
            "fallback": self.fallback,
        }

    def view(self) -> dict[str, Any]:
        """The fields `script import --mode ai --json` adds to the import's document."""
        return {"requested_mode": "ai", **self.record()}


def checked_rounds(rounds: int | None) -> int:
    if rounds is None:
        return 0
    if not 1 <= rounds <= MAX_ROUNDS:
        raise InvalidValue(f"--rounds is 1 to {MAX_ROUNDS} director → critic rounds: got {rounds}")
    return rounds


def director_message(text: str) -> str:
    return f"Story:\n{text}\n\nWrite the storyboard."


def critic_message(text: str, draft: str) -> str:
    return f"Story:\n{text}\n\nThe director's storyboard:\n{draft}"


def revision_message(text: str, draft: str, critique: str) -> str:
    return (
        f"Story:\n{text}\n\nYour storyboard:\n{draft}\n\nThe critique:\n{critique}\n\n"
        "Revise the storyboard to answer the critique; reply with the whole storyboard."
    )


def _by_rules(text: str, reason: str, **ran: Any) -> StoryboardRun:
    plan = parse_script(text, mode="auto")
    note = f"--mode ai read the text with the rules ({plan.mode}): {reason}"
    plan = plan.replace(warnings=(note, *plan.warnings))
    return StoryboardRun(plan=plan, fallback=reason, **ran)


@dataclass
class _Drafts:
    model: LanguageModel
    text: str
    rounds: list[dict[str, Any]] = field(default_factory=list)

    def draft(self, message: str) -> str:
        budget = min(MAX_DRAFT_TOKENS, MIN_DRAFT_TOKENS + len(self.text) * 3 // 4)
        return self.model.reply(DIRECTOR, message, JSON_PREFIX, budget, storyboard_done)

    def run(self, rounds: int) -> str:
        draft = self.draft(director_message(self.text))
        for number in range(1, rounds + 1):
            message = critic_message(self.text, draft)
            critique = self.model.reply(CRITIC, message, max_new_tokens=CRITIQUE_TOKENS).strip()
            self.rounds.append({"round": number, "draft": draft, "critique": critique})
            draft = self.draft(revision_message(self.text, draft, critique))
        return draft


def write_storyboard(
    text: str, model: LanguageModel | None, rounds: int = 0, no_model: str = ""
) -> StoryboardRun:
    """The plan of `text` by `model` in `rounds` director → critic rounds, or by the rules.

    Raises ScriptUnreadable for text no mode can read (empty, binary), as any import does.
    """
    text = checked_text(text)
    rounds = checked_rounds(rounds) if rounds else 0
    if model is None:
        return _by_rules(text, no_model or "no local language model is installed")
    if len(text) > MAX_STORY_CHARS:
        return _by_rules(
            text,
            f"the text has {len(text):,} characters and the model {model.name!r} reads at most "
            f"{MAX_STORY_CHARS:,}; split it, or import a screenplay",
            model=model.name,
        )
    drafts = _Drafts(model, text)
    final = drafts.run(rounds)
    ran: dict[str, Any] = {
        "model": model.name,
        "rounds": tuple(drafts.rounds),
        "final_draft": final,
    }
    newest_first = [(len(drafts.rounds) + 1, final)] + [
        (r["round"], r["draft"]) for r in reversed(drafts.rounds)
    ]
    reasons = []
    for number, draft in newest_first:
        try:
            board, repairs = read_storyboard(draft)
        except StoryboardUnusable as error:
            reasons.append(str(error))
            continue
        warnings = [f"the model {model.name!r} wrote this storyboard (--mode ai)"]
        if number != newest_first[0][0]:
            warnings.append(f"draft {number} was used: {reasons[0]}")
        if repairs:
            warnings.append("its JSON was repaired: " + "; ".join(repairs))
        plan = storyboard_plan(board, tuple(warnings))
        return StoryboardRun(plan=plan, plan_draft=number, repairs=tuple(repairs), **ran)
    unusable = f"the storyboard the model {model.name!r} wrote was unusable: {reasons[0]}"
    return _by_rules(text, unusable, **ran)
