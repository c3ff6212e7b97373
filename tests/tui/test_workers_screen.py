"""Workers (key 0, no project needed): the registry live — a beating worker, a lost one marked,
a worker that stops cleanly leaves the list without any key pressed."""

import time
from typing import Any

from textual.widgets import DataTable, Static

from application.engine.worker_presence import WorkerPresence
from infrastructure.worker_registry import FileWorkerRegistry
from tests.tui.conftest import World, settle
from tui.app import MilimoApp


def table_rows(app: MilimoApp) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def statuses(app: MilimoApp) -> dict[str, str]:
    return {row[0]: row[1] for row in table_rows(app)}


def describe() -> dict[str, Any]:
    return {
        "gpu": {"name": "cpu", "total_bytes": 16_000_000_000, "used_bytes": 4_000_000_000},
        "resident_models": [{"backend": "animatic", "model": "animatic", "bytes": 0}],
        "loads": 1,
        "swaps": 0,
    }


async def test_the_workers_screen_lists_live_and_lost_workers_and_follows_them(
    world: World,
) -> None:
    registry = FileWorkerRegistry(world.data_dir / "workers")
    lost_entry = {
        "id": "0badc0de" * 4,
        "name": "old-box:77",
        "mode": "embedded",
        "queues": ["cpu"],
        "current_job": {"id": "c" * 32, "kind": "video", "progress": 40.0},
        "started_at": time.time() - 300,
        "last_heartbeat": time.time() - 60,
        "heartbeat_every": 5.0,
    }
    registry.publish(lost_entry, keep_seconds=600)
    identity = {"id": "feedface" * 4, "name": "gpu-box:42", "mode": "redis", "queues": ["video"]}
    worker = WorkerPresence(registry, identity, describe, every=0.1, forget_after=600)
    worker.start()
    app = world.app()
    try:
        async with app.run_test(size=(160, 30)) as pilot:
            await settle(pilot, lambda: app.ready)
            await pilot.press("0")
            await settle(pilot, lambda: app.current_mode == "workers")
            await settle(pilot, lambda: len(table_rows(app)) == 2)

            assert statuses(app) == {"0badc0de": "lost", "feedface": "live"}
            lost, live = table_rows(app)
            assert "lost since" in lost[-1] and lost[7].startswith("cccccccc video 40%")
            assert live[2:5] == ["gpu-box:42", "redis", "video"]
            assert live[6] == "animatic" and live[7] == "idle"
            detail = str(app.screen.query_one("#worker-detail", Static).render())
            assert "old-box:77" in detail, "the first row is selected and detailed"

            worker.job_started("d" * 32, "image", None, "p" * 32)
            await settle(pilot, lambda: table_rows(app)[1][7].startswith("dddddddd image"))

            worker.stop()  # a clean stop: gone from the list at the next poll
            await settle(pilot, lambda: list(statuses(app)) == ["0badc0de"])
    finally:
        worker.stop()


async def test_the_workers_screen_says_when_there_are_none(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.ready)
        await pilot.press("0")
        await settle(pilot, lambda: app.current_mode == "workers")
        empty = app.screen.query_one("#workers-empty", Static)
        await settle(pilot, lambda: "No workers" in str(empty.render()))
        assert table_rows(app) == []
