"""Several processes editing one project at once lose no update."""

import subprocess
import sys
from pathlib import Path

from infrastructure.bootstrap import bootstrap
from infrastructure.settings import Settings

WRITER = """
import sys
from infrastructure.bootstrap import bootstrap
from infrastructure.settings import Settings
m = bootstrap(Settings(data_dir=sys.argv[1], store_url=sys.argv[2]), actor="writer" + sys.argv[4])
pid, scene = sys.argv[3].split(":")
for n in range(int(sys.argv[5])):
    m.studio.add_shot(pid, scene, prompt=f"writer {sys.argv[4]} shot {n}")
    m.studio.change_settings(pid, seed=int(sys.argv[4]) * 1000 + n)
m.close()
"""


def test_writers_in_parallel_processes_lose_no_update(store_url: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, store_url=store_url)
    m = bootstrap(settings)
    pid = m.studio.create_project("Crowded")
    scene = m.studio.add_scene(pid, "Everyone")
    writers, each = 4, 12
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WRITER,
                str(tmp_path),
                store_url,
                f"{pid}:{scene}",
                str(w),
                str(each),
            ],
            cwd=Path(__file__).parents[2],
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(writers)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
    view = m.queries.project(pid)
    assert len(view["shots"]) == writers * each
    assert sorted(s["index"] for s in view["shots"]) == list(range(writers * each))
    prompts = {s["prompt"] for s in view["shots"]}
    assert prompts == {f"writer {w} shot {n}" for w in range(writers) for n in range(each)}
    history = m.queries.history(pid)
    assert [h["version"] for h in history] == list(range(1, 3 + 2 * writers * each))
    m.close()
