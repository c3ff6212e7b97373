"""Importing a screenplay's plan: the merge's changes, recorded as one ScriptImported event."""

from typing import Any

from domain.project.changes import diff
from domain.project.core import ProjectCore
from domain.project.events import ScriptImported
from domain.project.script_merge import merge_script
from domain.project.script_result import ImportResult
from domain.script.plan import ScriptPlan


class ScriptCommands(ProjectCore):
    def import_script(
        self,
        actor: str,
        plan: ScriptPlan,
        prune: bool = False,
        source: dict[str, Any] | None = None,
        ai_storyboard: dict[str, Any] | None = None,
    ) -> ImportResult:
        """Merge `plan` into the project; records nothing when it changes nothing.

        `ai_storyboard`: what the model did to write the plan (drafts, critiques), recorded."""
        new_state, result = merge_script(self.state, plan, prune)
        changes = diff(self.state, new_state)
        if changes:
            self.trigger_event(
                ScriptImported,
                actor=actor,
                source={**(source or {}), "mode": plan.mode},
                counts=result.counts(),
                prune=prune,
                changes=changes,
                ai_storyboard=ai_storyboard,
            )
        return result
