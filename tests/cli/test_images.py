"""`milimo image` and `milimo asset delete` as a user meets them: the real command, the embedded
worker, the animatic backend (no weights here), real files."""

from pathlib import Path

from PIL import Image

from tests.cli.conftest import Run


def project(milimo: Run) -> str:
    return str(milimo("project", "create", "Harbour", "--seed", "11", "--json").json()["id"])


def versions(milimo: Run, pid: str) -> int:
    return len(milimo("history", pid, "--json").json())


def test_an_image_is_validated_before_anything_is_recorded(milimo: Run, tmp_path: Path) -> None:
    pid = project(milimo)
    before = versions(milimo, pid)
    for args, message in [
        (["--prompt", " "], "the prompt is empty"),
        (["--prompt", "quay", "--width", "1000"], "multiple of 16"),
        (["--prompt", "quay", "--steps", "0"], "num_inference_steps must be between 1 and 200"),
    ]:
        refused = milimo("image", pid, *args)
        assert refused.code == 3 and message in refused.err, refused.err
        assert "Traceback" not in refused.err
    assert milimo("image", pid, "--prompt", "quay", "--ref", "nothing.png").code == 4
    assert milimo("image", pid, "--prompt", "quay", "--width", "wide").code == 2
    assert milimo("image", pid).code == 2  # --prompt is required
    assert milimo("jobs", pid, "--json").json() == []
    assert versions(milimo, pid) == before


def test_an_image_with_references_becomes_an_asset_and_is_audited(
    milimo: Run, tmp_path: Path
) -> None:
    pid = project(milimo)
    door = tmp_path / "door.png"
    Image.new("RGB", (160, 120), (250, 200, 0)).save(door)
    ref = milimo("asset", "import", pid, str(door), "--json").json()

    queued = milimo("image", pid, "--prompt", "the quay", "--width", "256", "--height", "256")
    assert queued.code == 0 and len(queued.out.strip()) == 32
    plain = milimo("image", pid, "--prompt", "the quay at dusk", "--width", "256", "--height",
                   "256", "--wait", "--json")  # fmt: skip
    made = milimo("image", pid, "--prompt", "the quay at dusk", "--ref", "door.png",
                  "--width", "256", "--height", "256", "--wait", "--json")  # fmt: skip
    assert plain.code == 0 and made.code == 0, made.err
    asset = made.json()
    assert asset["kind"] == "image" and (asset["width"], asset["height"]) == (256, 256)
    assert asset["source"] == {"job_id": asset["job"]} and asset["status"] == "completed"
    assert asset["name"].endswith("the quay at dusk")
    assert Image.open(asset["path"]).size == (256, 256)
    assert asset["sha256"] != plain.json()["sha256"]  # the reference is on the card

    listed = milimo("asset", "list", pid, "--json").json()
    assert asset["id"] in [a["id"] for a in listed]
    assert {"id", "kind", "path", "sha256", "width", "height"} <= set(listed[-1])
    audit = {e["job_id"]: e for e in milimo("audit", pid, "--json").json()}
    request = audit[asset["job"]]["request"]
    assert (request["prompt"], request["seed"], request["num_inference_steps"]) == (
        "the quay at dusk",
        11,
        25,
    )
    assert request["guidance_scale"] == 2.0 and request["backend"] == "animatic"
    assert request["reference_images"] == [ref["path"]]
    assert request["reference_sha256"] == [ref["sha256"]]
    assert audit[asset["job"]]["shot_id"] is None
    assert audit[asset["job"]]["output"]["sha256"] == asset["sha256"]


def test_deleting_assets_keeps_files_in_use_and_refuses_a_conditioned_one(
    milimo: Run, tmp_path: Path
) -> None:
    pid = project(milimo)
    made = milimo("image", pid, "--prompt", "gulls", "--width", "256", "--height", "256",
                  "--wait", "--json").json()  # fmt: skip
    door = tmp_path / "door.png"
    Image.new("RGB", (160, 120), (250, 200, 0)).save(door)
    imported = milimo("asset", "import", pid, str(door), "--json").json()
    other = milimo("project", "create", "Other", "--json").json()["id"]
    assert milimo("asset", "import", other, str(door)).code == 0  # the same stored file
    scene = milimo("scene", "add", pid, "Quay", "--json").json()["id"]
    shot = milimo("shot", "add", pid, "--scene", scene, "--frames", "9", "--json").json()["id"]
    conditioning = f'conditioning=[{{"asset": "{made["path"]}"}}]'
    assert milimo("shot", "set", pid, shot, conditioning).code == 0

    assert milimo("asset", "delete", pid, "nothing").code == 4
    before = versions(milimo, pid)
    refused = milimo("asset", "delete", pid, made["id"][:8])
    assert refused.code == 3 and f"shot {shot[:8]}" in refused.err, refused.err
    assert versions(milimo, pid) == before and Path(made["path"]).is_file()

    kept = milimo("asset", "delete", pid, "door.png", "--json")
    assert kept.code == 0, kept.err
    doc = kept.json()
    assert doc["id"] == imported["id"] and doc["file_removed"] is False
    assert doc["file_kept_because"][0].endswith("of project 'Other'")
    assert Path(imported["path"]).is_file()

    assert milimo("shot", "set", pid, shot, "conditioning=[]").code == 0
    gone = milimo("asset", "delete", pid, made["id"][:8])
    assert gone.code == 0 and "file removed" in gone.out, gone.err
    assert not Path(made["path"]).exists()
    assert [a["id"] for a in milimo("asset", "list", pid, "--json").json()] == []
    history = milimo("history", pid, "--json").json()
    assert [h["type"] for h in history[-3:]] == ["AssetDeleted", "ShotSpecChanged", "AssetDeleted"]
