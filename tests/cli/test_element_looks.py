"""Element looks through the real command and the embedded worker, on the animatic backend:
visualize → the first look is chosen → a take → edit-look → choose it → the shot is stale."""

from pathlib import Path

import pytest
from PIL import Image

from tests.cli.conftest import Run


def film(milimo: Run) -> tuple[str, str]:
    created = milimo(
        "project", "create", "Ferry", "--width", "256", "--height", "256", "--fps", "12", "--json"
    )
    pid = created.json()["id"]
    added = milimo(
        "element", "add", pid, "Mara", "--type", "character", "--description", "red coat"
    )
    assert added.code == 0, added.err
    scene = milimo("scene", "add", pid, "Deck", "--json").json()["id"]
    return pid, scene


@pytest.mark.slow
def test_visualize_edit_choose_and_the_stale_shot_end_to_end(milimo: Run) -> None:
    pid, scene = film(milimo)
    made = milimo("element", "visualize", pid, "@Mara", "--wait", "--json")
    assert made.code == 0, made.err
    first = made.json()
    assert first["status"] == "completed" and first["kind"] == "visualize" and first["chosen"]
    assert first["prompt"] == "red coat" and Path(first["path"]).is_absolute()
    with Image.open(first["path"]) as still:
        assert still.size == (1024, 1024)
    (mara,) = milimo("element", "list", pid, "--json").json()
    assert (mara["image"], mara["look"], mara["version"]) == (first["path"], first["id"], 2)

    shot = milimo(
        "shot", "add", pid, "--scene", scene, "--prompt", "@Mara waits", "--frames", "9", "--json"
    ).json()["id"]
    assert milimo("generate", pid, shot, "--wait").code == 0

    edited = milimo(
        "element", "edit-look", pid, "Mara", "--prompt", "twenty years older", "--wait", "--json"
    )
    assert edited.code == 0, edited.err
    second = edited.json()
    assert (second["kind"], second["edited_from"], second["chosen"]) == ("edit", first["id"], False)
    assert second["reference"] == first["path"]
    listed = milimo("element", "looks", pid, "@Mara", "--json").json()
    assert [(x["id"], x["chosen"]) for x in listed] == [(first["id"], True), (second["id"], False)]
    text = milimo("element", "looks", pid, "@Mara").out.splitlines()
    assert text[0].startswith(f"* {first['id'][:8]} visualize")
    assert "'twenty years older' (from " in text[1]
    assert milimo("shots", pid, "--stale", "--json").json() == []

    chose = milimo("element", "look", pid, "Mara", second["id"][:8], "--json")
    assert chose.code == 0, chose.err
    doc = chose.json()
    assert doc["changed"] and doc["version"] == 3 and doc["element"]["image"] == second["path"]
    assert [(s["id"], s["used_version"], s["current_version"]) for s in doc["stale_shots"]] == [
        (shot, 2, 3)
    ]
    assert [s["id"] for s in milimo("shots", pid, "--stale", "--json").json()] == [shot]
    again = milimo("element", "look", pid, "Mara", second["id"])
    assert again.code == 0 and "already" in again.out and shot[:8] in again.out

    audit = {a["job_id"]: a for a in milimo("audit", pid, "--json").json()}
    request = audit[second["id"]]["request"]
    assert request["reference_images"] == [first["path"]]
    assert request["reference_sha256"] == [first["sha256"]]

    assert milimo("undo", pid).code == 0
    (mara,) = milimo("element", "list", pid, "--json").json()
    assert (mara["image"], mara["look"]) == (first["path"], first["id"])
    assert len(mara["looks"]) == 2


def test_edit_look_without_an_image_is_refused_and_nothing_is_recorded(milimo: Run) -> None:
    pid, _ = film(milimo)
    history = milimo("history", pid, "--json").json()
    refused = milimo("element", "edit-look", pid, "Mara", "--prompt", "older", "--json")
    assert refused.code == 3 and refused.out == "" and "Traceback" not in refused.err
    assert "element visualize" in refused.err
    assert milimo("history", pid, "--json").json() == history
    assert milimo("jobs", pid, "--json").json() == []


def test_unknown_elements_and_looks_are_not_found(milimo: Run) -> None:
    pid, _ = film(milimo)
    for args in (
        ("visualize", pid, "Nobody"),
        ("edit-look", pid, "Nobody", "--prompt", "older"),
        ("looks", pid, "Nobody"),
        ("look", pid, "Mara", "abc123"),
    ):
        result = milimo("element", *args, "--json")
        assert result.code == 4 and result.out == "", (args, result.err)
        assert "Traceback" not in result.err
    unknown_look = milimo("element", "look", pid, "Mara", "abc123")
    assert "has no look 'abc123'" in unknown_look.err and "element looks" in unknown_look.err
    assert milimo("element", "looks", pid, "Mara", "--json").json() == []
    assert milimo("element", "looks", pid, "Mara").out.strip() == "no looks yet"
    missing = milimo("element", "edit-look", pid, "Mara")
    assert missing.code == 2, "--prompt is required"


def test_visualize_without_wait_returns_the_job_at_once(milimo: Run) -> None:
    pid, _ = film(milimo)
    made = milimo("element", "visualize", pid, "Mara", "--prompt", "in the rain", "--json")
    assert made.code == 0, made.err
    job = made.json()["id"]
    (listed,) = milimo("jobs", pid, "--json").json()
    assert listed["id"] == job and listed["kind"] == "image"
