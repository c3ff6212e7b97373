"""A Studio on the in-memory store and its queries over in-memory read models."""

import pytest

from application.projection import ProjectProjection
from application.queries import Queries
from application.studio import Studio
from tests.application.fakes import InMemoryReadModels


@pytest.fixture
def studio() -> Studio:
    return Studio(env={}, actor="ana@gpu-box")


@pytest.fixture
def queries(studio: Studio) -> Queries:
    read_models = InMemoryReadModels()
    return Queries(read_models, ProjectProjection(studio, read_models))
