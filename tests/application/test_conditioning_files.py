"""A shot is conditioned only on files that are there: a generation must be able to hash what it
was given, so that it can be reproduced. A missing or unreadable file is refused when it is set,
with nothing recorded."""

from pathlib import Path

import pytest

import application.conditioning_files as conditioning_files
from application.conditioning_files import ConditioningFileUnreadable
from application.studio import Studio
from domain.errors import DomainError, NotFound


@pytest.fixture
def cut(studio: Studio) -> tuple[str, str, str]:
    pid = studio.create_project("Harbour")
    scene = studio.add_scene(pid, "Quay")
    return pid, scene, studio.add_shot(pid, scene, num_frames=9)


def version(studio: Studio, pid: str) -> int:
    return int(studio.project(pid).version)


def test_a_shot_is_conditioned_on_a_readable_file(studio: Studio, cut, tmp_path: Path) -> None:
    pid, _, shot = cut
    plate = tmp_path / "plate.png"
    plate.write_bytes(b"\x89PNG")
    changed = studio.change_shot(pid, shot, conditioning=[{"asset": str(plate)}])
    assert changed["conditioning"][0]["asset"] == str(plate)
    assert studio.project(pid).state.shots[shot].conditioning[0].asset == str(plate)


def test_a_missing_conditioning_file_is_refused_with_nothing_recorded(studio: Studio, cut) -> None:
    pid, _, shot = cut
    before = version(studio, pid)
    with pytest.raises(ConditioningFileUnreadable, match=r"/tmp/no/such\.png does not exist"):
        studio.change_shot(pid, shot, conditioning=[{"asset": "/tmp/no/such.png"}])
    assert isinstance(ConditioningFileUnreadable("x"), DomainError)
    assert not isinstance(ConditioningFileUnreadable("x"), NotFound), "rejected, not not-found"
    assert version(studio, pid) == before
    assert studio.project(pid).state.shots[shot].conditioning == ()


def test_a_new_shot_with_a_missing_conditioning_file_is_refused(studio: Studio, cut) -> None:
    pid, scene, _ = cut
    before = version(studio, pid)
    with pytest.raises(ConditioningFileUnreadable, match="does not exist"):
        studio.add_shot(pid, scene, conditioning=[{"asset": "/tmp/no/such.png"}])
    assert version(studio, pid) == before


def test_a_folder_or_an_unreadable_file_is_refused(
    studio: Studio, cut, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid, _, shot = cut
    with pytest.raises(ConditioningFileUnreadable, match="is not a file"):
        studio.change_shot(pid, shot, conditioning=[{"asset": str(tmp_path)}])
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG")
    # Root reads every file, so the permission is what os.access answers here.
    monkeypatch.setattr(conditioning_files.os, "access", lambda path, mode: False)
    with pytest.raises(ConditioningFileUnreadable, match="is not readable by this user"):
        studio.change_shot(pid, shot, conditioning=[{"asset": str(secret)}])
    assert studio.project(pid).state.shots[shot].conditioning == ()
