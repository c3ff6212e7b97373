"""Concept art goes to Flux 2 Klein when it is installed, as a text-to-image still."""

from pathlib import Path

import pytest

from models.catalog import ModelCatalog


def test_the_catalog_sends_concept_art_to_flux2_when_installed_else_to_the_animatic(
    tmp_path: Path,
) -> None:
    assert ModelCatalog(tmp_path).choose("concept", "ti2vid") == ("animatic", "animatic")
    (tmp_path / "flux2").mkdir()
    (tmp_path / "flux2" / "model_index.json").write_text("{}")
    assert ModelCatalog(tmp_path).choose("concept", "ti2vid") == ("flux2", str(tmp_path / "flux2"))


def test_flux2_runs_a_concept_request_as_an_image() -> None:
    pytest.importorskip("diffusers")
    from models.flux2.backend import InvalidFlux2Request, check_request

    concept = {"kind": "concept", "width": 384, "height": 256, "num_inference_steps": 2}
    assert check_request(concept) == "image"
    with pytest.raises(InvalidFlux2Request, match="multiple of 16"):
        check_request({**concept, "width": 390})
