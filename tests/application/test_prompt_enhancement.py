"""Prompt enhancement: the rules, the fallback, and what GenerationRequested records."""

from pathlib import Path
from typing import Any

import pytest

from application.engine.engine import Engine
from application.engine.enhance_rules import RuleBasedEnhancer, setting
from application.engine.enhancement import FallbackEnhancer
from application.engine.ports import EnhancedPrompt
from application.studio import Studio
from tests.application.engine_fakes import FakeCatalog, RecordingDispatcher, TempMedia

STAIRS = {
    "shot_type": "close_up",
    "heading": "INT. LIGHTHOUSE STAIRS - NIGHT",
    "character": "MARA",
    "action": "Mara grips the rail",
    "dialogue": "Who's there?",
    "style": "35mm film grain",
}
COMPOSED = 'close-up shot. Mara grips the rail. MARA says: "Who\'s there?" 35mm film grain'


def test_the_rules_give_one_deterministic_paragraph_with_the_shots_own_content() -> None:
    first = RuleBasedEnhancer().enhance(COMPOSED, STAIRS)
    second = RuleBasedEnhancer().enhance(COMPOSED, STAIRS)
    assert first.text == second.text
    assert (first.enhancer, first.model, first.fallback) == ("rules", "rules-1", None)
    text = first.text
    assert "\n" not in text and "  " not in text
    assert "Mara grips the rail" in text and 'MARA says: "Who\'s there?"' in text
    assert "at night" in text and "Inside Lighthouse Stairs" in text
    assert "pushes in slowly" in text  # the close-up's camera
    assert text.endswith("35mm film grain.")  # the style comes last, once
    assert text.count("35mm film grain") == 1
    assert not text.lower().startswith("close-up shot.")


def test_the_rules_never_pass_notes_on_nor_invent_a_time_of_day() -> None:
    context = {"shot_type": "wide", "heading": "EXT. HARBOUR", "character": ""}
    text = (
        RuleBasedEnhancer()
        .enhance("wide shot. boats rock [[fix the boats]] /* cut */", context)
        .text
    )
    assert "[[" not in text and "fix the boats" not in text and "cut" not in text
    assert "boats rock." in text and "Outside, at Harbour." in text
    for time_word in ("night", "dusk", "dawn", "daylight", "morning"):
        assert time_word not in text.lower()


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("EXT. BEACH -- DAWN", "Outside, at Beach, at dawn, in cool early light."),
        ("I/E. CAR - DAY", "Between inside and outside, at Car, in natural daylight."),
        ("INT. KITCHEN - CONTINUOUS", "Inside Kitchen."),
        ("the stairs", ""),
        ("", ""),
    ],
)
def test_a_scene_heading_gives_the_setting_and_its_light(heading: str, expected: str) -> None:
    assert setting(heading) == expected


class Exploding:
    def enhance(self, prompt: str, context: dict[str, Any]) -> EnhancedPrompt:
        raise RuntimeError("the model is on fire")


def test_an_enhancer_that_raises_gives_way_to_the_rules_and_says_why() -> None:
    result = FallbackEnhancer(Exploding()).enhance(COMPOSED, STAIRS)
    assert result.text == RuleBasedEnhancer().enhance(COMPOSED, STAIRS).text
    assert result.enhancer == "rules"
    assert result.fallback is not None and "RuntimeError: the model is on fire" in result.fallback


class Catalog(FakeCatalog):
    def max_frames(self, backend: str) -> int | None:
        return None


class Rig:
    def __init__(self, tmp_path: Path, enhancer: Any = None):
        self.studio = Studio(env={}, actor="ana@gpu-box")
        self.engine = Engine(
            self.studio, Catalog(), TempMedia(tmp_path), RecordingDispatcher(), enhancer
        )
        self.pid = self.studio.create_project("Lighthouse")
        self.scene = self.studio.add_scene(
            self.pid, "Stairs", heading="INT. LIGHTHOUSE STAIRS - NIGHT"
        )
        self.shot = self.studio.add_shot(
            self.pid, self.scene, action="Mara climbs", character="MARA", shot_type="medium"
        )

    def request(self) -> dict[str, Any]:
        (job_id,) = self.engine.generate(self.pid, [self.shot])
        return self.studio.job(job_id).request


def test_generation_requested_records_the_original_composed_and_enhanced_prompts(
    tmp_path: Path,
) -> None:
    rig = Rig(tmp_path)
    request = rig.request()
    assert request["original_prompt"] == "Mara climbs"
    assert request["composed_prompt"].startswith("medium shot. Mara climbs")
    assert request["prompt"] != request["composed_prompt"]
    assert "Mara climbs" in request["prompt"] and "at night" in request["prompt"]
    enhancer = request["enhancer"]
    assert (enhancer["name"], enhancer["model"], enhancer["fallback"]) == ("rules", "rules-1", None)
    assert enhancer["seconds"] >= 0


def test_a_shot_without_enhancement_sends_its_composed_prompt_as_it_is(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    rig.studio.change_shot(rig.pid, rig.shot, enhance_prompt="false")
    request = rig.request()
    assert request["enhancer"] is None
    assert request["prompt"] == request["composed_prompt"]
    assert request["prompt"].startswith("medium shot. Mara climbs")


def test_a_failing_enhancer_never_blocks_the_generation(tmp_path: Path) -> None:
    rig = Rig(tmp_path, enhancer=Exploding())
    request = rig.request()
    assert request["enhancer"]["name"] == "rules"
    assert "the model is on fire" in request["enhancer"]["fallback"]
    assert "Mara climbs" in request["prompt"]
