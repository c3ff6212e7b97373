"""Deleting an asset: a fact in the history, refused while a shot is conditioned on it, and
never undone (its file may be gone)."""

import pytest

from domain.errors import AssetInUse, NotFound
from domain.project.asset_references import references
from domain.project.look import Look
from tests.domain.test_assets import SHA_A, SHA_B, still


def test_a_deleted_asset_leaves_the_list_and_the_history_says_so(log):
    door = log.do("add_asset", **still())
    quay = log.do("add_asset", **still(SHA_B, name="quay.png"))
    asset = log.do("delete_asset", "door.png", [])
    assert asset.id == door
    assert list(log.state.assets) == [quay]
    event = log.events[-1]
    assert type(event).__name__ == "AssetDeleted" and event.actor == log.events[0].actor
    assert event.asset["path"] == still()["path"] and event.file_kept_because == []
    assert "deleted, file removed" in event.summary()
    assert log.replayed() == log.state
    assert door in log.replayed(version=log.version - 1).assets  # the past stays as it was


def test_what_kept_the_file_is_recorded_with_the_deletion(log):
    log.do("add_asset", **still())
    log.do("delete_asset", "door.png", ["a take of shot 1a2b3c4d of project 'Other'"])
    assert log.events[-1].file_kept_because == ["a take of shot 1a2b3c4d of project 'Other'"]
    assert "file kept" in log.events[-1].summary()


def test_an_unknown_asset_is_not_found_and_nothing_is_recorded(log):
    log.do("add_asset", **still())
    version = log.version
    with pytest.raises(NotFound):
        log.do("delete_asset", "nothing.png", [])
    assert log.version == version


def test_an_asset_a_shot_is_conditioned_on_is_refused_naming_the_shot(log):
    door = log.do("add_asset", **still())
    scene = log.do("add_scene", "Hall")
    shot = log.do("add_shot", scene)
    log.do("change_shot", shot, conditioning=[{"asset": still()["path"], "frame_index": 0}])
    version = log.version
    with pytest.raises(AssetInUse, match=rf"shot {shot[:8]} \('Hall', shot 1\)"):
        log.do("delete_asset", door[:6], [])
    assert log.version == version and door in log.state.assets
    log.do("change_shot", shot, conditioning=[])
    log.do("delete_asset", door[:6], [])
    assert door not in log.state.assets


def test_undo_does_not_bring_a_deleted_asset_back_it_undoes_the_edit_before(log):
    scene = log.do("add_scene", "Hall")
    door = log.do("add_asset", **still())
    log.do("delete_asset", door, [])
    assert log.undo() == 2  # the scene: the deletion is not an edit
    assert scene not in log.state.scenes and door not in log.state.assets


def test_references_name_every_user_of_a_file_but_the_asset_being_deleted(log):
    path = still()["path"]
    door = log.do("add_asset", **still())
    scene = log.do("add_scene", "Hall")
    shot = log.do("add_shot", scene)
    log.do("define_element", "Mara", "character", image=path)
    log.do("change_shot", shot, conditioning=[{"asset": path}])
    take = {"id": "t" * 32, "job_id": "j" * 32, "path": path, "sha256": SHA_A}
    log.do("add_take", shot, {**take, "num_frames": 9, "width": 64, "height": 64})
    found = references(log.state, path, but_asset=door)
    assert found == [
        "the reference image of element 'Mara' in project 'Night Train'",
        f"a take of shot {shot[:8]} ('Hall', shot 1) of project 'Night Train'",
        f"the conditioning of shot {shot[:8]} ('Hall', shot 1) of project 'Night Train'",
    ]
    assert (
        references(log.state, path)[0] == f"asset {door[:8]} ('door.png') of project 'Night Train'"
    )
    assert references(log.state, "/media/elsewhere.png") == []


def test_an_elements_look_edited_from_the_file_refers_to_it(log):
    path = still()["path"]
    mara = log.do("define_element", "Mara", "character")
    look = {"id": "l" * 32, "job_id": "l" * 32, "kind": "edit", "path": "/media/older.png",
            "sha256": SHA_B, "prompt": "older", "reference": path}  # fmt: skip
    element = log.state.elements[mara]
    state = log.state.replace(elements={mara: element.replace(looks=(Look(**look),))})
    assert references(state, path) == ["a look of element 'Mara' in project 'Night Train'"]


def test_a_shot_conditioned_on_an_asset_by_id_prefix_holds_its_path_so_delete_refuses(log):
    door = log.do("add_asset", **still())
    scene = log.do("add_scene", "Hall")
    shot = log.do("add_shot", scene)
    log.do("change_shot", shot, conditioning=[{"asset": door[:6], "frame_index": 0}])
    assert log.state.shots[shot].conditioning[0].asset == log.state.assets[door].path
    with pytest.raises(AssetInUse):
        log.do("delete_asset", door, [])
    with pytest.raises(NotFound):
        log.do("change_shot", shot, conditioning=[{"asset": "nosuchasset"}])


def test_a_new_shot_conditioned_on_an_asset_by_name_holds_its_path_and_keeps_it(log):
    door = log.do("add_asset", **still())
    scene = log.do("add_scene", "Hall")
    shot = log.do("add_shot", scene, conditioning=[{"asset": "door.png", "frame_index": 0}])
    assert log.state.shots[shot].conditioning[0].asset == still()["path"]
    with pytest.raises(AssetInUse):
        log.do("delete_asset", door, [])
