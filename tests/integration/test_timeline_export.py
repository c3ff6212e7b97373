"""The cut written through OpenTimelineIO and read back by it: same clips, ranges and order."""

from pathlib import Path

import opentimelineio as otio
import pytest

from domain.project.aggregate import Project
from infrastructure.timeline_export import export_timeline
from tests.integration.test_asset_store import mp4

ACTOR = "ana@box"


def take(path: Path, job: str, frames: int) -> dict[str, object]:
    return {
        "id": job,
        "job_id": job,
        "path": str(path),
        "sha256": job[0] * 64,
        "num_frames": frames,
        "width": 64,
        "height": 48,
    }


@pytest.fixture
def film(tmp_path: Path) -> Project:
    """V1: a (25 frames, trimmed 2/3, with sound) and b (17, no take); V2: c at 5 and d at 30;
    A1: e at 3. Project fps 25."""
    project = Project.create(ACTOR, "Night Ferry", fps=25)
    scene = project.add_scene(ACTOR, "Deck")
    a = project.add_shot(ACTOR, scene, num_frames=25, prompt="rain", character="MARA")
    project.add_shot(ACTOR, scene, num_frames=17)
    c = project.add_shot(ACTOR, scene, num_frames=9, track="V2", start_frame=5)
    d = project.add_shot(ACTOR, scene, num_frames=9, track="V2", start_frame=30)
    project.add_shot(ACTOR, scene, num_frames=9, track="A1", start_frame=3)
    project.trim_shot(ACTOR, a, 2, 3)
    project.add_take(ACTOR, a, take(mp4(tmp_path / "a.mp4"), "a" * 32, 25))
    for shot, job in ((c, "c" * 32), (d, "d" * 32)):
        project.add_take(ACTOR, shot, take(mp4(tmp_path / "v2.mp4", audio=False), job, 9))
    return project


def clips(track: otio.schema.Track) -> list[tuple[str, int, int]]:
    return [
        (type(item).__name__, int(item.source_range.start_time.value),
         int(item.source_range.duration.value))
        for item in track
    ]  # fmt: skip


def test_otio_read_back_has_the_same_clips_ranges_and_order(film, tmp_path):
    out = tmp_path / "cut.otio"
    result = export_timeline(film.state, film.id.hex, out, "otio")
    assert (result.path, result.format, result.warnings) == (str(out), "otio", [])
    timeline = otio.adapters.read_from_file(str(out))
    names = [t.name for t in timeline.tracks]
    assert names == ["V1", "V2", "A1", "V1 audio"]
    tracks = {t.name: t for t in timeline.tracks}
    assert tracks["V1"].kind == otio.schema.TrackKind.Video
    assert tracks["A1"].kind == tracks["V1 audio"].kind == otio.schema.TrackKind.Audio
    assert clips(tracks["V1"]) == [("Clip", 2, 20), ("Clip", 0, 17)]
    assert clips(tracks["V2"]) == [("Gap", 0, 5), ("Clip", 0, 9), ("Gap", 0, 16),
                                   ("Clip", 0, 9)]  # fmt: skip
    assert clips(tracks["A1"]) == [("Gap", 0, 3), ("Clip", 0, 9)]
    assert clips(tracks["V1 audio"]) == [("Clip", 2, 20)]
    first, second = tracks["V1"]
    assert first.name == "Deck / 1 / MARA" and second.name == "Deck / 2"
    assert first.media_reference.target_url == (tmp_path / "a.mp4").as_uri()
    assert first.media_reference.available_range.duration.value == 25
    assert first.source_range.start_time.rate == 25
    assert first.metadata["milimo"]["prompt"] == "rain"
    assert first.metadata["milimo"]["take_id"] == "a" * 32
    assert first.metadata["milimo"]["sha256"] == "a" * 64
    assert isinstance(second.media_reference, otio.schema.MissingReference)
    assert result.clips == 6


def test_overlapping_clips_go_to_a_track_above_the_one_they_cover(film, tmp_path):
    film.move_shot(ACTOR, film.shot(next(s.id for s in film.state.shots.values()
                                         if s.start_frame == 30)).id, start_frame=8)  # fmt: skip
    result = export_timeline(film.state, film.id.hex, tmp_path / "cut.otio", "otio")
    timeline = otio.adapters.read_from_file(result.path)
    tracks = {t.name: t for t in timeline.tracks}
    assert clips(tracks["V2"]) == [("Gap", 0, 5), ("Clip", 0, 9)]
    assert clips(tracks["V2.2"]) == [("Gap", 0, 8), ("Clip", 0, 9)]
    assert [t.name for t in timeline.tracks].index("V2.2") > [
        t.name for t in timeline.tracks
    ].index("V2")
    assert any("overlap on V2" in w for w in result.warnings)


def test_an_edl_holds_v1_and_says_what_it_left_out(film, tmp_path):
    result = export_timeline(film.state, film.id.hex, tmp_path / "cut.edl", "edl")
    assert any("V2 (2 clips) is left out" in w for w in result.warnings)
    assert any("A1 (1 clips)" in w for w in result.warnings)
    timeline = otio.adapters.read_from_file(result.path, "cmx_3600", rate=25)
    (video,) = timeline.video_tracks()
    found = [(c.name, c.source_range.start_time.value, c.source_range.duration.value)
             for c in video.find_clips()]  # fmt: skip
    assert found == [("Deck / 1 / MARA", 2, 20), ("Deck / 2", 0, 17)]


def test_fcp_xml_is_written_and_read_back_with_every_video_clip(film, tmp_path):
    result = export_timeline(film.state, film.id.hex, tmp_path / "cut.fcpxml", "fcpxml")
    assert result.warnings == []
    timeline = otio.adapters.read_from_file(result.path, "fcpx_xml")
    names = sorted(c.name for c in timeline.find_clips())
    assert names.count("Deck / 1 / MARA") >= 1 and "Deck / 2" in names
    ranges = {c.name: c.source_range for c in timeline.find_clips()}
    assert ranges["Deck / 1 / MARA"].start_time.to_frames() == 2
    assert ranges["Deck / 1 / MARA"].duration.to_frames() == 20


def test_the_file_is_replaced_whole_and_nothing_is_left_beside_it(film, tmp_path):
    out = tmp_path / "exports" / "cut.otio"
    export_timeline(film.state, film.id.hex, out, "otio")
    export_timeline(film.state, film.id.hex, out, "otio")
    assert [p.name for p in out.parent.iterdir()] == ["cut.otio"]
