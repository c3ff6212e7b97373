"""The script editor in mode ai: the storyboard a language model writes is previewed with its
critic's rounds, and committed as the previewed plan; without a model the editor says it fell
back to the rules."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from textual.widgets import Select, Static, TextArea

from application.storyboard_ai import StoryboardRun, write_storyboard
from application.studio import project_uuid
from domain.project.events import ScriptImported
from tests.tui.conftest import World, settle
from tests.tui.test_storyboard import open_storyboard
from tui.screens.script_editor import ScriptEditorScreen

STORY = "Mara walks to the end of the pier.\n\nShe whispers goodbye to the sea."
BOARD = json.dumps(
    {
        "scenes": [
            {
                "name": "The pier",
                "heading": "EXT. PIER - DUSK",
                "shots": [
                    {"action": "Mara walks to the end of the pier.", "shot_type": "wide"},
                    {"dialogue": "Goodbye.", "character": "MARA", "shot_type": "close_up"},
                ],
            }
        ]
    }
)


@dataclass
class Director:
    """The LanguageModel port with chosen answers: the storyboard, and a critique."""

    name: str = "tiny-director"
    calls: list[str] = field(default_factory=list)

    def reply(
        self,
        system: str,
        user: str,
        prefix: str = "",
        max_new_tokens: int = 512,
        done: Callable[[str], bool] | None = None,
    ) -> str:
        self.calls.append(system)
        return "Keep the close-up. Score: 85" if "story editor" in system else BOARD


async def open_editor(world: World, pilot: object, app: object) -> ScriptEditorScreen:
    await open_storyboard(app, pilot, rows=0)  # type: ignore[arg-type]
    await pilot.press("e")  # type: ignore[attr-defined]
    await settle(pilot, lambda: isinstance(app.screen, ScriptEditorScreen))  # type: ignore[attr-defined]
    return app.screen  # type: ignore[attr-defined, no-any-return]


async def test_ai_mode_previews_the_models_storyboard_and_commits_that_very_plan(
    world: World,
) -> None:
    director = Director()

    def writer(text: str, rounds: int) -> StoryboardRun:
        return write_storyboard(text, director, rounds)

    world.services.write_storyboard = writer
    pid = world.milimo.studio.create_project("Pier")
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        editor = await open_editor(world, pilot, app)
        rounds = editor.query_one("#script-rounds", Select)
        assert rounds.disabled, "rounds belong to mode ai"
        editor.query_one(TextArea).load_text(STORY)
        editor.query_one("#script-mode", Select).value = "ai"
        await pilot.pause()
        assert not rounds.disabled
        rounds.value = 1
        await pilot.press("f5")
        preview = editor.query_one("#script-preview", Static)
        await settle(pilot, lambda: "Changes" in str(preview.render()))
        shown = str(preview.render())
        assert "AI storyboard by tiny-director (draft 2)" in shown
        assert "round 1 critic: Keep the close-up. Score: 85" in shown
        assert "read as ai: 1 scene(s), 2 shot(s)" in shown
        assert len(director.calls) == 3  # director, critic, director
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not isinstance(app.screen, ScriptEditorScreen))
        assert len(director.calls) == 3, "the commit imports the previewed storyboard"
    view = world.milimo.queries.project(pid)
    assert [(s["character"], s["shot_type"]) for s in view["shots"]] == [
        ("", "wide"),
        ("MARA", "close_up"),
    ]
    event = list(world.milimo.studio.events.get(project_uuid(pid)))[-1]
    assert isinstance(event, ScriptImported) and event.source["mode"] == "ai"
    assert event.source["requested_mode"] == "ai" and event.ai_storyboard is not None
    assert [r["critique"] for r in event.ai_storyboard["rounds"]] == [
        "Keep the close-up. Score: 85"
    ]


async def test_without_a_model_ai_mode_shows_the_fallback_and_imports_by_the_rules(
    world: World,
) -> None:
    pid = world.milimo.studio.create_project("Pier")
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        editor = await open_editor(world, pilot, app)
        editor.query_one(TextArea).load_text(STORY)
        editor.query_one("#script-mode", Select).value = "ai"
        await pilot.press("f5")
        preview = editor.query_one("#script-preview", Static)
        await settle(pilot, lambda: "Changes" in str(preview.render()))
        shown = str(preview.render())
        assert "AI storyboard fell back to the rules: no local language model" in shown
        assert "read as freeform: 1 scene(s), 2 shot(s)" in shown
        assert any(
            "AI storyboard: no local language model" in n.message for n in app._notifications
        )
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not isinstance(app.screen, ScriptEditorScreen))
    event = list(world.milimo.studio.events.get(project_uuid(pid)))[-1]
    assert isinstance(event, ScriptImported) and event.source["mode"] == "freeform"
    assert "no local language model" in event.source["fallback"]


async def test_ai_mode_rounds_changed_after_the_preview_are_previewed_before_the_commit(
    world: World,
) -> None:
    director = Director()
    world.services.write_storyboard = lambda text, rounds: write_storyboard(text, director, rounds)
    pid = world.milimo.studio.create_project("Pier")
    app = world.app(pid)
    async with app.run_test(size=(120, 36)) as pilot:
        editor = await open_editor(world, pilot, app)
        editor.query_one(TextArea).load_text(STORY)
        editor.query_one("#script-mode", Select).value = "ai"
        await pilot.press("f5")
        preview = editor.query_one("#script-preview", Static)
        await settle(pilot, lambda: "Changes" in str(preview.render()))
        assert len(director.calls) == 1 and "round 1" not in str(preview.render())
        editor.query_one("#script-rounds", Select).value = 1
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "round 1 critic" in str(preview.render()))
        assert isinstance(app.screen, ScriptEditorScreen), "the critic's storyboard was unseen"
        assert len(director.calls) == 1 + 3  # director, critic, director
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not isinstance(app.screen, ScriptEditorScreen))
        assert len(director.calls) == 4, "the commit imports the previewed storyboard"
    event = list(world.milimo.studio.events.get(project_uuid(pid)))[-1]
    assert isinstance(event, ScriptImported) and event.ai_storyboard is not None
    assert len(event.ai_storyboard["rounds"]) == 1
