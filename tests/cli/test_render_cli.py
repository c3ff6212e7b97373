"""`milimo render`: from a generated timeline to one file, through the real command."""

import json
from pathlib import Path

import av

from tests.cli.conftest import Run


def frame_count(path: str) -> int:
    with av.open(path) as container:
        return sum(1 for _ in container.decode(video=0))


def story(milimo: Run) -> tuple[str, str]:
    """A project with two short shots on V1; returns its id and the first shot's id."""
    pid = milimo("project", "create", "Rooftop", "--width", "256", "--height", "256", "--json")
    project = pid.json()["id"]
    assert milimo("scene", "add", project, "Night").code == 0
    first = milimo(
        "shot", "add", project, "--scene", "Night", "--frames", "17", "--prompt", "a door", "--json"
    ).json()["id"]
    assert milimo("shot", "add", project, "--scene", "Night", "--frames", "25").code == 0
    return project, first


def test_a_generated_timeline_renders_to_one_file_of_its_length(
    milimo: Run, tmp_path: Path
) -> None:
    project, first = story(milimo)
    assert milimo("generate", project, "--all", "--wait").code == 0
    assert milimo("shot", "trim", project, first, "--in", "3", "--out", "2").code == 0
    total = milimo("project", "show", project, "--json").json()["total_frames"]
    assert total == 12 + 25

    result = milimo("render", project, "-o", str(tmp_path / "cut.mp4"), "--json")
    assert result.code == 0, result.err
    doc = result.json()
    assert doc["path"] == str(tmp_path / "cut.mp4") and Path(doc["path"]).is_file()
    assert doc["frames"] == doc["total_frames"] == total == frame_count(doc["path"])
    assert len(doc["takes"]) == 2 and len(doc["sha256"]) == 64
    sidecar = json.loads(Path(doc["sidecar"]).read_text())
    assert [c["take_id"] for c in sidecar["clips"]] == [t["take_id"] for t in doc["takes"]]

    plain = milimo("render", project)  # default place, humane output: the absolute path
    assert plain.code == 0, plain.err
    path = plain.out.strip()
    assert Path(path).is_absolute() and "/renders/" in path and frame_count(path) == total
    audit = milimo("audit", project, "--json").json()
    renders = [e for e in audit if e["request"].get("kind") == "render"]
    assert len(renders) == 2 and renders[0]["request"]["clips"][0]["shot_id"] == first


def test_render_refuses_what_it_cannot_render_and_records_nothing(
    milimo: Run, tmp_path: Path
) -> None:
    assert milimo("render", "no-such-project").code == 4
    project, _ = story(milimo)
    missing = milimo("render", project)
    assert missing.code == 3 and "milimo generate" in missing.err
    assert "Traceback" not in missing.err
    bad_dir = milimo("render", project, "-o", str(tmp_path / "nowhere" / "cut.mp4"))
    assert bad_dir.code == 2 and "does not exist" in bad_dir.err
    assert milimo("render", project, "-o", str(tmp_path)).code == 2
    assert milimo("render", project, "-o", str(tmp_path / "cut.avi")).code == 2
    assert milimo("jobs", project, "--json").json() == []


def test_render_skips_a_muted_and_hidden_track_and_a_locked_track_refuses_edits(
    milimo: Run, tmp_path: Path
) -> None:
    project, first = story(milimo)
    overlay = milimo(
        "shot", "add", project, "--scene", "Night", "--track", "V2", "--start", "4",
        "--frames", "9", "--prompt", "a title card", "--json",
    ).json()["id"]  # fmt: skip
    assert milimo("generate", project, first, "--wait").code == 0  # V1's second shot: no take
    assert milimo("track", "set", project, "V2", "--lock").code == 0
    locked = milimo("shot", "trim", project, overlay, "--in", "1")
    assert locked.code == 3 and "locked" in locked.err

    # V1's second shot has no take and V2's none either: with both tracks silent and unseen
    # except the first shot's, the render needs only what plays.
    assert milimo("track", "set", project, "V2", "--mute", "--hide").code == 0
    refused = milimo("render", project)
    assert refused.code == 3 and "1 shot(s) have no take" in refused.err  # V1's second, not V2's
    assert "V2 is hidden and muted: its 1 shot(s) are left out" in refused.err
    assert milimo("generate", project, "--all", "--wait").code == 0
    rendered = milimo("render", project, "-o", str(tmp_path / "cut.mp4"), "--json")
    assert "V2 is hidden and muted" in rendered.err  # said, not only done
    doc = rendered.json()
    audit = milimo("audit", project, "--json").json()
    (render,) = [e for e in audit if e["request"].get("kind") == "render"]
    assert {c["track"] for c in render["request"]["clips"]} == {"V1"}
    assert render["request"]["tracks"]["V2"] == {"muted": True, "locked": True, "hidden": True}
    assert frame_count(doc["path"]) == 17 + 25
