"""A changed LoRA stack on a resident LTX-2: adapters switch, the base model never reloads.

Real LoRA files made with peft on the tiny transformer, real jobs through the engine, the job
runner and the worker's resident loader, on the in-memory store.
"""

from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("peft")

from application.engine.engine import Engine
from application.engine.runner import JobRunner
from application.studio import Studio
from infrastructure.media_store import LocalMediaStore
from models.catalog import ModelCatalog
from models.loader import ResidentModels
from models.lora_files import checked_lora
from tests.application.engine_fakes import RecordingDispatcher
from tests.models.test_ltx2_backend import decode


def build_lora(model_dir: Path, target: Path, seed: int) -> str:
    """A random LoRA for the tiny transformer, saved as diffusers saves an LTX-2 LoRA."""
    import torch
    from diffusers import LTX2Pipeline, LTX2VideoTransformer3DModel
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    transformer = LTX2VideoTransformer3DModel.from_pretrained(str(model_dir / "transformer"))
    torch.manual_seed(seed)
    transformer.add_adapter(
        LoraConfig(
            r=2, lora_alpha=2, target_modules=["to_q", "to_v", "to_out.0"], init_lora_weights=False
        )
    )
    LTX2Pipeline.save_lora_weights(
        str(target.parent),
        transformer_lora_layers=get_peft_model_state_dict(transformer),
        weight_name=target.name,
    )
    return checked_lora(str(target))  # what `milimo shot lora add` accepts


@pytest.fixture(scope="module")
def loras(models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    folder = tmp_path_factory.mktemp("loras")
    model = models_dir / "ltx2"
    return (
        build_lora(model, folder / "dolly.safetensors", seed=3),
        build_lora(model, folder / "grain.safetensors", seed=4),
    )


class Worker:
    def __init__(self, tmp_path: Path, models_dir: Path):
        self.studio = Studio(env={}, actor="ana@gpu-box")
        media = LocalMediaStore(tmp_path / "media")
        self.loader = ResidentModels()
        self.engine = Engine(self.studio, ModelCatalog(models_dir), media, RecordingDispatcher())
        self.runner = JobRunner(self.studio, self.loader, media, backoff=lambda _: 0.0)
        self.pid = self.studio.create_project("Lighthouse")
        scene = self.studio.add_scene(self.pid, "Stairs")
        self.shot = self.studio.add_shot(
            self.pid, scene, prompt="a lamp flares", width=320, height=256, num_frames=9,
            fps=24, num_inference_steps=2, seed=7,
        )  # fmt: skip

    def take(self) -> tuple[np.ndarray, dict[str, Any]]:
        (job_id,) = self.engine.generate(self.pid, [self.shot])
        assert self.runner.run(job_id) == "completed", self.studio.job(job_id).error
        output = self.studio.job(job_id).output
        assert output is not None
        return decode(output["path"])[0], output


def test_a_changed_lora_stack_switches_adapters_without_reloading_the_model(
    tmp_path: Path, models_dir: Path, loras: tuple[str, str]
) -> None:
    dolly, grain = loras
    worker = Worker(tmp_path, models_dir)
    plain, _ = worker.take()

    worker.studio.add_shot_lora(worker.pid, worker.shot, dolly, 1.0)
    with_dolly, output = worker.take()
    assert not np.array_equal(plain, with_dolly), "the LoRA changes the picture"
    assert output["lora_files_read"] == 1

    worker.studio.add_shot_lora(worker.pid, worker.shot, grain, 0.5)
    stacked, output = worker.take()
    assert not np.array_equal(with_dolly, stacked)
    assert output["lora_files_read"] == 1, "dolly stayed loaded; only grain was read"
    assert len(output["adapters"]) == 2

    worker.studio.add_shot_lora(worker.pid, worker.shot, grain, 1.5)
    reweighted, output = worker.take()
    assert not np.array_equal(stacked, reweighted), "a new strength is a new picture"
    assert output["lora_files_read"] == 0, "a new weight reads no file"

    worker.studio.remove_shot_lora(worker.pid, worker.shot, dolly)
    worker.studio.remove_shot_lora(worker.pid, worker.shot, grain)
    back, _ = worker.take()
    assert np.array_equal(plain, back), "no LoRA gives the no-LoRA take again"

    assert worker.loader.loads == 1, "the base model was loaded once for all five jobs"
    backend, resident, _ = worker.loader.load("ltx2", str(models_dir / "ltx2"))
    assert resident
    assert backend.adapters.loaded == {}, "adapters that left the stack were unloaded"  # type: ignore[attr-defined]


def test_an_elements_lora_reaches_the_shots_that_use_it(
    tmp_path: Path, models_dir: Path, loras: tuple[str, str]
) -> None:
    dolly, _ = loras
    worker = Worker(tmp_path, models_dir)
    worker.studio.define_element(worker.pid, "Mara", "character", trigger_word="@Mara")
    worker.studio.change_shot(worker.pid, worker.shot, prompt="@Mara lights the lamp")
    plain, _ = worker.take()
    worker.studio.add_element_lora(worker.pid, "@Mara", dolly, 1.0)
    styled, output = worker.take()
    assert not np.array_equal(plain, styled)
    assert output["lora_files_read"] == 1
    job = worker.studio.job(worker.engine.generate(worker.pid, [worker.shot])[0])
    (lora,) = job.request["loras"]
    assert lora["source"] == "element @Mara" and len(lora["sha256"]) == 64
