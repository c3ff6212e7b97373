"""A project's assets: recorded once per content, found by id or name, never undone."""

import copy

import pytest

from domain.errors import AmbiguousReference, InvalidValue, NotFound
from domain.project.aggregate import Project
from domain.project.asset import asset_of_job

SHA_A, SHA_B = "a" * 64, "b" * 64


def still(sha: str = SHA_A, name: str = "door.png", **extra: object) -> dict[str, object]:
    return {
        "kind": "image",
        "path": f"/media/assets/{sha[:2]}/{sha}.png",
        "sha256": sha,
        "width": 640,
        "height": 480,
        "num_frames": 1,
        "name": name,
        "source": {"import": f"/home/ana/{name}"},
        **extra,
    }


def test_an_imported_still_becomes_an_asset_of_the_project(log):
    asset_id = log.do("add_asset", **still())
    asset = log.state.assets[asset_id]
    assert (asset.kind, asset.width, asset.height, asset.name) == ("image", 640, 480, "door.png")
    assert asset.source == {"import": "/home/ana/door.png"}
    assert type(log.events[-1]).__name__ == "AssetAdded"
    assert log.events[-1].actor == log.events[0].actor
    assert log.replayed() == log.state


def test_the_same_content_is_never_held_twice(log):
    first = log.do("add_asset", **still())
    version = log.version
    again = log.do("add_asset", **still(name="copy of door.png"))
    assert again == first
    assert log.version == version  # nothing was recorded
    assert list(log.state.assets) == [first]


def test_undo_never_removes_an_asset(log):
    scene = log.do("add_scene", "Hall")
    asset_id = log.do("add_asset", **still())
    assert log.undo() == 2  # the scene, the last edit: the asset is not an edit
    assert scene not in log.state.scenes
    assert asset_id in log.state.assets
    assert log.undo() is None
    assert asset_id in log.state.assets
    log.redo()
    assert asset_id in log.state.assets and scene in log.state.scenes


def test_restoring_an_earlier_version_keeps_the_assets(project, actor):
    project.add_scene(actor, "Hall")
    earlier = copy.deepcopy(project)
    asset_id = project.add_asset(actor, **still())
    project.add_scene(actor, "Roof")
    changes = project.restore(actor, to=earlier)
    assert [c["collection"] for c in changes] == ["scenes"]
    assert asset_id in project.state.assets
    assert [s.name for s in project.state.scenes.values()] == ["Hall"]


def test_a_branch_holds_the_assets_its_origin_held_at_that_version(project, actor):
    door = project.add_asset(actor, **still())
    at = copy.deepcopy(project)
    window = project.add_asset(actor, **still(SHA_B, "window.png"))
    branch = Project.branch(project.id.hex, at, actor, "Alt cut")
    assert list(branch.state.assets) == [door]
    assert window not in branch.state.assets


def test_assets_are_found_by_id_prefix_or_name(log):
    door = log.do("add_asset", **still(name="door.png"))
    window = log.do("add_asset", **still(SHA_B, "window.png"))
    assert log.project.asset(door[:6]).id == door
    assert log.project.asset("window.png").id == window
    with pytest.raises(NotFound):
        log.project.asset("nothing")
    log.do("add_asset", **still("c" * 64, "window.png"))
    with pytest.raises(AmbiguousReference):
        log.project.asset("window.png")


@pytest.mark.parametrize(
    "bad",
    [
        {"path": "relative/door.png"},
        {"sha256": "xyz"},
        {"kind": "sculpture"},
        {"source": {}},
        {"source": {"import": "/a", "job_id": "b"}},
        {"source": {"upload": "/a"}},
    ],
)
def test_an_invalid_asset_is_refused_and_records_nothing(log, bad):
    version = log.version
    with pytest.raises(InvalidValue):
        log.do("add_asset", **{**still(), **bad})
    assert log.version == version and not log.state.assets


def test_a_finished_mask_or_inpaint_job_makes_an_asset_and_a_video_does_not():
    record = {"path": "/m/x.png", "sha256": SHA_A, "width": 64, "height": 48, "frames": 1}
    mask = asset_of_job("segment", "j" * 32, record)
    assert mask is not None and mask["kind"] == "mask" and mask["source"] == {"job_id": "j" * 32}
    assert asset_of_job("inpaint", "k" * 32, record)["kind"] == "image"  # type: ignore[index]
    assert asset_of_job("video", "v" * 32, record) is None
    assert asset_of_job("segment", "j" * 32, {**record, "sha256": None}) is None


def sound(seconds: float, sha: str = SHA_B) -> dict[str, object]:
    return {
        "kind": "audio",
        "path": f"/media/assets/{sha[:2]}/{sha}.wav",
        "sha256": sha,
        "duration": seconds,
        "has_audio": True,
        "name": "gulls.wav",
        "source": {"import": "/home/ana/gulls.wav"},
    }


def test_a_placed_sound_is_a_shot_of_its_length_with_the_asset_as_its_take(log):
    scene = log.do("add_scene", "Quay")
    asset_id = log.do("add_asset", **sound(2.0))
    shot_id = log.do("place_asset", scene, asset_id, "A1", 12)
    shot = log.state.shots[shot_id]
    # 2 s at 25 fps = 50 frames: a 57-frame shot (8k+1) with 7 trimmed off its end.
    assert (shot.track, shot.start_frame, shot.num_frames, shot.trim_out) == ("A1", 12, 57, 7)
    assert [(t.id, t.num_frames) for t in shot.takes] == [(asset_id, 50)]
    assert shot.active_take == asset_id and shot.action == "gulls.wav"
    assert log.replayed() == log.state


def test_only_clips_and_sounds_are_placed_and_sounds_only_on_a1(log):
    scene = log.do("add_scene", "Quay")
    picture = log.do("add_asset", **still())
    noise = log.do("add_asset", **sound(1.0))
    version = log.version
    with pytest.raises(InvalidValue, match="only a clip or a sound"):
        log.do("place_asset", scene, picture, "V2", 0)
    with pytest.raises(InvalidValue, match="--track A1"):
        log.do("place_asset", scene, noise, "V1", None)
    with pytest.raises(NotFound):
        log.do("place_asset", scene, "nothing", "A1", 0)
    assert log.version == version
