"""A command waiting on jobs in embedded mode restarts a worker that is not running, and gives up
with the worker's log after a few restarts instead of waiting for ever."""

from pathlib import Path

import pytest

import infrastructure.embedded_worker as embedded
from milimo.cli.commands import jobs
from milimo.cli.commands.jobs import WorkerGone, WorkerWatch


def watch(tmp_path: Path) -> WorkerWatch:
    w = object.__new__(WorkerWatch)
    w.data_dir, w.store_url, w.embedded = tmp_path, "sqlite:///x.db", True
    w.missing_since, w.restarts = None, 0
    return w


def test_a_missing_worker_is_restarted_then_reported_with_its_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [0.0]
    started: list[Path] = []
    monkeypatch.setattr(jobs.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(embedded, "worker_alive", lambda data_dir: False)
    monkeypatch.setattr(embedded, "start_worker", lambda data_dir, url: started.append(data_dir))
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "worker.log").write_text("milimo: error: ImportError: boom\n")
    w = watch(tmp_path)

    for _ in range(WorkerWatch.RESTARTS):
        w.check()  # first seen missing: the grace period starts
        clock[0] += WorkerWatch.GRACE + 1
        w.check()  # still missing after the grace: another worker is started
    assert len(started) == WorkerWatch.RESTARTS

    clock[0] += WorkerWatch.GRACE + 1
    with pytest.raises(WorkerGone, match="ImportError: boom"):
        w.check()


def test_a_worker_that_starts_slowly_is_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [0.0]
    alive = [False]
    monkeypatch.setattr(jobs.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(embedded, "worker_alive", lambda data_dir: alive[0])
    monkeypatch.setattr(embedded, "start_worker", lambda data_dir, url: None)
    w = watch(tmp_path)
    w.check()
    clock[0] += WorkerWatch.GRACE - 1
    w.check()
    alive[0] = True  # it took its lock just inside the grace period
    clock[0] += 60
    w.check()
    assert w.restarts == 0 and w.missing_since is None
