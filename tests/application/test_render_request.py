"""The render request: what a render of the timeline will read, resolved before it runs."""

from typing import Any

import pytest

from application.render_request import NothingToRender, TakesMissing, render_request, untaken
from domain.project.aggregate import Project

ACTOR = "ana@studio-1"


def take(shot_id: str, frames: int, name: str) -> dict[str, Any]:
    return {
        "id": name,
        "job_id": name,
        "path": f"/media/{name}.mp4",
        "sha256": f"sha-{name}",
        "num_frames": frames,
        "width": 256,
        "height": 256,
    }


def hashes(path: str) -> str:
    """The media store's answer when every file is as generated."""
    return "sha-" + path.rsplit("/", 1)[1].removesuffix(".mp4")


@pytest.fixture
def project() -> Project:
    """Two V1 shots (the second trimmed 3/2), one V2 overlay at 5, one A1 clip at 10."""
    p = Project.create(ACTOR, "Night Train", width=384, height=256, fps=24)
    scene = p.add_scene(ACTOR, "Platform")
    first = p.add_shot(ACTOR, scene, num_frames=17)
    second = p.add_shot(ACTOR, scene, num_frames=25)
    p.trim_shot(ACTOR, second, trim_in=3, trim_out=2)
    over = p.add_shot(ACTOR, scene, track="V2", start_frame=5, num_frames=9)
    music = p.add_shot(ACTOR, scene, track="A1", start_frame=10, num_frames=41)
    for shot, frames, name in (
        (first, 17, "t1"),
        (second, 25, "t2"),
        (over, 9, "t3"),
        (music, 41, "t4"),
    ):
        p.add_take(ACTOR, shot, take(shot, frames, name))
    return p


def request(p: Project, **kwargs: Any) -> dict[str, Any]:
    return render_request(p.id.hex, int(p.version), p.state, hashes, **kwargs)


def test_the_request_records_the_project_and_every_clip_with_its_take(project: Project) -> None:
    r = request(project, destination="/films/night.mp4")
    assert (r["name"], r["version"], r["width"], r["height"], r["fps"]) == (
        "Night Train",
        project.version,
        384,
        256,
        24,
    )
    assert r["total_frames"] == 51  # A1 runs from 10 for 41 frames, past V1's 17 + 20
    assert r["destination"] == "/films/night.mp4"
    assert set(r["tracks"]) == {"V1", "V2", "A1"}
    clips = {c["take_id"]: c for c in r["clips"]}
    assert [c["take_id"] for c in r["clips"]] == ["t1", "t2", "t3", "t4"]
    assert (clips["t2"]["start"], clips["t2"]["length"], clips["t2"]["source_in"]) == (17, 20, 3)
    assert (clips["t3"]["track"], clips["t3"]["start"], clips["t3"]["length"]) == ("V2", 5, 9)
    assert clips["t4"]["video"] is False and clips["t4"]["audio"] is True
    assert clips["t1"]["sha256"] == "sha-t1" and clips["t1"]["path"] == "/media/t1.mp4"


def test_the_default_destination_is_left_to_the_media_store(project: Project) -> None:
    assert request(project)["destination"] is None


def test_a_hidden_track_is_not_drawn_and_a_muted_one_not_heard(project: Project) -> None:
    project.set_track(ACTOR, "V2", hidden=True)
    project.set_track(ACTOR, "V1", muted=True)
    clips = {c["take_id"]: c for c in request(project)["clips"]}
    assert clips["t3"]["video"] is False and clips["t3"]["audio"] is True
    assert clips["t1"]["video"] is True and clips["t1"]["audio"] is False


def test_a_track_hidden_and_muted_plays_nothing_and_needs_no_take() -> None:
    p = Project.create(ACTOR, "Quiet")
    scene = p.add_scene(ACTOR, "One")
    shown = p.add_shot(ACTOR, scene, num_frames=17)
    p.add_take(ACTOR, shown, take(shown, 17, "t1"))
    p.add_shot(ACTOR, scene, track="V2", start_frame=0, num_frames=9)
    p.set_track(ACTOR, "V2", hidden=True, muted=True)
    assert [c["take_id"] for c in request(p)["clips"]] == ["t1"]


def test_an_empty_timeline_is_rejected() -> None:
    p = Project.create(ACTOR, "Empty")
    p.add_scene(ACTOR, "One")
    with pytest.raises(NothingToRender, match="no shots"):
        request(p)


def test_shots_without_a_take_are_listed_with_what_to_do() -> None:
    p = Project.create(ACTOR, "Ungenerated")
    scene = p.add_scene(ACTOR, "One")
    a = p.add_shot(ACTOR, scene, num_frames=17)
    b = p.add_shot(ACTOR, scene, track="V2", start_frame=0, num_frames=9)
    p.add_shot(ACTOR, scene, track="A1", start_frame=0, num_frames=9)  # silence: allowed
    with pytest.raises(TakesMissing) as error:
        request(p)
    message = str(error.value)
    assert "2 shot(s)" in message and a[:8] in message and b[:8] in message
    assert "milimo generate" in message


def test_a_take_whose_file_is_gone_or_changed_is_rejected(project: Project) -> None:
    def changed(path: str) -> str | None:
        return None if path.endswith("t2.mp4") else hashes(path)

    with pytest.raises(TakesMissing, match="missing or changed"):
        render_request(project.id.hex, 1, project.state, changed)


def test_a_take_shorter_than_the_range_its_shot_plays_is_rejected() -> None:
    p = Project.create(ACTOR, "Longer now")
    scene = p.add_scene(ACTOR, "One")
    shot = p.add_shot(ACTOR, scene, num_frames=17)
    p.add_take(ACTOR, shot, take(shot, 17, "t1"))
    p.change_shot(ACTOR, shot, num_frames=25)
    with pytest.raises(TakesMissing, match="plays frames 0-24 of a 17-frame take"):
        request(p)


def test_untaken_names_the_pictures_a_render_would_refuse_for_by_the_tracks_flags() -> None:
    p = Project.create(ACTOR, "Night Train")
    scene = p.add_scene(ACTOR, "Platform")
    picture = p.add_shot(ACTOR, scene, num_frames=17)
    over = p.add_shot(ACTOR, scene, track="V2", start_frame=0, num_frames=9)
    p.add_shot(ACTOR, scene, track="A1", start_frame=0, num_frames=9)  # silence: no hole
    assert untaken(p.state) == [picture, over]
    p.set_track(ACTOR, "V2", hidden=True)  # hidden, its sound still plays: still needed
    assert untaken(p.state) == [picture, over]
    p.set_track(ACTOR, "V2", muted=True)
    assert untaken(p.state) == [picture]
    with pytest.raises(TakesMissing, match="1 shot\\(s\\) have no take yet"):
        request(p)
