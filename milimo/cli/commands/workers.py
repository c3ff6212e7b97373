"""milimo workers: the worker registry — every live worker, and lost ones for a while."""

import argparse
from typing import Any

from milimo.cli.context import Context


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "workers",
        parents=[common],
        help="live workers: host, queues, GPU, resident models, current job, heartbeat",
    )
    p.set_defaults(handler=list_workers)


def list_workers(ctx: Context) -> int:
    from infrastructure.worker_registry import worker_directory

    settings = ctx.settings
    workers = worker_directory(settings).workers()
    if workers:
        text = "\n".join(worker_text(w) for w in workers)
    elif settings.broker_url == "embedded":
        text = "no workers: a local worker starts when work is requested"
    else:
        text = "no workers: start one with `milimo worker` on each GPU box"
    ctx.emit(workers, text)
    return 0


def worker_text(w: dict[str, Any]) -> str:
    lines = [
        f"{w['id'][:8]} {w['status']:<4}  {w['name']}  {w['mode']}  "
        f"queues {','.join(w.get('queues') or [])}  started {w['started_at']}"
    ]
    if w["status"] == "lost":
        lines.append(f"  lost since {w['lost_since']} (silent for {w['heartbeat_age']:.0f} s)")
    else:
        lines.append(f"  heartbeat {w['heartbeat_age']:.0f} s ago")
    lines.append(f"  gpu {gpu_text(w.get('gpu') or {})}")
    models = w.get("resident_models") or []
    held = ", ".join(model_text(r) for r in models) or "none"
    lines.append(f"  models {held}")
    job = w.get("current_job")
    if job:
        shot = f" shot {job['shot_id'][:8]}" if job.get("shot_id") else ""
        lines.append(f"  job {job['id'][:8]} {job['kind']}{shot} {job.get('progress') or 0:.0f}%")
    swap = w.get("last_swap")
    if swap:
        gone = ", ".join(u["backend"] for u in swap["unloaded"])
        lines.append(
            f"  last swap: unloaded {gone} for {swap['loaded']['backend']} ({swap['reason']}), "
            f"loaded in {swap['load_seconds']:.1f} s"
        )
    return "\n".join(lines)


def model_text(resident: dict[str, Any]) -> str:
    held = resident.get("bytes")
    return f"{resident['backend']} ({size(held)})" if held else resident["backend"]


def gpu_text(gpu: dict[str, Any]) -> str:
    name = gpu.get("name") or "cpu"
    if gpu.get("total_bytes") is None:
        return name
    return f"{name}: {size(gpu.get('used_bytes'))} used of {size(gpu['total_bytes'])}"


def size(count: int | None) -> str:
    if count is None:
        return "?"
    return f"{count / 1e9:.1f} GB" if count >= 1e8 else f"{count / 1e6:.1f} MB"
