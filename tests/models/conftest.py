"""One tiny random LTX-2 model per test session, in a models dir laid out as Milimo expects."""

import os
from pathlib import Path

import pytest

from models.loader import ResidentModels

# Nothing in these tests may reach a hub: a missing file must fail, not download.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MILIMO_MODELS_DIR with a tiny LTX-2 in ltx2/ (diffusers layout, model_index.json)."""
    pytest.importorskip("diffusers")
    from tests.models.tiny_ltx2 import build_tiny_ltx2

    root = tmp_path_factory.mktemp("models")
    build_tiny_ltx2(root / "ltx2")
    return root


@pytest.fixture(scope="session")
def sam3_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MILIMO_MODELS_DIR with a tiny SAM 3 in sam3/ (tracker/ and text/, save_pretrained)."""
    pytest.importorskip("transformers")
    from tests.models.tiny_sam3 import build_tiny_sam3

    root = tmp_path_factory.mktemp("sam3_models")
    build_tiny_sam3(root / "sam3")
    return root


@pytest.fixture(scope="session")
def flux2_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MILIMO_MODELS_DIR with a tiny Flux 2 Klein in flux2/ (diffusers layout, model_index.json)."""
    pytest.importorskip("diffusers")
    from tests.models.tiny_flux2 import build_tiny_flux2

    root = tmp_path_factory.mktemp("flux2_models")
    build_tiny_flux2(root / "flux2")
    return root


@pytest.fixture(scope="module")
def loader() -> ResidentModels:
    """One resident loader per test module: the model loads once, as on a worker."""
    return ResidentModels()
