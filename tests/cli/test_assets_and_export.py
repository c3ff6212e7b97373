"""Assets, masks, inpainting and export as a user meets them: the real command, real files."""

from pathlib import Path

import opentimelineio as otio
from PIL import Image

from tests.cli.conftest import Run


def picture(path: Path) -> Path:
    image = Image.new("RGB", (96, 64), (30, 60, 90))
    image.paste((250, 200, 0), (20, 16, 50, 40))
    image.save(path)
    return path


def project(milimo: Run) -> str:
    return str(milimo("project", "create", "Harbour", "--json").json()["id"])


def versions(milimo: Run, pid: str) -> int:
    return len(milimo("history", pid, "--json").json())


def test_import_validates_stores_once_and_lists(milimo: Run, tmp_path: Path) -> None:
    pid = project(milimo)
    door = picture(tmp_path / "door.png")
    first = milimo("asset", "import", pid, str(door), "--json")
    assert first.code == 0, first.err
    asset = first.json()
    assert asset["kind"] == "image" and (asset["width"], asset["height"]) == (96, 64)
    assert (
        Path(asset["path"]).is_absolute() and Path(asset["path"]).read_bytes() == door.read_bytes()
    )
    assert asset["source"] == {"import": str(door)} and asset["already"] is False
    again = milimo("asset", "import", pid, str(door))
    assert again.code == 0 and "already imported" in again.out and asset["id"] in again.out

    before = versions(milimo, pid)
    (tmp_path / "notes.txt").write_text("not a picture\n")
    refused = milimo("asset", "import", pid, str(tmp_path / "notes.txt"))
    assert (
        refused.code == 3 and "not a media file" in refused.err and "Traceback" not in refused.err
    )
    assert milimo("asset", "import", pid, str(tmp_path / "gone.png")).code == 4
    assert milimo("asset", "import", pid, "/etc/passwd").code == 3
    assert versions(milimo, pid) == before

    listed = milimo("asset", "list", pid, "--json").json()
    assert [a["id"] for a in listed] == [asset["id"]]
    assert {"id", "kind", "path", "sha256", "width", "height"} <= set(listed[0])


def test_segment_and_inpaint_make_assets_through_audited_jobs(milimo: Run, tmp_path: Path) -> None:
    pid = project(milimo)
    source = milimo("asset", "import", pid, str(picture(tmp_path / "quay.png")), "--json").json()

    outside = milimo("segment", pid, "quay.png", "--point", "200,10")
    assert outside.code == 3 and "outside the 96×64 image" in outside.err
    assert milimo("segment", pid, "quay.png", "--box", "10,10,5,5").code == 3
    assert milimo("segment", pid, "quay.png", "--point", "oops").code == 2
    assert milimo("jobs", pid, "--json").json() == []  # nothing was requested

    made = milimo("segment", pid, "quay.png", "--point", "30,20", "--wait", "--json")
    assert made.code == 0, made.err
    mask = made.json()
    assert mask["kind"] == "mask" and mask["source"] == {"job_id": mask["job"]}
    pixels = Image.open(mask["path"]).convert("L")
    assert pixels.size == (96, 64)
    assert pixels.getpixel((30, 20)) == 255 and pixels.getpixel((5, 5)) == 0

    queued = milimo("inpaint", pid, source["id"][:8], "--mask", mask["id"][:8], "--prompt", "sea")
    assert queued.code == 0 and len(queued.out.strip()) == 32
    job = queued.out.strip()
    filled = milimo("inpaint", pid, "quay.png", "--mask", mask["id"], "--prompt", "sea",
                    "--seed", "7", "--wait", "--json")  # fmt: skip
    assert filled.code == 0, filled.err
    image = filled.json()
    assert image["kind"] == "image" and image["id"] not in (source["id"], mask["id"])
    assert Image.open(image["path"]).getpixel((30, 20)) != (250, 200, 0)

    kinds = [a["kind"] for a in milimo("asset", "list", pid, "--json").json()]
    assert kinds[:3] == ["image", "mask", "image"]
    audit = {e["job_id"]: e for e in milimo("audit", pid, "--json").json()}
    assert audit[mask["job"]]["request"]["points"] == [[30.0, 20.0]]
    assert audit[mask["job"]]["output"]["sha256"] == mask["sha256"]
    assert audit[image["job"]]["request"]["seed"] == 7
    assert job in audit


def test_export_otio_edl_and_fcpxml_after_generating(milimo: Run, tmp_path: Path) -> None:
    pid = project(milimo)
    scene = milimo("scene", "add", pid, "Quay", "--json").json()["id"]
    shots = [
        milimo("shot", "add", pid, "--scene", scene, "--frames", "17", "--json").json()["id"]
        for _ in range(2)
    ]
    milimo("shot", "add", pid, "--scene", scene, "--frames", "9", "--track", "V2", "--start", "4")
    milimo("shot", "trim", pid, shots[0], "--in", "2", "--out", "3")
    assert milimo("generate", pid, "--all", "--wait").code == 0

    assert milimo("export", pid, "--format", "otio").code == 2  # -o is required
    assert milimo("export", pid, "--format", "mov", "-o", "x").code == 2
    out = milimo("export", pid, "--format", "otio", "-o", str(tmp_path / "cut.otio"), "--json")
    assert out.code == 0, out.err
    doc = out.json()
    assert doc == {"path": str(tmp_path / "cut.otio"), "format": "otio", "clips": 3,
                   "warnings": []}  # fmt: skip
    timeline = otio.adapters.read_from_file(doc["path"])
    assert [t.name for t in timeline.tracks] == ["V1", "V2", "A1"]
    v1 = list(timeline.tracks[0])
    assert [(c.source_range.start_time.value, c.source_range.duration.value) for c in v1] == [
        (2, 12),
        (0, 17),
    ]
    assert [c.metadata["milimo"]["shot_id"] for c in v1] == shots
    assert all(Path(c.media_reference.target_url.removeprefix("file://")).is_file() for c in v1)

    edl = milimo("export", pid, "--format", "edl", "-o", str(tmp_path / "cut.edl"), "--json")
    assert edl.code == 0 and "V2 (1 clips) is left out" in edl.json()["warnings"][0]
    assert "V2 (1 clips) is left out" in edl.err
    assert len(otio.adapters.read_from_file(str(tmp_path / "cut.edl"), rate=25).find_clips()) == 2
    fcp = milimo("export", pid, "--format", "fcpxml", "-o", str(tmp_path / "cut.fcpxml"))
    assert fcp.code == 0 and (tmp_path / "cut.fcpxml").read_text().startswith("<?xml")
    back = otio.adapters.read_from_file(str(tmp_path / "cut.fcpxml"), "fcpx_xml")
    assert len(back.find_clips()) == 3


def tone(path: Path, seconds: float) -> Path:
    import subprocess

    from models.media import ffmpeg_exe

    subprocess.run(
        [ffmpeg_exe(), "-loglevel", "error", "-y", "-f", "lavfi", "-i",
         f"sine=frequency=440:duration={seconds}", str(path)],
        check=True,
    )  # fmt: skip
    return path


def test_a_sound_placed_on_a1_is_heard_in_the_render_from_its_start(
    milimo: Run, tmp_path: Path
) -> None:
    import av
    import numpy as np

    pid = project(milimo)
    scene = milimo("scene", "add", pid, "Quay", "--json").json()["id"]
    milimo("shot", "add", pid, "--scene", scene, "--frames", "49", "--width", "256",
           "--height", "256")  # fmt: skip
    sound = milimo("asset", "import", pid, str(tone(tmp_path / "gulls.wav", 1.3)), "--json").json()
    before = versions(milimo, pid)
    assert milimo("shot", "add", pid, "--scene", scene, "--asset", sound["id"]).code == 3
    assert (
        milimo("shot", "add", pid, "--scene", scene, "--asset", "nope", "--track", "A1").code == 4
    )
    assert versions(milimo, pid) == before

    placed = milimo("shot", "add", pid, "--scene", scene, "--asset", sound["id"], "--track", "A1",
                    "--start", "10", "--json")  # fmt: skip
    assert placed.code == 0, placed.err
    shot = placed.json()
    # 1.3 s at 25 fps is 32.5 → 32 frames of sound: a 33-frame shot with one frame trimmed off.
    assert (shot["num_frames"], shot["trim_out"], shot["visible_frames"]) == (33, 1, 32)
    assert [t["path"] for t in shot["takes"]] == [sound["path"]]
    assert milimo("generate", pid, "--all", "--wait").code == 0
    render = milimo("render", pid, "--json")
    assert render.code == 0, render.err

    with av.open(render.json()["path"]) as container:
        stream = container.streams.audio[0]
        samples = np.concatenate([f.to_ndarray()[0] for f in container.decode(stream)])
    rate = stream.rate

    def loudness(start: float, end: float) -> float:
        return float(np.sqrt((samples[int(start * rate) : int(end * rate)] ** 2).mean()))

    assert loudness(0.0, 0.35) < 1e-3  # before frame 10 (0.4 s): silence
    assert loudness(0.5, 1.6) > 0.02  # the tone, mixed in at its place
