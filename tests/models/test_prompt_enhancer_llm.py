"""The local-LM prompt enhancer on a tiny random model: it runs, cleans, and falls back."""

from pathlib import Path

import pytest

from application.engine.enhance_rules import RuleBasedEnhancer
from models.catalog import ModelCatalog
from models.enhance.cleaning import clean, unusable
from models.enhance.llm import LocalLMEnhancer, load

pytest.importorskip("transformers")

CONTEXT = {"shot_type": "wide", "heading": "EXT. PIER - DUSK", "character": "MARA", "style": ""}
PROMPT = "wide shot. Mara walks to the end of the pier"


@pytest.fixture(scope="module")
def enhancer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.models.tiny_enhancer import build_tiny_enhancer

    return build_tiny_enhancer(tmp_path_factory.mktemp("models") / "enhancer")


def test_a_reply_is_cleaned_to_its_first_paragraph_without_roles_or_quotes() -> None:
    reply = (
        "<|im_start|>assistant\n<think>plan the shot</think>\n"
        'Enhanced prompt: "Mara walks slowly to the end of the pier at dusk."\n\n'
        "Note: I kept the character.<|im_end|>"
    )
    assert clean(reply) == "Mara walks slowly to the end of the pier at dusk."
    assert clean("assistant\n\n**A wide shot of the pier.**") == "A wide shot of the pier."
    assert clean("") == ""


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("Mara walks.", "2 words"),
        ("Ġ{}#@ Ċ%&$ ^^^ ~~~ Mara walks to the pier", "not prose"),
        ("Mara pier pier pier pier pier pier pier pier pier", "repeated 'pier'"),
        ("A woman walks slowly to the end of the pier at dusk.", "character MARA"),
    ],
)
def test_garbage_replies_are_named_unusable(text: str, reason: str) -> None:
    problem = unusable(text, CONTEXT)
    assert problem is not None and reason in problem


def test_a_good_reply_is_usable() -> None:
    good = "Mara walks slowly to the end of the pier as the sun sets behind her."
    assert unusable(good, CONTEXT) is None


def test_the_tiny_model_runs_once_per_process_and_its_garbage_gives_way_to_the_rules(
    enhancer_dir: Path,
) -> None:
    load.cache_clear()
    enhancer = LocalLMEnhancer(enhancer_dir, max_new_tokens=12)
    first = enhancer.enhance(PROMPT, CONTEXT)
    second = enhancer.enhance(PROMPT, CONTEXT)
    assert load.cache_info().misses == 1 and load.cache_info().hits >= 1
    rules = RuleBasedEnhancer().enhance(PROMPT, CONTEXT)
    assert (first.text, first.enhancer, first.model) == (rules.text, "rules", "rules-1")
    assert first.fallback is not None and "enhancer was unusable" in first.fallback
    assert first.text == second.text and first.fallback == second.fallback  # greedy decoding
    assert first.seconds > 0


def test_a_tokenizer_without_a_chat_template_gets_a_plain_prompt(tmp_path: Path) -> None:
    from tests.models.tiny_enhancer import build_tiny_enhancer

    folder = build_tiny_enhancer(tmp_path / "enhancer", chat_template=False)
    result = LocalLMEnhancer(folder, max_new_tokens=8).enhance(PROMPT, CONTEXT)
    assert result.fallback is not None and "unusable" in result.fallback


def test_the_catalog_serves_the_model_only_when_an_enhancer_folder_holds_one(
    tmp_path: Path, enhancer_dir: Path
) -> None:
    from milimo.wiring import prompt_enhancer

    assert ModelCatalog(None).enhancer() is None
    (tmp_path / "enhancer").mkdir()
    assert ModelCatalog(tmp_path).enhancer() is None  # an empty folder is not a model
    assert isinstance(prompt_enhancer(ModelCatalog(tmp_path)), RuleBasedEnhancer)
    chosen = prompt_enhancer(ModelCatalog(enhancer_dir.parent))
    assert isinstance(chosen, LocalLMEnhancer) and chosen.model_dir == enhancer_dir
    assert ModelCatalog(enhancer_dir.parent).available()["enhancer"] == str(enhancer_dir)
