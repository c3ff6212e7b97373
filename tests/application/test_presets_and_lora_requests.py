"""What a generation request records of a shot's preset and its LoRA stack (the audit's view)."""

import hashlib
from pathlib import Path

import pytest

from application.engine.engine import Engine
from application.engine.requests import video_request
from application.studio import Studio
from domain.errors import InvalidValue
from infrastructure.media_store import LocalMediaStore
from models.catalog import ModelCatalog
from tests.application.engine_fakes import RecordingDispatcher


@pytest.fixture
def rig(tmp_path: Path):
    studio = Studio(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, actor="ana@gpu-box")
    pid = studio.create_project("The Keeper")
    scene = studio.add_scene(pid, "Lamp Room", heading="INT. LAMP ROOM - NIGHT")
    studio.define_element(pid, "Mara Quinn", "character", trigger_word="@Mara")
    studio.define_element(pid, "Lamp Room", "location")
    studio.define_element(pid, "Jonah", "character")
    shot = studio.add_shot(pid, scene, prompt="@Mara trims the wick", steps=30, cfg=5.0)
    return studio, pid, shot, tmp_path


def lora_file(folder: Path, name: str) -> str:
    path = folder / name
    path.write_bytes(name.encode() * 10)
    return str(path)


def request_of(studio: Studio, pid: str, shot: str, folder: Path) -> dict:
    state = studio.project(pid).state
    return video_request(state, state.shots[shot], ModelCatalog(None), LocalMediaStore(folder))


def test_without_a_preset_the_shots_own_steps_and_cfg_are_sent(rig):
    studio, pid, shot, folder = rig
    request = request_of(studio, pid, shot, folder)
    assert (request["num_inference_steps"], request["cfg_scale"], request["upscale"]) == (
        30,
        5.0,
        False,
    )
    assert "preset" not in request
    assert "loras" not in request


def test_a_preset_replaces_steps_cfg_and_two_stage_and_is_recorded(rig):
    studio, pid, shot, folder = rig
    studio.change_shot(pid, shot, preset="quality")
    request = request_of(studio, pid, shot, folder)
    assert request["preset"] == "quality"
    assert (request["num_inference_steps"], request["cfg_scale"], request["upscale"]) == (
        40,
        3.0,
        True,
    )
    studio.change_shot(pid, shot, preset="speed")
    request = request_of(studio, pid, shot, folder)
    assert (request["num_inference_steps"], request["cfg_scale"], request["upscale"]) == (
        8,
        1.0,
        False,
    )
    # The shot keeps its own values for when the preset is set back to none.
    assert studio.project(pid).state.shots[shot].num_inference_steps == 30


def test_the_stack_is_the_shots_loras_then_its_elements_with_hashes(rig):
    studio, pid, shot, folder = rig
    dolly = lora_file(folder, "dolly.safetensors")
    mara = lora_file(folder, "mara.safetensors")
    room = lora_file(folder, "room.safetensors")
    jonah = lora_file(folder, "jonah.safetensors")
    studio.add_element_lora(pid, "@Mara", mara, 0.7)
    studio.add_element_lora(pid, "Lamp Room", room, 0.5)
    studio.add_element_lora(pid, "Jonah", jonah, 1.0)  # not in this shot
    studio.add_shot_lora(pid, shot, dolly, 0.8)
    request = request_of(studio, pid, shot, folder)
    assert request["loras"] == [
        {
            "path": dolly,
            "strength": 0.8,
            "sha256": hashlib.sha256(Path(dolly).read_bytes()).hexdigest(),
            "source": "shot",
        },
        {
            "path": mara,
            "strength": 0.7,
            "sha256": hashlib.sha256(Path(mara).read_bytes()).hexdigest(),
            "source": "element @Mara",
        },
        {
            "path": room,
            "strength": 0.5,
            "sha256": hashlib.sha256(Path(room).read_bytes()).hexdigest(),
            "source": "element @LampRoom",
        },
    ]


def test_a_file_in_both_the_shot_and_an_element_is_applied_once_at_the_shots_strength(rig):
    studio, pid, shot, folder = rig
    mara = lora_file(folder, "mara.safetensors")
    studio.add_element_lora(pid, "@Mara", mara, 0.7)
    studio.add_shot_lora(pid, shot, mara, 0.2)
    request = request_of(studio, pid, shot, folder)
    assert [(x["path"], x["strength"], x["source"]) for x in request["loras"]] == [
        (mara, 0.2, "shot")
    ]


def test_a_lora_file_gone_since_it_was_added_refuses_the_generation(rig):
    studio, pid, shot, folder = rig
    dolly = lora_file(folder, "dolly.safetensors")
    studio.add_shot_lora(pid, shot, dolly, 0.8)
    Path(dolly).unlink()
    dispatcher = RecordingDispatcher()
    engine = Engine(studio, ModelCatalog(None), LocalMediaStore(folder), dispatcher)
    with pytest.raises(InvalidValue, match=r"dolly\.safetensors \(shot\) is gone"):
        engine.generate(pid, [shot])
    assert dispatcher.dispatched == []


def test_the_recorded_job_carries_the_preset_and_the_stack(rig):
    studio, pid, shot, folder = rig
    dolly = lora_file(folder, "dolly.safetensors")
    studio.add_shot_lora(pid, shot, dolly, 0.8)
    studio.change_shot(pid, shot, preset="speed")
    engine = Engine(studio, ModelCatalog(None), LocalMediaStore(folder), RecordingDispatcher())
    (job_id,) = engine.generate(pid, [shot])
    request = studio.job(job_id).request
    assert request["preset"] == "speed"
    assert request["num_inference_steps"] == 8
    assert [x["path"] for x in request["loras"]] == [dolly]
