"""milimo projections rebuild, doctor."""

import argparse
import platform
import sys
import time
from typing import Any

from milimo.cli.context import Context


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    projections = sub.add_parser("projections", help="the read models")
    verbs = projections.add_subparsers(dest="verb", required=True, metavar="VERB")
    p = verbs.add_parser("rebuild", parents=[common], help="drop and rebuild every read model")
    p.set_defaults(handler=rebuild)
    p = verbs.add_parser("status", parents=[common], help="position and lag of the read models")
    p.set_defaults(handler=status)

    p = sub.add_parser("doctor", parents=[common], help="settings, store and read models")
    p.set_defaults(handler=doctor)


def rebuild(ctx: Context) -> None:
    started = time.perf_counter()
    applied = ctx.milimo.projection.rebuild()
    seconds = time.perf_counter() - started
    ctx.emit(
        {"events": applied, "seconds": round(seconds, 3)},
        f"rebuilt the read models from {applied} events in {seconds:.2f} s",
    )


def status(ctx: Context) -> None:
    m = ctx.milimo
    data = {"position": m.read_models.position(), "lag": m.projection.lag()}
    ctx.emit(data, f"read models at event {data['position']}, {data['lag']} behind")


def doctor(ctx: Context) -> int:
    from infrastructure.settings import SettingsError

    try:
        settings = ctx.settings.describe()
    except SettingsError as error:
        ctx.emit({"settings": {"ok": False, "error": str(error)}}, f"settings FAILED: {error}")
        return 1
    checks: dict[str, Any] = {
        "settings": settings,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }
    lines = ["settings:"] + [f"  {k:<12} {v}" for k, v in checks["settings"].items()]
    lines.append(f"python        {checks['python']} on {checks['platform']}")
    try:
        m = ctx.milimo
        latest = m.studio.recorder.max_notification_id() or 0
    except Exception as error:  # the report must name any store failure, whatever its type
        checks["store"] = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        lines.append(f"event store   FAILED: {checks['store']['error']}")
        ctx.emit(checks, "\n".join(lines))
        return 1
    checks["store"] = {"kind": m.store.kind, "ok": True, "latest_notification_id": latest}
    checks["read_models"] = {"position": m.read_models.position(), "lag": m.projection.lag()}
    lines.append(f"event store   {m.store.kind}: ok, latest notification {latest}")
    rm = checks["read_models"]
    lines.append(f"read models   at event {rm['position']} ({rm['lag']} behind)")
    ok = True
    for name, check in (
        ("broker", broker),
        ("media", media),
        ("ffmpeg", ffmpeg),
        ("backends", backends),
        ("gpu", gpu),
    ):
        result = check(ctx)
        checks[name] = result
        ok = ok and result.get("ok", True)
        lines.append(f"{name:<13} {result['text']}")
    ctx.emit(checks, "\n".join(lines))
    return 0 if ok else 1


def broker(ctx: Context) -> dict[str, Any]:
    settings = ctx.milimo.settings
    if settings.broker_url == "embedded":
        from infrastructure.embedded_worker import worker_alive

        alive = worker_alive(settings.data_dir.expanduser().resolve())
        state = "a local worker is running" if alive else "a local worker starts on demand"
        return {
            "kind": "embedded",
            "ok": True,
            "worker_running": alive,
            "text": f"embedded (no server): {state}",
        }
    import redis

    try:
        redis.Redis.from_url(settings.broker_url, socket_connect_timeout=2).ping()
    except Exception as error:  # any connection failure is the answer
        return {"kind": "redis", "ok": False, "error": str(error), "text": f"redis FAILED: {error}"}
    return {"kind": "redis", "ok": True, "text": "redis: reachable"}


def media(ctx: Context) -> dict[str, Any]:
    """Where takes and renders go; with a Redis broker, workers on other boxes write there too."""
    import os

    settings = ctx.milimo.settings
    path = settings.media
    existing = next(p for p in (path, *path.parents) if p.exists())
    writable = existing.is_dir() and os.access(existing, os.W_OK | os.X_OK)
    inside = path.is_relative_to(settings.data_dir.expanduser().resolve())
    text = f"{path} ({'writable' if writable else 'NOT writable'}"
    text += ")" if existing == path else ", created on first write)"
    if inside and settings.broker_url != "embedded":
        text += (
            "; inside this box's data dir: workers on other boxes cannot write there; set "
            "MILIMO_MEDIA_DIR to a mount every box shares at the same path"
        )
    return {
        "ok": writable,
        "path": str(path),
        "exists": existing == path,
        "writable": writable,
        "inside_data_dir": inside,
        "text": text,
    }


def ffmpeg(ctx: Context) -> dict[str, Any]:
    import subprocess

    from models.media import ffmpeg_exe

    exe = ffmpeg_exe()
    try:
        first = subprocess.run([exe, "-version"], capture_output=True, text=True, timeout=10)
        version = first.stdout.splitlines()[0] if first.stdout else "unknown"
    except OSError as error:
        return {"ok": False, "path": exe, "text": f"FAILED: {error}"}
    return {"ok": True, "path": exe, "version": version, "text": f"{version} ({exe})"}


def backends(ctx: Context) -> dict[str, Any]:
    from models.catalog import ModelCatalog

    found = ModelCatalog(ctx.milimo.settings.models_dir).available()
    text = ", ".join(f"{k}: {v or 'no weights'}" for k, v in found.items())
    return {"found": found, "text": text}


def gpu(ctx: Context) -> dict[str, Any]:
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        return {"available": False, "text": "torch not installed: CPU only"}
    import torch

    if not torch.cuda.is_available():
        return {
            "available": False,
            "torch": torch.__version__,
            "text": f"none (torch {torch.__version__}, CPU)",
        }
    names = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return {"available": True, "devices": names, "text": ", ".join(names)}
