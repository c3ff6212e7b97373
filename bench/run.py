"""`make bench`: run the measurements, print a table, write bench/results/latest.json.

.venv/bin/python bench/run.py            # every measurement, ~1-2 minutes
.venv/bin/python bench/run.py --keep     # keep the temporary data directory
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Run as a script from anywhere: the product's packages from the repo root, store.py beside us.
for path in (str(ROOT), str(HERE)):
    if path not in sys.path:
        sys.path.insert(0, path)

from jobs import run_jobs  # noqa: E402
from quality import measure_quality  # noqa: E402
from render import measure_render  # noqa: E402
from script_import import measure_script_import  # noqa: E402
from store import Metric, device, run_all  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "latest.json"


def measure_editor() -> list[Metric]:
    """bench/tui.py shares its name with the product's `tui` package: load it by its path."""
    spec = importlib.util.spec_from_file_location("bench_tui", HERE / "tui.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return list(module.measure_tui())


def table(metrics: list[Metric]) -> str:
    rows = [("metric", "value", "unit", "goal", "ok")]
    for m in metrics:
        goal = "" if m.goal is None else f"{m.op} {m.goal:g}"
        ok = "" if m.ok is None else ("yes" if m.ok else "NO")
        value = "not measured" if m.value is None else _number(m.value)
        rows.append((m.name, value, m.unit, goal, ok))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            cell.rjust(widths[i]) if i == 1 else cell.ljust(widths[i]) for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _number(value: float) -> str:
    if value == int(value) and abs(value) >= 100:
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    parser.add_argument(
        "--output", type=Path, default=RESULTS, help=f"where to write the JSON ({RESULTS})"
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    where = device()
    print(f"Milimo bench on {where}", flush=True)
    metrics = run_all(keep=args.keep)
    metrics += run_jobs()
    metrics += measure_render()
    metrics += measure_quality()
    metrics += measure_script_import()
    metrics += measure_editor()
    elapsed = time.perf_counter() - started

    print()
    print(table(metrics))
    print(f"\n{elapsed:.0f} s in all")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    document = {"device": where, "metrics": [m.as_json() for m in metrics]}
    args.output.write_text(json.dumps(document, indent=2) + "\n")
    print(f"wrote {args.output}")
    for m in metrics:
        if m.note:
            print(f"note on {m.name}: {m.note}")
    missed = [m.name for m in metrics if m.ok is False]
    if missed:
        print(f"goals missed: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
