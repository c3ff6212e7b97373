"""milimo models, shot/element presets and LoRA stacks, as a user meets them at the prompt."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

from models.weights import weights_hash
from tests.cli.conftest import Run


def tiny_lora(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = "transformer.transformer_blocks.0.attn1.to_q"
    save_file(
        {
            f"{prefix}.lora_A.weight": np.ones((2, 16), np.float32),
            f"{prefix}.lora_B.weight": np.zeros((16, 2), np.float32),
        },
        str(path),
    )
    return path


def models_dir(root: Path) -> Path:
    """An LTX-2 folder in diffusers layout with a small transformer, and one LoRA."""
    ltx2 = root / "ltx2"
    (ltx2 / "transformer").mkdir(parents=True)
    (ltx2 / "model_index.json").write_text(json.dumps({"_class_name": "LTX2Pipeline"}))
    (ltx2 / "transformer" / "config.json").write_text("{}")
    save_file(
        {"a.weight": np.zeros((100, 10), np.float16), "b.bias": np.zeros((50,), np.float16)},
        str(ltx2 / "transformer" / "diffusion_pytorch_model.safetensors"),
    )
    tiny_lora(root / "loras" / "dolly.safetensors")
    return root


def test_models_lists_backends_with_size_vram_hash_and_presets(milimo: Run, tmp_path: Path):
    root = models_dir(tmp_path / "models")
    result = milimo("models", "--json", extra_env={"MILIMO_MODELS_DIR": str(root)})
    assert result.code == 0, result.err
    entries = {e["name"]: e for e in result.json()}
    assert {"animatic", "ltx2", "flux2", "sam3", "enhancer", "render", "dolly"} <= set(entries)
    ltx2 = entries["ltx2"]
    assert ltx2["ready"] is True
    assert ltx2["parameters"] == 1050
    assert ltx2["vram_estimate_bytes"] == int(1050 * 2 * 1.2)
    on_disk = sum(f.stat().st_size for f in (root / "ltx2").rglob("*") if f.is_file())
    assert ltx2["size_bytes"] == on_disk
    assert ltx2["weights_hash"] == weights_hash(root / "ltx2")
    assert ltx2["two_stage_ready"] is False
    assert ltx2["presets"]["quality"] == {
        "num_inference_steps": 40,
        "cfg_scale": 3.0,
        "two_stage": True,
        "description": ltx2["presets"]["quality"]["description"],
    }
    assert ltx2["presets"]["speed"]["num_inference_steps"] == 8
    assert entries["flux2"]["installed"] is False
    assert entries["flux2"]["presets"]["quality"]["num_inference_steps"] == 25
    assert entries["sam3"]["presets"] == {}
    assert entries["dolly"]["backend"] == "lora"
    assert entries["dolly"]["parameters"] == 64
    text = milimo("models", extra_env={"MILIMO_MODELS_DIR": str(root)})
    assert "ltx2" in text.out and "quality: 40 steps, cfg 3, two-stage" in text.out
    assert "1.1K parameters" in text.out and "64 parameters" in text.out  # not "0.00B"


def test_models_does_not_load_torch(tmp_path: Path):
    code = (
        "import sys; from milimo.cli.main import main; "
        "main(['models', '--json', '--data-dir', sys.argv[1]]); "
        "assert 'torch' not in sys.modules, 'torch was imported'"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, capture_output=True)


def film(milimo: Run) -> tuple[str, str]:
    pid = milimo("project", "create", "Keeper", "--json").json()["id"]
    milimo("scene", "add", pid, "Lamp Room")
    milimo("element", "add", pid, "Mara", "--type", "character")
    shot = milimo("shot", "add", pid, "--scene", "Lamp Room", "--prompt", "@Mara", "--json")
    return pid, shot.json()["id"]


def test_a_shot_chooses_a_preset_and_show_says_what_it_replaces(milimo: Run):
    pid, shot = film(milimo)
    result = milimo("shot", "set", pid, shot, "preset=quality", "--json")
    assert result.code == 0, result.err
    assert result.json()["preset"] == "quality"
    shown = milimo("shot", "show", pid, shot, "--json").json()
    assert shown["preset_applies"]["num_inference_steps"] == 40
    assert shown["preset_applies"]["two_stage"] is True
    text = milimo("shot", "show", pid, shot).out
    assert "40 steps, cfg 3, two-stage on, for animatic (replacing" in text
    assert milimo("shot", "set", pid, shot, "preset=none", "--json").json()["preset"] is None
    bad = milimo("shot", "set", pid, shot, "preset=ultra")
    assert bad.code == 3 and "preset must be one of quality, speed or none" in bad.err


def test_shot_lora_add_change_remove_and_undo(milimo: Run, tmp_path: Path):
    pid, shot = film(milimo)
    lora = tiny_lora(tmp_path / "dolly.safetensors")
    added = milimo("shot", "lora", pid, shot, "add", str(lora), "--strength", "0.8", "--json")
    assert added.code == 0, added.err
    assert added.json()["loras"] == [{"path": str(lora), "strength": 0.8}]
    again = milimo("shot", "lora", pid, shot, "add", str(lora), "--strength", "0.5")
    assert again.code == 0 and "0.5" in again.out
    removed = milimo("shot", "lora", pid, shot, "remove", "dolly.safetensors", "--json")
    assert removed.code == 0, removed.err
    assert removed.json()["loras"] == []
    milimo("undo", pid)
    shown = milimo("shot", "show", pid, shot, "--json").json()
    assert shown["loras"] == [{"path": str(lora), "strength": 0.5}]
    assert shown["effective_loras"][0]["source"] == "shot"


def test_shot_lora_refusals_record_nothing(milimo: Run, tmp_path: Path):
    pid, shot = film(milimo)
    version = milimo("project", "show", pid, "--json").json()["version"]
    missing = milimo("shot", "lora", pid, shot, "add", str(tmp_path / "nope.safetensors"))
    assert missing.code == 3 and "no LoRA file at" in missing.err
    text = tmp_path / "notes.safetensors"
    text.write_text("not a tensor file")
    assert (
        "not a readable safetensors file" in milimo("shot", "lora", pid, shot, "add", str(text)).err
    )
    checkpoint = tmp_path / "model.safetensors"
    save_file({"blocks.0.weight": np.zeros((4, 4), np.float32)}, str(checkpoint))
    full = milimo("shot", "lora", pid, shot, "add", str(checkpoint))
    assert full.code == 3 and "holds no LoRA weights" in full.err
    lora = tiny_lora(tmp_path / "dolly.safetensors")
    strong = milimo("shot", "lora", pid, shot, "add", str(lora), "--strength", "5")
    assert strong.code == 3 and "between -2 and 2" in strong.err
    assert milimo("shot", "lora", pid, shot, "remove", "crane.safetensors").code == 4
    assert milimo("shot", "lora", pid, shot, "frobnicate", "x").code == 2
    assert "Traceback" not in missing.err + full.err + strong.err
    assert milimo("project", "show", pid, "--json").json()["version"] == version


def test_element_lora_joins_the_stack_of_shots_that_use_it(milimo: Run, tmp_path: Path):
    pid, shot = film(milimo)
    lora = tiny_lora(tmp_path / "mara.safetensors")
    result = milimo(
        "element", "lora", pid, "@Mara", "add", str(lora), "--strength", "0.7", "--json"
    )
    assert result.code == 0, result.err
    assert result.json()["loras"] == [{"path": str(lora), "strength": 0.7}]
    assert result.json()["version"] == 2
    shown = milimo("shot", "show", pid, shot, "--json").json()
    assert shown["effective_loras"] == [
        {"path": str(lora), "strength": 0.7, "source": "element @Mara"}
    ]
    gone = milimo("element", "lora", pid, "Mara", "remove", str(lora), "--json")
    assert gone.code == 0 and gone.json()["loras"] == []
