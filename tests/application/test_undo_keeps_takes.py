"""Undo, redo and restore never lose a generation: a shot brought back has every take it had,
and one a job delivered while it was undone, in the aggregate, its snapshots and the read
models alike."""

from pathlib import Path
from uuid import UUID

from application.engine.engine import Engine
from application.engine.runner import JobRunner
from application.projection import ProjectProjection
from application.queries import Queries
from application.studio import Studio
from tests.application.engine_fakes import (
    FakeCatalog,
    FakeLoader,
    RecordingDispatcher,
    SteppingBackend,
    TempMedia,
)
from tests.application.fakes import InMemoryReadModels


class Film:
    """`milimo project create U; scene add U S; shot add U --scene S --frames 9`."""

    def __init__(self, tmp_path: Path, env: dict[str, str] | None = None):
        self.studio = Studio(env=env or {}, actor="ana@gpu-box")
        media = TempMedia(tmp_path)
        self.engine = Engine(self.studio, FakeCatalog(), media, RecordingDispatcher())
        self.runner = JobRunner(
            self.studio, FakeLoader(SteppingBackend()), media, backoff=lambda _: 0.0
        )
        self.pid = self.studio.create_project("U")
        scene = self.studio.add_scene(self.pid, "S")
        self.shot = self.studio.add_shot(self.pid, scene, num_frames=9)

    def generate(self) -> str:
        (job_id,) = self.engine.generate(self.pid, [self.shot])
        return job_id

    def shown(self, studio: Studio | None = None) -> dict:
        """The shot as `project show --json` prints it, from freshly rebuilt read models."""
        read_models = InMemoryReadModels()
        queries = Queries(read_models, ProjectProjection(studio or self.studio, read_models))
        (shot,) = queries.project(self.pid)["shots"]
        return shot


def test_generate_wait_undo_redo_keeps_the_take(tmp_path: Path) -> None:
    film = Film(tmp_path)
    job_id = film.generate()
    assert film.runner.run(job_id) == "completed"
    film.studio.undo(film.pid)
    assert film.studio.project(film.pid).state.shots == {}
    film.studio.redo(film.pid)
    shot = film.shown()
    assert [t["job_id"] for t in shot["takes"]] == [job_id]
    assert shot["active_take"] == job_id
    aggregate = film.studio.project(film.pid).state.shots[film.shot]
    assert [t.job_id for t in aggregate.takes] == [job_id]


def test_a_job_that_completes_while_its_shot_is_undone_lands_on_redo(tmp_path: Path) -> None:
    film = Film(tmp_path)
    job_id = film.generate()
    film.studio.undo(film.pid)
    assert film.runner.run(job_id) == "completed"
    film.studio.redo(film.pid)
    shot = film.shown()
    assert [t["job_id"] for t in shot["takes"]] == [job_id]
    assert shot["active_take"] == job_id


def test_an_undone_shots_takes_survive_a_snapshot_and_a_new_studio(tmp_path: Path) -> None:
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "e.db")}
    film = Film(tmp_path, env)
    first, second = film.generate(), film.generate()
    film.runner.run(first)
    film.studio.undo(film.pid)
    film.runner.run(second)
    film.studio.take_snapshot(UUID(film.pid))
    film.studio.close()
    fresh = Studio(env=env, actor="ana@gpu-box")
    fresh.redo(film.pid)
    assert [t.job_id for t in fresh.project(film.pid).state.shots[film.shot].takes] == [
        first,
        second,
    ]
    assert [t["job_id"] for t in film.shown(fresh)["takes"]] == [first, second]
