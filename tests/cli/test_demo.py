"""`milimo demo`, the README's main job: screenplay → project → every shot → render → OTIO."""

from pathlib import Path

import av
import opentimelineio as otio

from tests.cli.conftest import Run


def frame_count(path: str) -> int:
    with av.open(path) as container:
        return sum(1 for _ in container.decode(video=0))


def test_the_demo_turns_its_screenplay_into_a_rendered_and_exported_film(milimo: Run) -> None:
    result = milimo("demo", "--json")

    assert result.code == 0, result.err
    data = result.json()
    project = milimo("project", "show", data["project"], "--json").json()
    shots = project["shots"]
    # The screenplay: four scenes, two characters who speak, elements for them and the places.
    assert len(project["scenes"]) == 4
    assert {s["character"] for s in shots if s["dialogue"]} == {"MARA", "JONAH"}
    assert {"Mara", "Jonah", "Lamp Room"} <= {e["name"] for e in project["elements"]}
    assert all(e["description"] for e in project["elements"] if e["name"] in ("Mara", "Jonah"))
    # Every shot generated, each with a take and its thumbnail.
    assert all(j["status"] == "completed" for j in data["jobs"])
    assert len(data["jobs"]) == len(shots)
    assert all(s["takes"] and Path(s["takes"][0]["thumbnail"]).is_file() for s in shots)
    # The long take is longer than the backend's 121 frames and was generated in segments.
    long = max(shots, key=lambda s: s["num_frames"])
    assert long["shot_type"] == "tracking" and long["num_frames"] > 121
    long_audit = next(a for a in data["audit"] if a["shot_id"] == long["id"])
    assert len(long_audit["request"]["segments"]) >= 2
    assert frame_count(long["takes"][0]["path"]) == long["num_frames"]
    # Rendered: one file of exactly the timeline's frames, with its sidecar.
    assert Path(data["render"]).is_absolute()
    assert frame_count(data["render"]) == project["total_frames"] == data["total_frames"]
    assert Path(data["sidecar"]).is_file()
    # Exported: an OTIO file whose V1 holds one clip per V1 shot, in order, with its trims.
    assert data["otio"].endswith(".otio")
    timeline = otio.adapters.read_from_file(data["otio"])
    v1 = next(t for t in timeline.video_tracks() if t.name == "V1")
    clips = list(v1.find_clips())
    assert len(clips) == len([s for s in shots if s["track"] == "V1"])
    trimmed = next(s for s in shots if s["trim_out"])
    assert clips[0].source_range.duration.value == trimmed["visible_frames"]
    # The audit names every generation and the render.
    assert {a["request"]["kind"] for a in data["audit"]} == {"video", "render"}
    history = milimo("history", data["project"], "--json").json()
    assert len(history) == data["version"] == project["version"]
