"""The editor under test: the real application over a real SQLite data dir, wired as
`milimo tui` wires it, driven by Textual's Pilot."""

import itertools
import os
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from infrastructure.bootstrap import Milimo, bootstrap
from infrastructure.settings import Settings
from milimo.cli.commands.editor import editor_services
from tests.cli.conftest import stop_worker
from tui.app import MilimoApp
from tui.services import EditorServices


@dataclass
class World:
    milimo: Milimo
    services: EditorServices
    data_dir: Path
    tmp: Path

    def app(self, project: str | None = None) -> MilimoApp:
        return MilimoApp(self.services, project)


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    for key in list(os.environ):
        if key.startswith("MILIMO_"):
            monkeypatch.delenv(key)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("MILIMO_DATA_DIR", str(data_dir))
    monkeypatch.setenv("MILIMO_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("MILIMO_KEYMAP", str(tmp_path / "keymap.toml"))
    m = bootstrap(Settings(data_dir=data_dir))
    services = editor_services(m)
    services.poll_interval = 0.1
    services.keymap_named = False  # each test's keymap file exists only where it writes one
    yield World(m, services, data_dir, tmp_path)
    stop_worker(data_dir)
    m.close()


def make_film(m: Milimo, name: str = "The Keeper", scenes: int = 2, shots: int = 3) -> str:
    """A project with `scenes` scenes of `shots` shots each, with actions and dialogue."""
    studio = m.studio
    pid = studio.create_project(name)
    studio.define_element(pid, "Mara", "character", description="a lighthouse keeper, 60s")
    for s in range(scenes):
        scene = studio.add_scene(pid, f"Scene {s + 1}")
        for n in range(shots):
            studio.add_shot(
                pid,
                scene,
                action=f"Mara climbs the stairs, step {n + 1}",
                dialogue="Who's there?" if n == 1 else "",
                character="Mara" if n == 1 else "",
                num_frames=49 + 8 * n,
            )
    return pid


@pytest.fixture
def deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids and timestamps from a seeded generator and a ticking clock, so that snapshots of
    screens showing them are the same on every run."""
    rng = random.Random(42)
    ticks = itertools.count()
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)

    def fake_uuid4() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    def now() -> datetime:
        return start + timedelta(seconds=next(ticks))

    import eventsourcing.domain

    import application.assets
    import application.engine.engine
    import domain.project.aggregate
    import domain.project.asset_commands
    import domain.project.element_commands
    import domain.project.scene_commands
    import domain.project.script_merge
    import domain.project.shot_commands

    for module in (
        eventsourcing.domain,
        domain.project.aggregate,
        domain.project.asset_commands,
        domain.project.element_commands,
        domain.project.scene_commands,
        domain.project.script_merge,
        domain.project.shot_commands,
        application.assets,
        application.engine.engine,  # batch and variant-group ids
    ):
        monkeypatch.setattr(module, "uuid4", fake_uuid4)
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", now)


async def settle(pilot: Any, until: Callable[[], Any], timeout: float = 10.0) -> None:
    """Let the editor work (its I/O thread, the worker) until `until()` holds."""
    waited = 0.0
    while not until():
        if waited >= timeout:
            raise AssertionError(f"the editor did not get there in {timeout} s")
        await pilot.pause(0.05)
        waited += 0.05
    await pilot.pause()
