"""A shot-less image job with reference images, from `request_image` to a project asset, on
both backends that serve it: the animatic card (no weights) and a tiny random Flux 2 Klein."""

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from application.engine.engine import Engine
from application.engine.runner import JobRunner
from application.images import request_image
from application.studio import Studio
from infrastructure.media_store import LocalMediaStore
from models.animatic.backend import AnimaticBackend
from models.catalog import ModelCatalog
from models.loader import ResidentModels


class Dispatched:
    def __init__(self) -> None:
        self.jobs: list[str] = []

    def dispatch(self, job_ids: list[str], queues: dict[str, str]) -> None:
        self.jobs.extend(job_ids)


class Rig:
    """A studio, the engine over the real catalog, and a worker's runner with the real loader."""

    def __init__(self, tmp_path: Path, models_dir: Path | None):
        self.tmp = tmp_path
        self.studio = Studio(env={}, actor="ana@gpu-box")
        media = LocalMediaStore(tmp_path / "media")
        self.engine = Engine(self.studio, ModelCatalog(models_dir), media, Dispatched())
        self.runner = JobRunner(self.studio, ResidentModels(), media, backoff=lambda _: 0.0)
        self.pid = self.studio.create_project("Lighthouse", seed=5)

    def reference(self, name: str, size: tuple[int, int], seed: int) -> str:
        rng = np.random.default_rng(seed)
        path = self.tmp / name
        Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)).save(path)
        fields = {
            "kind": "image",
            "path": str(path),
            "sha256": f"{seed:064x}",
            "width": size[0],
            "height": size[1],
            "name": name,
            "source": {"import": str(path)},
        }
        return str(self.studio.edit(self.pid, lambda p: p.add_asset("ana", **fields)))

    def made(self, job_id: str) -> Any:
        assert self.runner.run(job_id) == "completed", self.studio.job(job_id).error
        return self.studio.project(self.pid).state.assets[job_id]


def test_the_animatic_card_shows_the_references_of_a_shotless_image(tmp_path: Path) -> None:
    rig = Rig(tmp_path, None)
    face = rig.reference("face.png", (96, 128), seed=1)
    plain = rig.made(request_image(rig.engine, rig.pid, "Mara", width=256, height=256))
    job = request_image(rig.engine, rig.pid, "Mara", [face], width=256, height=256)
    assert rig.studio.job(job).request["backend"] == "animatic"
    with_face = rig.made(job)
    assert (with_face.width, with_face.height) == (256, 256)
    before, after = (np.asarray(Image.open(a.path).convert("RGB")) for a in (plain, with_face))
    changed = (before != after).any(axis=2)
    assert changed[256 // 2 :].sum() > 48 * 48, "the reference sits at the card's foot"


def test_a_missing_reference_file_draws_a_grey_square_and_never_fails_the_card(
    tmp_path: Path,
) -> None:
    request = {"kind": "image", "prompt": "Mara", "seed": 1, "width": 256, "height": 256,
               "reference_images": [str(tmp_path / "gone.png")]}  # fmt: skip
    out = AnimaticBackend().generate(request, str(tmp_path / "out.png"), lambda *a: None, bool)
    assert Image.open(out.path).size == (256, 256)


def test_flux2_makes_the_image_from_its_references_into_an_asset(
    tmp_path: Path, flux2_models_dir: Path
) -> None:
    pytest.importorskip("diffusers")
    rig = Rig(tmp_path, flux2_models_dir)
    refs = [rig.reference("a.png", (64, 80), seed=8), rig.reference("b.png", (96, 64), seed=9)]
    job_id = request_image(rig.engine, rig.pid, "Mara, older", refs, width=256, height=256,
                           steps=2)  # fmt: skip
    request = rig.studio.job(job_id).request
    assert (request["backend"], request["model"]) == ("flux2", str(flux2_models_dir / "flux2"))
    asset = rig.made(job_id)
    output = rig.studio.job(job_id).output
    assert output is not None and output["reference_images"] == 2
    assert output["pipeline_class"] == "Flux2KleinPipeline"
    assert asset.kind == "image" and (asset.width, asset.height) == (256, 256)
    assert asset.sha256 == output["sha256"] and Image.open(asset.path).size == (256, 256)
