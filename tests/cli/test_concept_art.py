"""Concept art and thumbnails through the real command, on the animatic backend."""

from pathlib import Path

from PIL import Image

from tests.cli.conftest import Run


def make_shot(milimo: Run) -> tuple[str, str]:
    pid = milimo("project", "create", "Pier", "--width", "384", "--height", "256", "--json")
    scene = milimo("scene", "add", pid.json()["id"], "Pier", "--json").json()["id"]
    shot = milimo(
        "shot", "add", pid.json()["id"], "--scene", scene, "--action", "Mara walks the pier",
        "--character", "MARA", "--frames", "17", "--json",
    )  # fmt: skip
    return pid.json()["id"], shot.json()["id"]


def test_shot_concept_waits_for_a_still_that_project_show_lists_and_undo_keeps(
    milimo: Run,
) -> None:
    pid, shot = make_shot(milimo)
    made = milimo("shot", "concept", pid, shot[:8], "--wait", "--json")
    assert made.code == 0, made.err
    doc = made.json()
    assert doc["status"] == "completed" and doc["shot_id"] == shot
    art = doc["concept_art"]
    assert Path(art).is_absolute()
    with Image.open(art) as still:
        assert still.size == (384, 256)
    jobs = milimo("jobs", pid, "--json").json()
    assert [(j["id"], j["kind"]) for j in jobs] == [(doc["id"], "concept")]

    assert milimo("shot", "set", pid, shot, "prompt=Mara runs").code == 0
    assert milimo("undo", pid).code == 0
    (shown,) = milimo("project", "show", pid, "--json").json()["shots"]
    assert shown["concept_art"] == art and shown["prompt"] == ""
    assert shown["takes"] == [] and shown["status"] == "pending"


def test_a_generated_take_has_its_thumbnail_in_project_show(milimo: Run) -> None:
    pid, shot = make_shot(milimo)
    assert milimo("generate", pid, shot, "--wait", "--json").code == 0
    (shown,) = milimo("project", "show", pid, "--json").json()["shots"]
    (take,) = shown["takes"]
    assert take["thumbnail"].endswith(f"/thumbnails/{take['id']}.jpg")
    with Image.open(take["thumbnail"]) as thumb:
        assert thumb.format == "JPEG" and thumb.width == 320


def test_concept_art_for_an_unknown_shot_or_an_audio_shot_is_refused(milimo: Run) -> None:
    pid, _ = make_shot(milimo)
    missing = milimo("shot", "concept", pid, "nope", "--json")
    assert missing.code == 4 and missing.out == "" and "Traceback" not in missing.err
    scene = milimo("scene", "list", pid, "--json").json()[0]["id"]
    audio = milimo("shot", "add", pid, "--scene", scene, "--track", "A1", "--start", "0", "--json")
    refused = milimo("shot", "concept", pid, audio.json()["id"])
    assert refused.code == 3 and "audio track" in refused.err
    assert milimo("jobs", pid, "--json").json() == []
