"""A shot whose take used an older look of an element is stale, and `shots --stale` says why."""

import pytest

from tests.cli.conftest import Run


@pytest.mark.slow
def test_changing_an_element_after_a_take_makes_the_shot_stale(milimo: Run) -> None:
    created = milimo(
        "project", "create", "Ferry", "--width", "256", "--height", "256", "--fps", "12", "--json"
    )
    pid = created.json()["id"]
    milimo("element", "add", pid, "Mara", "--type", "character", "--description", "red coat")
    scene = milimo("scene", "add", pid, "Deck", "--json").json()["id"]
    used = milimo(
        "shot", "add", pid, "--scene", scene, "--prompt", "@Mara waits", "--frames", "9", "--json"
    ).json()["id"]
    other = milimo(
        "shot", "add", pid, "--scene", scene, "--prompt", "gulls", "--frames", "9", "--json"
    ).json()["id"]
    generated = milimo("generate", pid, used, other, "--wait", "--json")
    assert generated.code == 0, generated.err
    assert milimo("shots", pid, "--stale", "--json").json() == []

    assert milimo("element", "set", pid, "@Mara", "description=green coat").code == 0

    stale = milimo("shots", pid, "--stale", "--json").json()
    assert [s["id"] for s in stale] == [used], "only the shot whose take used @Mara"
    (why,) = stale[0]["stale_because"]
    assert (why["element"], why["used_version"], why["current_version"]) == ("Mara", 1, 2)
    shown = {s["id"]: s["stale"] for s in milimo("project", "show", pid, "--json").json()["shots"]}
    assert shown == {used: True, other: False}

    text = milimo("shots", pid, "--stale")
    assert "stale: @Mara Mara changed: take used v1, now v2" in text.out

    # A new take with the current look is no longer stale.
    assert milimo("generate", pid, used, "--wait").code == 0
    assert milimo("shots", pid, "--stale", "--json").json() == []
