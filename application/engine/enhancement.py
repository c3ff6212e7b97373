"""Prompt enhancement as a generation request records it; it never stops a generation."""

from dataclasses import replace
from typing import Any

from application.engine.enhance_rules import RuleBasedEnhancer
from application.engine.ports import EnhancedPrompt, PromptEnhancer
from domain.project.shot import Shot
from domain.project.state import ProjectState


class FallbackEnhancer:
    """The primary enhancer (a local model), and the rules whenever it raises."""

    def __init__(self, primary: PromptEnhancer, fallback: PromptEnhancer | None = None):
        self.primary = primary
        self.fallback = fallback or RuleBasedEnhancer()

    def enhance(self, prompt: str, context: dict[str, Any]) -> EnhancedPrompt:
        try:
            return self.primary.enhance(prompt, context)
        except Exception as error:
            result = self.fallback.enhance(prompt, context)
            reason = f"{type(error).__name__}: {error}"
            return replace(result, fallback=f"the enhancer failed ({reason[:300]})")


def enhancement_context(state: ProjectState, shot: Shot) -> dict[str, Any]:
    scene = state.scenes.get(shot.scene_id)
    style = state.styles.get(state.settings.style) if state.settings.style else None
    return {
        "shot_type": shot.shot_type,
        "heading": (scene.heading or scene.name) if scene else "",
        "character": shot.character,
        "action": shot.action,
        "dialogue": shot.dialogue,
        "style": style.prompt_additions if style else "",
    }


def enhanced_fields(
    composed: str, shot: Shot, state: ProjectState, enhancer: PromptEnhancer | None
) -> dict[str, Any]:
    """The request's `prompt`, `composed_prompt` and `enhancer` for a shot."""
    if not shot.enhance_prompt or enhancer is None:
        return {"prompt": composed, "composed_prompt": composed, "enhancer": None}
    result = FallbackEnhancer(enhancer).enhance(composed, enhancement_context(state, shot))
    text = result.text.strip() or composed
    return {
        "prompt": text,
        "composed_prompt": composed,
        "enhancer": {
            "name": result.enhancer,
            "model": result.model,
            "seconds": result.seconds,
            "fallback": result.fallback,
        },
    }
