"""milimo demo: the main job on the embedded default, end to end.

A short film's project, scenes and shots, the magnetic timeline, trims, a split, undo and redo,
a branch, the history, and a take for every shot from the animatic backend (the embedded
worker). Render and export arrive with the film features.
"""

import argparse
import time
from typing import Any

from milimo.cli.context import Context
from milimo.cli.render_text import project_text

SCENES: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "The Lighthouse",
        "EXT. LIGHTHOUSE - DUSK",
        [
            {
                "action": "Waves break against the rocks below a lonely lighthouse.",
                "shot_type": "establishing",
                "num_frames": 97,
            },
            {
                "action": "MARA climbs the spiral stairs, lantern in hand.",
                "character": "MARA",
                "shot_type": "tracking",
            },
        ],
    ),
    (
        "The Lamp Room",
        "INT. LAMP ROOM - NIGHT",
        [
            {
                "action": "Mara wipes salt from the great lens.",
                "character": "MARA",
                "shot_type": "medium",
                "num_frames": 73,
            },
            {
                "dialogue": "Someone has to keep it burning.",
                "character": "MARA",
                "shot_type": "close_up",
                "num_frames": 49,
            },
        ],
    ),
]


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common], help="the main job, end to end")
    p.set_defaults(handler=demo)


def demo(ctx: Context) -> None:
    studio = ctx.studio
    say = (lambda _: None) if ctx.json else ctx.note
    started = time.perf_counter()
    pid = studio.create_project(f"Lighthouse demo {time.strftime('%Y-%m-%d %H:%M:%S')}")
    say(f"created project {pid}")
    studio.define_style(pid, "noir", prompt_additions="high-contrast black and white, 35mm grain")
    studio.change_settings(pid, style="noir")
    studio.define_element(
        pid, "Mara", "character", description="a keeper in her sixties, oilskin coat"
    )
    shots: list[str] = []
    for name, heading, beats in SCENES:
        scene = studio.add_scene(pid, name, heading=heading)
        for beat in beats:
            shots.append(studio.add_shot(pid, scene, prompt=beat.get("action", ""), **beat))
    say(f"added {len(SCENES)} scenes and {len(shots)} shots on the magnetic V1 track")
    studio.trim_shot(pid, shots[0], 8, 16)
    second = studio.split_shot(pid, shots[1], 60)
    studio.change_shot(pid, second, prompt="Mara reaches the top; the lamp room door creaks open")
    say("trimmed the opening shot, split the stair climb in two, re-prompted the second half")
    studio.add_shot(
        pid,
        studio.project(pid).state.ordered_scenes()[1].id,
        track="A1",
        start_frame=0,
        action="Sea wind and distant gulls",
        num_frames=241,
    )
    studio.trim_shot(pid, shots[2], 0, 24)
    undone = studio.undo(pid)
    redone = studio.redo(pid)
    say(f"undid and redid v{undone}")
    version = studio.project(pid).version
    branch = studio.branch(pid, version - 2, "Lighthouse (alternate cut)")
    say(f"branched an alternate cut at v{version - 2}: {branch}")
    from milimo.cli.commands.jobs import wait_for
    from milimo.wiring import engine

    job_ids = engine(ctx.milimo).generate(pid, [], all_shots=True)
    say(f"generating {len(job_ids)} animatic takes in the background worker…")
    jobs = wait_for(ctx, job_ids)
    done = sum(1 for j in jobs if j["status"] == "completed")
    say(f"{done} of {len(jobs)} takes generated")
    view = ctx.queries.project(pid)
    history = ctx.queries.history(pid)
    result = {
        "project": pid,
        "branch": branch,
        "version": view["version"],
        "total_frames": view["total_frames"],
        "shots": len(view["shots"]),
        "history": len(history),
        "undone": undone,
        "redone": redone,
        "jobs": [{"id": j["id"], "shot_id": j["shot_id"], "status": j["status"]} for j in jobs],
        "takes": [t["path"] for shot in view["shots"] for t in shot["takes"]],
        "seconds": round(time.perf_counter() - started, 3),
    }
    ctx.emit(
        result, project_text(view) + f"\n\n{len(history)} events; see `milimo history {pid[:8]}`"
    )
