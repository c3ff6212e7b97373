"""Element looks on Flux 2 Klein (a tiny random model built offline): visualize is a text-to-image
still, edit-look sends the element's current image as Flux 2's reference image, and both become
looks of the element."""

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("diffusers")

from PIL import Image

from application.element_looks import choose_look, edit_look, job_look, visualize
from application.engine.engine import Engine
from application.engine.runner import JobRunner
from application.studio import Studio
from infrastructure.media_store import LocalMediaStore
from models.catalog import ModelCatalog
from models.loader import ResidentModels
from tests.application.engine_fakes import RecordingDispatcher

SIZE, STEPS = (256, 256), 2


def pixels(path: str) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB")).astype(int)


def test_visualize_then_edit_look_run_on_flux2_and_the_edit_uses_the_look(
    tmp_path: Path, flux2_models_dir: Path, loader: ResidentModels
) -> None:
    studio = Studio(env={}, actor="ana@gpu-box")
    media = LocalMediaStore(tmp_path / "media")
    engine = Engine(studio, ModelCatalog(flux2_models_dir), media, RecordingDispatcher())
    runner = JobRunner(studio, loader, media, backoff=lambda _: 0.0)
    pid = studio.create_project("Lighthouse")
    studio.define_element(pid, "Mara", "character", description="a keeper in a red coat")

    first = visualize(engine, pid, "Mara", steps=STEPS, size=SIZE)
    request = studio.job(first).request
    assert (request["backend"], request["model"]) == ("flux2", str(flux2_models_dir / "flux2"))
    assert runner.run(first) == "completed", studio.job(first).error
    output = studio.job(first).output
    assert output is not None and output["reference_images"] == 0
    assert output["pipeline_class"] == "Flux2KleinPipeline"
    element, look = job_look(studio, pid, first)  # type: ignore[misc]
    assert element.look == first and (look.width, look.height) == SIZE

    edit = edit_look(engine, pid, "Mara", "twenty years older", steps=STEPS)
    assert studio.job(edit).request["reference_images"] == [look.path]
    assert (studio.job(edit).request["width"], studio.job(edit).request["height"]) == SIZE
    assert runner.run(edit) == "completed", studio.job(edit).error
    assert studio.job(edit).output["reference_images"] == 1  # type: ignore[index]
    _, edited = job_look(studio, pid, edit)  # type: ignore[misc]
    assert edited.edited_from == first and edited.reference == look.path
    assert not np.array_equal(pixels(edited.path), pixels(look.path))

    chosen = choose_look(studio, pid, "Mara", edit)
    assert chosen.element.image == edited.path and chosen.element.version == 3
