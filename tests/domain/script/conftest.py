from pathlib import Path

from domain.script.plan import PlannedShot, ScriptPlan

SCREENPLAYS = Path(__file__).parents[2] / "fixtures" / "screenplays"


def screenplay(name: str) -> str:
    return (SCREENPLAYS / name).read_bytes().decode("utf-8")


def shots(plan: ScriptPlan) -> list[PlannedShot]:
    return [shot for scene in plan.scenes for shot in scene.shots]


def every_text(plan: ScriptPlan) -> str:
    """Everything the plan carries onward, as one string."""
    return plan.model_dump_json()
