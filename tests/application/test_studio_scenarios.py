"""The Studio on the in-memory store: the product's story, command by command."""

import pytest

from application.errors import ProjectNotFound
from application.project_view import project_view
from application.projection import ProjectProjection
from application.queries import Queries
from application.studio import Studio
from domain.errors import DomainError, InvalidTrim, NotFound
from tests.application.fakes import InMemoryReadModels


def film(studio: Studio) -> tuple[str, str, list[str]]:
    pid = studio.create_project("The Lighthouse")
    scene = studio.add_scene(pid, "Stairs", heading="INT. LIGHTHOUSE - NIGHT")
    shots = [studio.add_shot(pid, scene, prompt=f"beat {n}", num_frames=49) for n in range(3)]
    return pid, scene, shots


def view(studio: Studio, pid: str) -> dict:
    project = studio.project(pid)
    return project_view(pid, project.version, project.state)


def test_a_film_is_cut_undone_redone_restored_and_branched(studio: Studio) -> None:
    pid, scene, shots = film(studio)
    assert view(studio, pid)["total_frames"] == 3 * 49

    studio.trim_shot(pid, shots[0], 4, 5)
    starts = [s["start_frame"] for s in view(studio, pid)["shots"]]
    assert starts == [0, 40, 89], "trimming the first V1 shot ripples the others"

    new = studio.split_shot(pid, shots[1], 20)
    after_split = view(studio, pid)
    assert [s["id"] for s in after_split["shots"]] == [shots[0], shots[1], new, shots[2]]
    assert after_split["total_frames"] == 40 + 49 + 49

    assert studio.undo(pid) is not None  # the split
    assert len(view(studio, pid)["shots"]) == 3
    assert studio.undo(pid) is not None  # the trim
    assert view(studio, pid)["total_frames"] == 3 * 49
    assert studio.redo(pid) is not None
    assert view(studio, pid)["shots"][0]["trim_in"] == 4

    studio.change_shot(pid, shots[2], prompt="the lamp flares")
    assert studio.redo(pid) is None, "a new edit clears the redo stack"

    version_before_delete = studio.project(pid).version
    studio.remove_shot(pid, shots[0])
    studio.remove_scene(pid, scene)
    assert view(studio, pid)["shots"] == []
    studio.restore(pid, version_before_delete)
    restored = view(studio, pid)
    assert [s["id"] for s in restored["shots"]] == [shots[0], shots[1], shots[2]]
    assert restored["shots"][2]["prompt"] == "the lamp flares"

    branch = studio.branch(pid, 5, "Alternate cut")
    alt = view(studio, branch)
    assert alt["name"] == "Alternate cut"
    assert alt["origin"] == {"project_id": pid, "version": 5}
    assert [s["id"] for s in alt["shots"]] == shots
    assert alt["version"] == 1, "a branch starts its own history"


def test_unlimited_undo_reaches_the_first_state_and_redo_comes_back(studio: Studio) -> None:
    pid, _, shots = film(studio)
    for n in range(150):  # past the snapshot interval
        studio.trim_shot(pid, shots[n % 3], n % 7, n % 5)
    final = view(studio, pid)
    undone = 0
    while studio.undo(pid) is not None:
        undone += 1
    assert undone == 1 + 3 + 150 - _no_op_trims(), "every edit since creation was undone"
    assert view(studio, pid)["shots"] == [] and view(studio, pid)["scenes"] == []
    while studio.redo(pid) is not None:
        pass
    again = view(studio, pid)
    assert again["shots"] == final["shots"] and again["scenes"] == final["scenes"]


def _no_op_trims() -> int:
    # A trim to the values a shot already has records nothing.
    seen: dict[int, tuple[int, int]] = {0: (0, 0), 1: (0, 0), 2: (0, 0)}
    skipped = 0
    for n in range(150):
        value = (n % 7, n % 5)
        if seen[n % 3] == value:
            skipped += 1
        seen[n % 3] = value
    return skipped


def test_undo_survives_a_new_studio_on_the_same_store(tmp_path) -> None:
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "e.db")}
    first = Studio(env=env)
    pid, _, shots = film(first)
    first.trim_shot(pid, shots[0], 1, 1)
    first.close()
    second = Studio(env=env)
    assert second.undo(pid) is not None
    assert view(second, pid)["shots"][0]["trim_in"] == 0


def test_a_rejected_command_records_nothing(studio: Studio) -> None:
    pid, _, shots = film(studio)
    version = studio.project(pid).version
    with pytest.raises(InvalidTrim):
        studio.trim_shot(pid, shots[0], 30, 30)
    with pytest.raises(NotFound):
        studio.trim_shot(pid, "ffffffff", 1, 1)
    with pytest.raises(DomainError):
        studio.change_shot(pid, shots[0], num_frames=100)
    with pytest.raises(DomainError):
        studio.change_settings(pid, width=100)
    assert studio.project(pid).version == version


def test_an_unknown_project_is_not_found(studio: Studio) -> None:
    with pytest.raises(ProjectNotFound):
        studio.project("0" * 32)
    with pytest.raises(ProjectNotFound):
        studio.project("not-an-id")


def test_the_state_at_any_version_is_what_it_was(studio: Studio) -> None:
    pid, _, shots = film(studio)
    studio.trim_shot(pid, shots[0], 8, 0)
    state, version = studio.state_at(pid, 3)
    assert version == 3 and len(state.shots) == 1
    with pytest.raises(ProjectNotFound):
        studio.state_at(pid, 99)


def test_queries_answer_from_read_models_that_catch_up(studio: Studio, queries: Queries) -> None:
    pid, _, shots = film(studio)
    assert queries.resolve_project("The Lighthouse") == pid
    assert queries.resolve_project(pid[:6]) == pid
    assert [s["id"] for s in queries.shots(pid)] == shots
    studio.trim_shot(pid, shots[1], 0, 8)
    assert queries.project(pid)["total_frames"] == 3 * 49 - 8
    history = queries.history(pid)
    assert [h["version"] for h in history] == list(range(1, 7))
    assert history[-1]["type"] == "ShotTrimmed"
    assert all(h["actor"] == "ana@gpu-box" and h["at"] and h["summary"] for h in history)


def test_rebuilding_the_read_models_gives_identical_content(studio: Studio) -> None:
    pid, _, shots = film(studio)
    studio.trim_shot(pid, shots[0], 2, 2)
    studio.undo(pid)
    read_models = InMemoryReadModels()
    projection = ProjectProjection(studio, read_models, page_size=3)
    projection.catch_up()
    before = list(read_models.digest())
    projection.rebuild()
    assert list(read_models.digest()) == before
    assert projection.lag() == 0


def test_elements_stay_oldest_first_through_undo(studio: Studio) -> None:
    pid = studio.create_project("Cast")
    anna = studio.define_element(pid, "Anna", "character")
    studio.define_element(pid, "Bob", "character")
    studio.remove_element(pid, anna)
    studio.undo(pid)
    assert [e["name"] for e in view(studio, pid)["elements"]] == ["Anna", "Bob"]
