"""Screenplay import measurement (issue 4, 12b): a 120-page screenplay imported into a project.

- import_120_pages_seconds: the median wall time of what `milimo script import` does after
  reading the file — parse (auto mode), match the project's elements, merge into the project and
  record the one ScriptImported event in a real SQLite event store — for a fresh project each
  round. Goal ≤ 2 s.
- reimport_120_pages_seconds: the same script imported again into the project that already holds
  it (every beat matched, nothing changed): the merge's cost on a full project, without a goal.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (str(ROOT), str(Path(__file__).resolve().parent)):
    if path not in sys.path:
        sys.path.insert(0, path)

from store import Metric, log, open_milimo  # noqa: E402

PAGES = 120
ROUNDS = 3
GOAL_SECONDS = 2.0


def import_once(studio: object, project_id: str, text: str) -> tuple[float, int]:
    from application.studio import Studio
    from domain.script import match_elements, parse_script

    assert isinstance(studio, Studio)
    started = time.perf_counter()
    state = studio.project(project_id).state
    plan = match_elements(parse_script(text), state.elements.values())
    result = studio.import_script(project_id, plan, False, {"file": "synthetic.fountain"})
    return time.perf_counter() - started, len(result.added) + len(result.kept)


def measure_script_import() -> list[Metric]:
    from tests.fixtures.screenplays.generate import LINES_PER_PAGE, synthetic_screenplay

    text = synthetic_screenplay(PAGES)
    pages = len(text.splitlines()) / LINES_PER_PAGE
    firsts, agains, beats = [], [], 0
    with tempfile.TemporaryDirectory(prefix="milimo-bench-import-") as folder:
        milimo = open_milimo(Path(folder))
        try:
            for n in range(ROUNDS):
                pid = milimo.studio.create_project(f"Import {n}")
                seconds, beats = import_once(milimo.studio, pid, text)
                firsts.append(seconds)
                agains.append(import_once(milimo.studio, pid, text)[0])
        finally:
            milimo.close()
    first, again = statistics.median(firsts), statistics.median(agains)
    log(f"import of {pages:.0f} pages ({beats} beats): {first:.2f} s; again: {again:.2f} s")
    return [
        Metric("import_120_pages_seconds", round(first, 3), "s", GOAL_SECONDS, "<="),
        Metric("reimport_120_pages_seconds", round(again, 3), "s"),
    ]


if __name__ == "__main__":
    for metric in measure_script_import():
        print(metric.as_json())
