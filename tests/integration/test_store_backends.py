"""The same story on the real stores: SQLite files and the local PostgreSQL server."""

from pathlib import Path

import pytest

from infrastructure.bootstrap import Milimo, bootstrap
from infrastructure.settings import Settings


def open_milimo(store_url: str, data_dir: Path) -> Milimo:
    return bootstrap(Settings(data_dir=data_dir, store_url=store_url), actor="ci@test")


def test_edits_persist_and_undo_works_from_a_new_process_state(
    store_url: str, tmp_path: Path
) -> None:
    m = open_milimo(store_url, tmp_path)
    pid = m.studio.create_project("Harbour")
    scene = m.studio.add_scene(pid, "Dock")
    shots = [m.studio.add_shot(pid, scene, num_frames=33) for _ in range(3)]
    m.studio.trim_shot(pid, shots[1], 3, 4)
    m.close()

    again = open_milimo(store_url, tmp_path)
    view = again.queries.project(pid)
    assert [s["start_frame"] for s in view["shots"]] == [0, 33, 59]
    assert again.studio.undo(pid) is not None
    assert again.queries.project(pid)["shots"][1]["trim_in"] == 0
    again.close()


def test_read_models_catch_up_after_downtime_and_rebuild_identically(
    store_url: str, tmp_path: Path
) -> None:
    m = open_milimo(store_url, tmp_path)
    pid = m.studio.create_project("Harbour")
    scene = m.studio.add_scene(pid, "Dock")
    m.projection.catch_up()
    position = m.read_models.position()
    # Events written while no projection runs: the next catch-up applies each once.
    for n in range(25):
        m.studio.add_shot(pid, scene, prompt=f"wave {n}")
    assert m.read_models.position() == position
    m.projection.page_size = 7
    assert m.projection.catch_up() == 25
    assert m.projection.catch_up() == 0
    assert len(m.queries.shots(pid)) == 25
    assert len(m.queries.history(pid)) == 27
    before = list(m.read_models.digest())
    m.projection.rebuild()
    assert list(m.read_models.digest()) == before
    m.close()


def test_loading_uses_snapshots_not_the_whole_history(store_url: str, tmp_path: Path) -> None:
    m = open_milimo(store_url, tmp_path)
    pid = m.studio.create_project("Long")
    scene = m.studio.add_scene(pid, "One")
    shot = m.studio.add_shot(pid, scene)
    for n in range(230):
        m.studio.trim_shot(pid, shot, n % 2, 0)
    project = m.studio.project(pid)
    snapshots = list(m.studio.snapshots.get(project.id)) if m.studio.snapshots else []
    assert [s.originator_version for s in snapshots] == [100, 200]
    fresh = open_milimo(store_url, tmp_path)
    assert fresh.studio.project(pid).state == project.state
    m.close()
    fresh.close()


def test_state_at_a_version_and_branch(store_url: str, tmp_path: Path) -> None:
    m = open_milimo(store_url, tmp_path)
    pid = m.studio.create_project("Cut")
    scene = m.studio.add_scene(pid, "One")
    m.studio.add_shot(pid, scene)
    m.studio.add_shot(pid, scene)
    state, version = m.studio.state_at(pid, 3)
    assert version == 3 and len(state.shots) == 1
    branch = m.studio.branch(pid, 3, "Cut B")
    assert len(m.queries.project(branch)["shots"]) == 1
    assert m.queries.resolve_project("Cut B") == branch
    m.close()


@pytest.mark.parametrize("archived", [True])
def test_archived_projects_leave_lists_but_keep_their_events(
    store_url: str, tmp_path: Path, archived: bool
) -> None:
    m = open_milimo(store_url, tmp_path)
    pid = m.studio.create_project("Old")
    m.studio.archive(pid, archived)
    assert pid not in [p["id"] for p in m.queries.projects()]
    assert pid in [p["id"] for p in m.queries.projects(include_archived=True)]
    assert len(m.queries.history(pid)) == 2
    m.close()
