"""milimo models: the backends, the weights found for them, and their quality/speed presets."""

import argparse
from typing import Any

from milimo.cli.context import Context


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "models",
        parents=[common],
        help="backends and models found, with size, expected VRAM, hash and presets",
    )
    p.set_defaults(handler=list_models)


def list_models(ctx: Context) -> None:
    from models.inventory import inventory

    entries = inventory(ctx.settings.models_dir)
    where = ctx.settings.models_dir or "not set (MILIMO_MODELS_DIR)"
    lines = [f"models dir: {where}"]
    lines += [model_lines(entry) for entry in entries]
    ctx.emit(entries, "\n".join(lines))


def model_lines(entry: dict[str, Any]) -> str:
    state = "ready" if entry["ready"] else "installed" if entry["installed"] else "not installed"
    facts = [state]
    if entry["size_bytes"] is not None:
        facts.append(f"{gib(entry['size_bytes'])} on disk")
    if entry["parameters"]:
        facts.append(f"{count(entry['parameters'])} parameters")
    if entry["vram_estimate_bytes"]:
        facts.append(f"VRAM ~{gib(entry['vram_estimate_bytes'])}")
    if entry["weights_hash"]:
        facts.append(entry["weights_hash"][:19])
    if "two_stage_ready" in entry:
        facts.append("two-stage ready" if entry["two_stage_ready"] else "no latent upsampler")
    head = f"{entry['name']:<12} {', '.join(entry['serves'])}: " + " · ".join(facts)
    lines = [head]
    if entry.get("path") and entry["path"] != "built in":
        lines.append(f"{'':<12} {entry['path']}")
    elif entry.get("note"):
        lines.append(f"{'':<12} {entry['note']}")
    for name, preset in entry["presets"].items():
        lines.append(f"{'':<12} {name}: {preset_text(preset)}")
    return "\n".join(lines)


def preset_text(preset: dict[str, Any]) -> str:
    stages = "two-stage" if preset["two_stage"] else "one stage"
    return f"{preset['num_inference_steps']} steps, cfg {preset['cfg_scale']:g}, {stages}"


def count(n: int) -> str:
    """A parameter count as people say it: 31.52B, 19.6M, 4.1K, 512."""
    for scale, unit in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if n >= scale:
            return f"{n / scale:.2f}B" if unit == "B" else f"{n / scale:.1f}{unit}"
    return str(n)


def gib(size: int) -> str:
    if size < 1 << 20:
        return f"{size / 1024:.1f} KiB"
    if size < 1 << 30:
        return f"{size / (1 << 20):.1f} MiB"
    return f"{size / (1 << 30):.1f} GiB"
