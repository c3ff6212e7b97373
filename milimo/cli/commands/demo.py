"""milimo demo: the main job on the embedded default, from screenplay to film.

A short screenplay written for Milimo (milimo/demo/the_keeper.fountain: four scenes, two
characters, dialogue, one long take) is imported into a new project with its elements; every shot
is generated (the animatic backend unless weights are configured), the timeline rendered to one
file and exported to OTIO; the paths, a one-screen summary and the audit are printed.
"""

import argparse
import time
from pathlib import Path
from typing import Any

from milimo.cli.context import Context

DESCRIPTIONS = {
    "Mara": "a lighthouse keeper in her sixties, grey braid, oilskin coat",
    "Jonah": "a young coastguard in a dripping yellow slicker",
    "Lighthouse": "a white stone tower on black rocks above a grey sea",
    "Lamp Room": "a round glass room around a great brass-framed lens",
    "Lighthouse Stairs": "a narrow iron spiral staircase inside whitewashed walls",
}


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common], help="the main job, end to end")
    p.set_defaults(handler=demo)


def demo(ctx: Context) -> int:
    from milimo.demo import screenplay

    say = (lambda _: None) if ctx.json else ctx.note
    started = time.perf_counter()
    studio = ctx.studio
    pid = studio.create_project(f"The Keeper {time.strftime('%Y-%m-%d %H:%M:%S')}")
    say(f"created project {pid}")
    studio.define_style(
        pid, "storm light", prompt_additions="cold blue dusk light, 35mm film grain, slow camera"
    )
    studio.change_settings(pid, style="storm light")

    imported = import_screenplay(ctx, pid, screenplay())
    say(
        f"imported the screenplay: {imported['scenes_added']} scenes, "
        f"{imported['shots_added']} shots, {imported['elements_added']} elements"
    )
    state = studio.project(pid).state
    for element in state.elements.values():
        if element.name in DESCRIPTIONS:
            studio.change_element(pid, element.id, description=DESCRIPTIONS[element.name])
    opening = state.ordered_scenes()[0]
    first = state.scene_shots(opening.id)[0]
    studio.trim_shot(pid, first.id, 0, 8)
    undone = studio.undo(pid)
    studio.redo(pid)
    say(f"described the elements, trimmed the opening shot (undone and redone: v{undone})")

    from milimo.cli.commands.jobs import wait_for
    from milimo.wiring import engine

    eng = engine(ctx.milimo)
    job_ids = eng.generate(pid, [], all_shots=True)
    say(f"generating {len(job_ids)} shots in the background worker…")
    jobs = wait_for(ctx, job_ids)
    failed = [j for j in jobs if j["status"] != "completed"]
    if failed:
        for job in failed:
            ctx.note(f"milimo: job {job['id'][:8]} {job['status']}: {job.get('error')}")
        return 1

    from application.render_request import request_render

    say("rendering the timeline…")
    [render] = wait_for(ctx, [request_render(eng, pid)])
    if render["status"] != "completed":
        ctx.note(f"milimo: render {render['status']}: {render.get('error')}")
        return 1

    from infrastructure.timeline_export import export_timeline

    state = studio.project(pid).state
    folder = Path(render["output"]["path"]).parent.parent / "exports"
    exported = export_timeline(state, pid, folder / "the-keeper.otio", "otio")

    view = ctx.queries.project(pid)
    audit = audit_lines(ctx, pid)
    result = {
        "project": pid,
        "render": render["output"]["path"],
        "otio": str(exported.path),
        "sidecar": render["output"].get("sidecar"),
        "version": view["version"],
        "scenes": len(view["scenes"]),
        "shots": len(view["shots"]),
        "elements": [e["name"] for e in view["elements"]],
        "total_frames": view["total_frames"],
        "render_frames": render["output"].get("frames"),
        "jobs": [{"id": j["id"], "shot_id": j["shot_id"], "status": j["status"]} for j in jobs],
        "takes": [t["path"] for shot in view["shots"] for t in shot["takes"]],
        "audit": audit,
        "seconds": round(time.perf_counter() - started, 3),
    }
    ctx.emit(result, summary(view, result))
    return 0


def import_screenplay(ctx: Context, pid: str, text: str) -> dict[str, Any]:
    from application.script_import import import_view
    from domain.script import match_elements, parse_script

    state = ctx.studio.project(pid).state
    plan = match_elements(parse_script(text), state.elements.values())
    source = {"file": "the_keeper.fountain", "requested_mode": "auto"}
    return import_view(pid, ctx.studio.import_script(pid, plan, False, source))


def audit_lines(ctx: Context, pid: str) -> list[dict[str, Any]]:
    from application.job_view import audit_entry

    return [audit_entry(j) for j in ctx.queries.jobs(pid)]


def summary(view: dict[str, Any], result: dict[str, Any]) -> str:
    fps = view["fps"]
    lines = [
        f"{view['name']}  ({view['id']})",
        f"{result['scenes']} scenes, {result['shots']} shots, "
        f"{view['total_frames']} frames = {view['total_frames'] / fps:.1f} s at {fps} fps, "
        f"{view['width']}x{view['height']}",
        f"elements: {', '.join(result['elements'])}",
        "",
    ]
    scenes = {s["id"]: s for s in view["scenes"]}
    for shot in view["shots"]:
        scene = scenes.get(shot["scene_id"], {}).get("name", "")
        said = f'{shot["character"]}: "{shot["dialogue"]}"'
        text = said if shot["dialogue"] else shot["action"]
        lines.append(
            f"  {scene[:18]:<18} {shot['shot_type']:<12} {shot['visible_frames']:>4}f  {text[:52]}"
        )
    lines += ["", "audit (every generation, all inputs: `milimo audit --json`):"]
    for entry in result["audit"]:
        r = entry["request"]
        lines.append(
            f"  {entry['job_id'][:8]} {entry['status']:<9} {r.get('kind', ''):<6} "
            f"{r.get('backend')} seed {r.get('seed', '-')} {r.get('width')}x{r.get('height')} "
            f"{r.get('num_frames', '-')}f"
            + (f" in {len(r['segments'])} segments" if r.get("segments") else "")
        )
    lines += [
        "",
        f"render  {result['render']}  ({result['render_frames']} frames)",
        f"otio    {result['otio']}",
        f"took {result['seconds']:.0f} s; see `milimo history {view['id'][:8]}`",
    ]
    return "\n".join(lines)
