"""The AI storyboard on a tiny random causal LM: the real prompt, generation and repair run end
to end; random weights write garbage, which the repair refuses and the rules replace."""

from pathlib import Path

import pytest

from application.storyboard_ai import DIRECTOR, JSON_PREFIX, write_storyboard
from application.storyboard_json import storyboard_done
from milimo.wiring import storyboard_writer
from models.catalog import ModelCatalog
from models.enhance.llm import load
from models.storyboard.llm import LocalLMWriter

pytest.importorskip("transformers")

STORY = "Mara walks to the end of the pier at dusk.\n\nShe waves at the boat leaving the harbour."


@pytest.fixture(scope="module")
def writer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.models.tiny_enhancer import build_tiny_enhancer

    return build_tiny_enhancer(tmp_path_factory.mktemp("models") / "storyboard")


def test_the_tiny_model_drafts_and_critiques_and_its_garbage_gives_way_to_the_rules(
    writer_dir: Path,
) -> None:
    load.cache_clear()
    writer = LocalLMWriter(writer_dir, token_cap=24)
    run = write_storyboard(STORY, writer, rounds=1)
    again = write_storyboard(STORY, writer, rounds=1)
    assert load.cache_info().misses == 1, "the model loads once per process"
    assert run.model == "storyboard" and len(run.rounds) == 1
    assert run.rounds[0]["draft"].startswith(JSON_PREFIX) and run.final_draft.startswith(
        JSON_PREFIX
    )
    assert run.rounds[0]["critique"] == again.rounds[0]["critique"]  # greedy decoding
    assert run.fallback is not None and "'storyboard' wrote was unusable" in run.fallback
    assert run.plan.mode == "freeform" and len(run.plan.scenes[0].shots) == 2


def test_a_draft_stops_where_its_json_breaks_not_at_its_token_cap(writer_dir: Path) -> None:
    writer = LocalLMWriter(writer_dir)
    draft = writer.reply(DIRECTOR, STORY, JSON_PREFIX, max_new_tokens=2000, done=storyboard_done)
    assert draft.startswith(JSON_PREFIX) and storyboard_done(draft)
    assert len(draft) < 200


def test_a_tokenizer_without_a_chat_template_gets_a_plain_prompt(tmp_path: Path) -> None:
    from tests.models.tiny_enhancer import build_tiny_enhancer

    folder = build_tiny_enhancer(tmp_path / "enhancer", chat_template=False)
    reply = LocalLMWriter(folder).reply("Direct.", STORY, prefix="{", max_new_tokens=8)
    assert reply.startswith("{") and len(reply) > 1


def test_the_storyboard_folder_is_preferred_and_the_enhancer_serves_without_one(
    tmp_path: Path, writer_dir: Path
) -> None:
    from tests.models.tiny_enhancer import build_tiny_enhancer

    assert storyboard_writer(ModelCatalog(None)) is None
    (tmp_path / "storyboard").mkdir()  # an empty folder is not a model
    assert storyboard_writer(ModelCatalog(tmp_path)) is None
    enhancer = build_tiny_enhancer(tmp_path / "enhancer")
    assert ModelCatalog(tmp_path).storyboard_writer() == enhancer
    chosen = storyboard_writer(ModelCatalog(writer_dir.parent))
    assert isinstance(chosen, LocalLMWriter) and chosen.model_dir == writer_dir
    assert ModelCatalog(writer_dir.parent).available()["storyboard"] == str(writer_dir)
