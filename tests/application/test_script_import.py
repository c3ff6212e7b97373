"""A screenplay imported through the Studio, on the in-memory store; and stale shots."""

import pytest

from application.queries import Queries
from application.script_import import import_view, plan_changes, preview_view
from application.studio import Studio
from domain.errors import TrackLocked
from domain.project.script_merge import EmptyScript
from domain.script.plan import PlannedScene, PlannedShot, ProposedElement, ScriptPlan

SOURCE = {"file": "lighthouse.fountain", "sha256": "cd" * 32}


def screenplay(*stairs_beats: PlannedShot) -> ScriptPlan:
    stairs = stairs_beats or (
        PlannedShot(key="s1", action="@Keeper climbs the spiral stairs.", shot_type="tracking"),
        PlannedShot(key="s2", dialogue="Who's there?", character="KEEPER", shot_type="close_up"),
    )
    return ScriptPlan(
        mode="fountain",
        scenes=(
            PlannedScene(
                key="stairs", name="Stairs", heading="INT. LIGHTHOUSE STAIRS - NIGHT", shots=stairs
            ),
            PlannedScene(
                key="lamp",
                name="Lamp Room",
                heading="INT. LAMP ROOM - NIGHT",
                shots=(PlannedShot(key="l1", action="The lamp turns.", duration_seconds=2.5),),
            ),
        ),
        elements_proposed=(
            ProposedElement(name="Keeper", type="character", trigger_word="@Keeper"),
        ),
    )


def test_a_script_is_imported_reimported_undone_and_redone(
    studio: Studio, queries: Queries
) -> None:
    pid = studio.create_project("The Lighthouse", fps=24)
    result = studio.import_script(pid, screenplay(), False, SOURCE)
    assert result.version == 2
    view = queries.project(pid)
    assert [s["name"] for s in view["scenes"]] == ["Stairs", "Lamp Room"]
    assert [s["script_key"] for s in view["scenes"]] == ["stairs", "lamp"]
    assert [s["beat"]["key"] for s in view["shots"]] == ["s1", "s2", "l1"]
    assert view["shots"][2]["num_frames"] == 65, "2.5 s × 24 fps = 60 frames → 65"
    assert [e["trigger_word"] for e in view["elements"]] == ["@Keeper"]
    (line,) = queries.history(pid, offset=1)
    assert line["type"] == "ScriptImported"
    assert line["summary"].startswith("imported lighthouse.fountain (fountain)")

    s2 = view["shots"][1]["id"]
    studio.change_shot(pid, s2, dialogue="Who is there?")
    revised = screenplay(
        PlannedShot(key="s0", action="Wind howls."),
        PlannedShot(key="s2", dialogue="Hello?", character="KEEPER", shot_type="medium"),
    )
    preview = plan_changes(studio.project(pid).state, revised, prune=False)
    assert queries.project(pid)["version"] == 3, "a preview records nothing"
    result = studio.import_script(pid, revised, False, SOURCE)
    assert result.version == 4
    assert result.counts() == preview.counts()
    answer = import_view(pid, result)
    assert (answer["id"], answer["shots_added"], answer["shots_updated"]) == (pid, 1, 1)
    assert [g["key"] for g in answer["shots_gone"]] == ["s1"]
    assert answer["shots_removed"] == 0

    shots = queries.shots(pid)
    # The new beat goes in just before the next beat it precedes in the script; the gone one
    # stays where it was until pruned.
    assert [s["beat"]["key"] for s in shots] == ["s1", "s0", "s2", "l1"]
    assert shots[2]["dialogue"] == "Who is there?", "the user's line stays"
    assert shots[2]["shot_type"] == "medium"

    assert studio.undo(pid) == 4
    assert [s["beat"]["key"] for s in queries.shots(pid)] == ["s1", "s2", "l1"]
    assert studio.redo(pid) == 4
    assert [s["beat"]["key"] for s in queries.shots(pid)] == ["s1", "s0", "s2", "l1"]

    pruned = studio.import_script(pid, revised, True, SOURCE)
    assert [o.key for o in pruned.removed] == ["s1"]
    assert [s["beat"]["key"] for s in queries.shots(pid)] == ["s0", "s2", "l1"]

    # The read models rebuilt from the events alone agree.
    before = queries.project(pid)
    queries.projection.rebuild()
    assert queries.project(pid) == before


def test_a_rejected_import_records_nothing(studio: Studio) -> None:
    pid = studio.create_project("The Lighthouse")
    with pytest.raises(EmptyScript):
        studio.import_script(pid, ScriptPlan(mode="freeform"), False, SOURCE)
    studio.set_track(pid, "V1", locked=True)
    version = studio.project(pid).version
    with pytest.raises(TrackLocked):
        studio.import_script(pid, screenplay(), False, SOURCE)
    assert studio.project(pid).version == version


def test_the_dry_run_document_has_the_contract_shape(studio: Studio) -> None:
    pid = studio.create_project("The Lighthouse")
    plan = screenplay()
    doc = preview_view(plan, plan_changes(studio.project(pid).state, plan))
    assert doc["mode"] == "fountain"
    assert [s["name"] for s in doc["scenes"]] == ["Stairs", "Lamp Room"]
    shot = doc["scenes"][0]["shots"][1]
    assert {k: shot[k] for k in ("action", "dialogue", "character", "shot_type")} == {
        "action": "",
        "dialogue": "Who's there?",
        "character": "KEEPER",
        "shot_type": "close_up",
    }
    assert shot["status"] == "added"
    assert doc["elements_proposed"][0]["name"] == "Keeper"
    assert doc["elements_proposed"][0]["type"] == "character"
    assert doc["changes"]["counts"]["shots_added"] == 3
    assert studio.project(pid).version == 1


def give_take(studio: Studio, pid: str, shot_id: str, versions: dict[str, int]) -> None:
    """What the engine does when a generation finishes (JobRunner._take)."""
    take = {
        "id": "f" * 32,
        "job_id": "f" * 32,
        "path": "/media/take.mp4",
        "sha256": "0" * 64,
        "num_frames": 121,
        "width": 768,
        "height": 512,
        "element_versions": versions,
    }
    studio.edit(pid, lambda p: p.add_take("worker@gpu-box", shot_id, take))


def test_a_shot_whose_take_used_an_older_element_is_stale(studio: Studio, queries: Queries) -> None:
    pid = studio.create_project("The Lighthouse")
    studio.import_script(pid, screenplay(), False, SOURCE)
    keeper = studio.project(pid).element("@Keeper")
    s1, s2, _ = (s["id"] for s in queries.shots(pid))
    give_take(studio, pid, s1, {keeper.id: keeper.version})
    assert not any(s["stale"] for s in queries.shots(pid)), "no element changed yet"

    studio.change_element(pid, keeper.id, description="an old man in oilskins")
    shots = {s["id"]: s for s in queries.shots(pid)}
    assert shots[s1]["stale"] is True
    assert shots[s1]["stale_because"] == [
        {
            "element_id": keeper.id,
            "element": "Keeper",
            "trigger_word": "@Keeper",
            "used_version": 1,
            "current_version": 2,
            "reason": "changed",
        }
    ]
    assert shots[s2]["stale"] is False, "a shot without a take is not stale"

    studio.undo(pid)  # the description comes back, but the version only rises
    assert {s["id"]: s["stale"] for s in queries.shots(pid)}[s1] is True

    studio.remove_element(pid, keeper.id)
    (why,) = {s["id"]: s for s in queries.shots(pid)}[s1]["stale_because"]
    assert (why["reason"], why["current_version"]) == ("removed", None)


def test_a_take_made_with_the_current_element_is_not_stale(
    studio: Studio, queries: Queries
) -> None:
    pid = studio.create_project("The Lighthouse")
    studio.import_script(pid, screenplay(), False, SOURCE)
    keeper = studio.project(pid).element("@Keeper")
    studio.change_element(pid, keeper.id, description="an old man")
    s1 = queries.shots(pid)[0]["id"]
    give_take(studio, pid, s1, {keeper.id: studio.project(pid).element("@Keeper").version})
    assert queries.shots(pid)[0]["stale"] is False
