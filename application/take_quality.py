"""A take's measured quality in one short line, as the CLI and the editor show it beside takes."""

from typing import Any


def quality_line(quality: dict[str, Any] | None) -> str:
    """E.g. "cons 0.93 · motion 1.2 · sharp 140 · clip 0%/1% · frozen"; empty if never measured."""
    if not quality:
        return ""
    flags = [str(f) for f in quality.get("flags") or []]
    if quality.get("temporal_consistency") is None and quality.get("sharpness") is None:
        return " · ".join(flags) or "unmeasured"
    parts = []
    if quality.get("temporal_consistency") is not None:
        parts.append(f"cons {quality['temporal_consistency']:.2f}")
    if quality.get("motion") is not None:
        parts.append(f"motion {quality['motion']:.1f}")
    if quality.get("sharpness") is not None:
        parts.append(f"sharp {quality['sharpness']:.0f}")
    exposure = quality.get("exposure") or {}
    if exposure:
        shadows, highlights = exposure.get("shadows", 0.0), exposure.get("highlights", 0.0)
        parts.append(f"clip {shadows:.0%}/{highlights:.0%}")
    return " · ".join(parts + flags)
