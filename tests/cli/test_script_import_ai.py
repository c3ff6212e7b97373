"""`milimo script import --mode ai` as a user meets it: without a model it says so and reads
the text with the rules; with one (a tiny random model here) every draft and critique is
recorded, and garbage gives way to the rules."""

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.cli.test_script_import import NIGHT_TRAIN, project, version, write

STORY = "Mara runs for the night train.\n\nShe finds a seat by the window and falls asleep."


def test_without_a_model_ai_mode_says_so_and_falls_back_to_the_rules(
    milimo: Run, tmp_path: Path
) -> None:
    pid = project(milimo)
    script = write(tmp_path, NIGHT_TRAIN)
    preview = milimo("script", "import", pid, str(script), "--mode", "ai", "--dry-run", "--json")
    assert preview.code == 0, preview.err
    doc = preview.json()
    assert doc["mode"] == "fountain" and doc["requested_mode"] == "ai"
    assert "MILIMO_MODELS_DIR is not set" in doc["fallback"]
    assert doc["rounds"] == [] and doc["model"] is None
    assert {"name", "heading", "shots"} <= set(doc["scenes"][0])
    assert "--mode ai: no local language model" in preview.err
    assert version(milimo, pid) == 1, "a dry run records nothing"

    models = tmp_path / "models"
    models.mkdir()
    done = milimo(
        "script", "import", pid, str(script), "--mode", "ai", "--json",
        extra_env={"MILIMO_MODELS_DIR": str(models)},
    )  # fmt: skip
    assert done.code == 0, done.err
    assert done.json()["mode"] == "fountain" and done.json()["shots_added"] == 4
    assert str(models / "storyboard") in done.json()["fallback"]
    assert version(milimo, pid) == 2
    summary = milimo("history", pid, "--json").json()[-1]["summary"]
    assert "--mode ai fell back to the rules" in summary


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--mode", "ai", "--rounds", "0"), "--rounds is 1 to 5"),
        (("--mode", "ai", "--rounds", "6"), "--rounds is 1 to 5"),
        (("--mode", "ai", "--rounds", "two"), "invalid int value"),
        (("--mode", "fountain", "--rounds", "1"), "director → critic rounds of --mode ai"),
    ],
)
def test_bad_rounds_are_usage_errors_and_record_nothing(
    milimo: Run, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    pid = project(milimo)
    result = milimo("script", "import", pid, str(write(tmp_path, STORY, "story.txt")), *args)
    assert result.code == 2 and message in result.err and "Traceback" not in result.err
    assert version(milimo, pid) == 1


def test_the_tiny_model_runs_its_rounds_and_every_draft_and_critique_is_recorded(
    milimo: Run, tmp_path: Path
) -> None:
    pytest.importorskip("transformers")
    from tests.models.tiny_enhancer import build_tiny_enhancer

    build_tiny_enhancer(tmp_path / "models" / "storyboard")
    env = {"MILIMO_MODELS_DIR": str(tmp_path / "models"), "HF_HUB_OFFLINE": "1"}
    pid = project(milimo)
    story = write(tmp_path, STORY, "story.txt")
    args = ("script", "import", pid, str(story), "--mode", "ai", "--rounds", "1", "--json")
    result = milimo(*args, extra_env=env)
    assert result.code == 0, result.err
    doc = result.json()
    assert doc["mode"] == "freeform" and doc["model"] == "storyboard"
    assert "'storyboard' wrote was unusable" in doc["fallback"]
    assert "--mode ai: the storyboard the model 'storyboard' wrote was unusable" in result.err
    assert [r["round"] for r in doc["rounds"]] == [1] and doc["final_draft"].startswith("{")

    events = sqlite3.connect(tmp_path / "data" / "events.db").execute(
        "SELECT state FROM stored_events WHERE topic LIKE '%ScriptImported'"
    )
    (state,) = events.fetchone()
    recorded = json.loads(state)
    assert recorded["ai_storyboard"]["rounds"] == doc["rounds"]
    assert recorded["ai_storyboard"]["final_draft"] == doc["final_draft"]
    assert recorded["source"]["requested_mode"] == "ai"
    assert recorded["source"]["fallback"] == doc["fallback"]
    history = milimo("history", pid, "--json").json()
    assert "1 director → critic round(s)" in history[-1]["summary"]
