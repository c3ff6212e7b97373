"""The command line as a user and a script meet it: real console script, real processes."""

from pathlib import Path

from tests.cli.conftest import Run

SHOT_FIELDS = {
    "id",
    "scene_id",
    "index",
    "track",
    "start_frame",
    "trim_in",
    "trim_out",
    "prompt",
    "negative_prompt",
    "seed",
    "width",
    "height",
    "num_frames",
    "fps",
    "cfg_scale",
    "num_inference_steps",
    "enhance_prompt",
    "upscale",
    "pipeline_override",
    "auto_continue",
    "conditioning",
    "action",
    "dialogue",
    "character",
    "shot_type",
    "status",
    "progress",
    "takes",
    "active_take",
    "stale",
}


def make_film(milimo: Run) -> tuple[str, str, list[str]]:
    pid = milimo("project", "create", "Night Ferry", "--json").json()["id"]
    scene = milimo("scene", "add", pid, "Deck", "--json").json()["id"]
    shots = [
        milimo(
            "shot",
            "add",
            pid,
            "--scene",
            scene,
            "--prompt",
            f"beat {n}",
            "--frames",
            "49",
            "--json",
        ).json()["id"]
        for n in range(3)
    ]
    return pid, scene, shots


def test_project_show_has_the_contract_shape(milimo: Run) -> None:
    pid, scene, _ = make_film(milimo)
    view = milimo("project", "show", pid, "--json").json()
    assert {
        "id",
        "name",
        "version",
        "width",
        "height",
        "fps",
        "seed",
        "style",
        "scenes",
        "shots",
        "elements",
        "tracks",
        "total_frames",
    } <= set(view)
    assert (view["width"], view["height"], view["fps"], view["seed"]) == (768, 512, 25, 42)
    assert view["version"] == 5 and view["total_frames"] == 147
    assert set(view["tracks"]) == {"V1", "V2", "A1"}
    assert view["tracks"]["V1"] == {"muted": False, "locked": False, "hidden": False}
    shot = view["shots"][0]
    assert set(shot) >= SHOT_FIELDS
    assert (shot["cfg_scale"], shot["num_inference_steps"], shot["upscale"]) == (3.0, 40, False)
    assert shot["track"] == "V1" and shot["scene_id"] == scene


def test_options_after_arguments_prefixes_and_names(milimo: Run, tmp_path: Path) -> None:
    pid, _, shots = make_film(milimo)
    assert milimo("project", "show", "Night Ferry", "--json").json()["id"] == pid
    assert milimo("project", "show", pid[:6], "--json").json()["id"] == pid
    trimmed = milimo("shot", "trim", pid[:6], shots[0][:6], "--in", "2", "--out", "3", "--json")
    assert trimmed.code == 0 and trimmed.json()["trim_in"] == 2
    other = milimo("project", "list", "--json", "--data-dir", str(tmp_path / "elsewhere"))
    assert other.code == 0 and other.json() == []


def test_exit_codes_and_nothing_recorded_on_rejection(milimo: Run) -> None:
    pid, _, shots = make_film(milimo)
    version = milimo("project", "show", pid, "--json").json()["version"]

    bad_frames = milimo("shot", "set", pid, shots[0], "frames=120")
    assert bad_frames.code == 3 and "8k+1" in bad_frames.err and "Traceback" not in bad_frames.err
    bad_trim = milimo("shot", "trim", pid, shots[0], "--in", "40", "--out", "20")
    assert bad_trim.code == 3 and "trim" in bad_trim.err
    bad_split = milimo("shot", "split", pid, shots[0], "--at", "0")
    assert bad_split.code == 3
    bad_size = milimo("project", "set", pid, "width=700")
    assert bad_size.code == 3 and "multiple of 32" in bad_size.err
    bad_key = milimo("shot", "set", pid, shots[0], "colour=red")
    assert bad_key.code == 3 and "unknown shot field" in bad_key.err
    assert milimo("project", "create", "   ").code == 3
    assert milimo("element", "add", pid, "Ana", "--type", "character", "--trigger", "Ana").code == 3

    missing = milimo("shot", "trim", pid, "zzzz", "--in", "1")
    assert missing.code == 4 and "Traceback" not in missing.err
    assert milimo("project", "show", "no such film").code == 4
    assert milimo("project", "show", pid, "--at", "999").code == 4

    assert milimo("shot", "trim", pid, shots[0], "--in", "x").code == 2
    assert milimo("shot", "move", pid, shots[0]).code == 2
    assert milimo("frobnicate").code == 2

    assert milimo("project", "show", pid, "--json").json()["version"] == version


def test_json_output_is_exactly_one_document(milimo: Run) -> None:
    pid, _, _ = make_film(milimo)
    for args in (
        ("project", "list"),
        ("scene", "list", pid),
        ("shots", pid),
        ("history", pid),
        ("doctor",),
        ("undo", pid),
        ("redo", pid),
    ):
        result = milimo(*args, "--json")
        assert result.code == 0, (args, result.err)
        result.json()  # raises if stdout holds anything else


def test_undo_redo_history_restore_branch(milimo: Run) -> None:
    pid, _, shots = make_film(milimo)
    milimo("shot", "trim", pid, shots[1], "--in", "9")
    milimo("shot", "delete", pid, shots[2])
    assert len(milimo("shots", pid, "--json").json()) == 2

    assert milimo("undo", pid, "--json").json()["undone"] == 7
    assert len(milimo("shots", pid, "--json").json()) == 3
    assert milimo("redo", pid).code == 0
    assert len(milimo("shots", pid, "--json").json()) == 2

    history = milimo("history", pid, "--json").json()
    assert [h["version"] for h in history] == list(range(1, 10))
    assert {"version", "type", "at", "actor", "summary"} <= set(history[0])
    assert history[0]["type"] == "ProjectCreated" and "@" in history[0]["actor"]
    assert [h["type"] for h in history[-3:]] == ["ShotRemoved", "EditUndone", "EditRedone"]

    at5 = milimo("project", "show", pid, "--at", "5", "--json").json()
    assert at5["version"] == 5 and len(at5["shots"]) == 3 and at5["shots"][1]["trim_in"] == 0

    restored = milimo("restore", pid, "--to", "5", "--json").json()
    assert restored["changes"] > 0
    now = milimo("project", "show", pid, "--json").json()
    assert [s["id"] for s in now["shots"]] == shots and now["shots"][1]["trim_in"] == 0

    branch = milimo("branch", pid, "--at", "6", "--name", "Ferry B", "--json").json()["id"]
    alt = milimo("project", "show", "Ferry B", "--json").json()
    assert alt["id"] == branch and alt["origin"] == {"project_id": pid, "version": 6}
    assert alt["shots"][1]["trim_in"] == 9


def test_nothing_to_undo_is_a_no_op_with_a_message(milimo: Run) -> None:
    pid = milimo("project", "create", "Empty", "--json").json()["id"]
    result = milimo("undo", pid)
    assert result.code == 0 and "nothing to undo" in result.err


def test_tracks_elements_styles_and_settings(milimo: Run) -> None:
    pid, scene, shots = make_film(milimo)
    assert milimo("style", "add", pid, "noir", "--prompt-additions", "black and white").code == 0
    assert milimo("project", "set", pid, "style=noir", "fps=24").code == 0
    view = milimo("project", "show", pid, "--json").json()
    assert view["style"] == "noir" and view["fps"] == 24
    assert milimo("project", "set", pid, "style=pastel").code == 3

    element = milimo("element", "add", pid, "Old Sailor", "--type", "character", "--json").json()
    assert element["trigger_word"] == "@OldSailor" and element["version"] == 1
    changed = milimo("element", "set", pid, "@OldSailor", "description=weathered", "--json")
    assert changed.json()["version"] == 2
    assert (
        milimo(
            "element", "add", pid, "Sailor", "--type", "character", "--trigger", "@oldsailor"
        ).code
        == 3
    )
    assert milimo("element", "remove", pid, element["id"][:6]).code == 0

    assert milimo("track", "set", pid, "V1", "--lock").code == 0
    locked = milimo("shot", "trim", pid, shots[0], "--in", "1")
    assert locked.code == 3 and "locked" in locked.err
    milimo("track", "set", pid, "V1", "--unlock")

    v2 = milimo(
        "shot",
        "add",
        pid,
        "--scene",
        scene,
        "--track",
        "V2",
        "--start",
        "30",
        "--frames",
        "17",
        "--json",
    ).json()
    assert v2["start_frame"] == 30 and v2["track"] == "V2"
    moved = milimo("shot", "move", pid, shots[2], "--before", shots[0], "--json").json()
    assert moved["index"] == 0 and moved["start_frame"] == 0


def test_projections_rebuild_and_doctor(milimo: Run) -> None:
    pid, _, _ = make_film(milimo)
    before = milimo("project", "show", pid, "--json").json()
    rebuilt = milimo("projections", "rebuild", "--json").json()
    assert rebuilt["events"] == 5
    assert milimo("project", "show", pid, "--json").json() == before
    doctor = milimo("doctor", "--json").json()
    assert doctor["store"]["ok"] and doctor["store"]["kind"] == "sqlite"
    assert doctor["settings"]["store_url"].startswith("sqlite:///")
    bad = milimo("doctor", extra_env={"MILIMO_STORE_URL": "mysql://nowhere/db"})
    assert bad.code != 0 and "Traceback" not in bad.err


def test_names_that_look_like_ids_and_free_text_values(milimo: Run, tmp_path: Path) -> None:
    cafe = milimo("project", "create", "Cafe", "--json").json()["id"]
    beef = milimo("project", "create", "dead-beef", "--json").json()["id"]
    assert milimo("project", "show", "Cafe", "--json").json()["id"] == cafe
    assert milimo("project", "show", "dead-beef", "--json").json()["id"] == beef
    milimo("project", "create", "Cafe")
    assert milimo("project", "show", "Cafe").code == 3, "two projects named Cafe: ambiguous"

    scene = milimo("scene", "add", beef, "One", "--json").json()["id"]
    shot = milimo("shot", "add", beef, "--scene", scene, "--json").json()["id"]
    text = milimo("shot", "set", beef, shot, "prompt=[Wide shot] rain", "dialogue=none", "--json")
    assert text.code == 0, text.err
    assert (text.json()["prompt"], text.json()["dialogue"]) == ("[Wide shot] rain", "none")
    plate = tmp_path / "ref.png"
    plate.write_bytes(b"\x89PNG")
    conditioning = f'[{{"asset": "{plate}", "frame_index": 0, "strength": 0.8}}]'
    set_cond = milimo("shot", "set", beef, shot, f"conditioning={conditioning}", "--json")
    assert set_cond.json()["conditioning"][0]["strength"] == 0.8
    unknown = milimo("shot", "set", beef, shot, 'conditioning=[{"asset": "nosuchasset"}]')
    assert unknown.code == 4 and "nosuchasset" in unknown.err  # an asset id, prefix or name
    assert milimo("shot", "set", beef, shot, "conditioning=[oops").code == 2


def test_a_conditioning_file_that_is_not_there_is_refused(milimo: Run) -> None:
    pid = milimo("project", "create", "U", "--json").json()["id"]
    scene = milimo("scene", "add", pid, "S", "--json").json()["id"]
    shot = milimo("shot", "add", pid, "--scene", scene, "--frames", "9", "--json").json()["id"]
    versions = len(milimo("history", pid, "--json").json())
    missing = milimo("shot", "set", pid, shot, 'conditioning=[{"asset":"/tmp/no/such.png"}]')
    assert missing.code == 3, missing.err
    assert "/tmp/no/such.png does not exist" in missing.err and "Traceback" not in missing.err
    assert len(milimo("history", pid, "--json").json()) == versions
    shown = milimo("project", "show", pid, "--json").json()
    assert shown["shots"][0]["conditioning"] == []


def test_locked_v1_refuses_a_scene_reorder_and_bad_options_are_usage_errors(
    milimo: Run, tmp_path: Path
) -> None:
    pid, scene, _ = make_film(milimo)
    other = milimo("scene", "add", pid, "Hold", "--json").json()["id"]
    milimo("shot", "add", pid, "--scene", other)
    milimo("track", "set", pid, "V1", "--lock")
    assert milimo("scene", "reorder", pid, other, scene).code == 3
    assert milimo("history", pid, "--last", "0").code == 2
    missing = milimo("element", "add", pid, "Ana", "--type", "character", "--image", "/no.png")
    assert missing.code == 4
    unicode = milimo("element", "add", pid, "Ёжик", "--type", "object", "--json").json()
    assert unicode["trigger_word"] == "@Ёжик"

    config = tmp_path / "config.toml"
    config.write_text("data_dir = [\n")
    broken = milimo("project", "list")
    assert broken.code == 2 and str(config) in broken.err and "Traceback" not in broken.err


def test_a_worker_with_an_unknown_queue_is_a_usage_error(milimo: Run) -> None:
    result = milimo("worker", "--queues", "bogus")
    assert result.code == 2 and "unknown queue bogus" in result.err
