"""Wiring of the generation engine: the entry points' half of the composition root.

infrastructure/bootstrap.py wires the store, read models and queries; the backends live in
models/, which only entry points may import, so the engine is put together here.
"""

from application.engine.engine import Engine
from application.engine.ports import Heartbeat, LiveFeed
from application.engine.runner import JobRunner
from infrastructure.bootstrap import Milimo
from infrastructure.embedded_worker import EmbeddedDispatcher
from infrastructure.media_store import LocalMediaStore
from models.catalog import ModelCatalog
from models.loader import ResidentModels


def media_store(m: Milimo) -> LocalMediaStore:
    return LocalMediaStore(m.settings.media)


def engine(m: Milimo, spawn_worker: bool = True) -> Engine:
    if m.settings.broker_url != "embedded":
        from infrastructure.redis_dispatch import RedisDispatcher

        dispatcher: EmbeddedDispatcher | RedisDispatcher = RedisDispatcher(m.settings.broker_url)
    else:
        data_dir = m.settings.data_dir.expanduser().resolve()
        dispatcher = EmbeddedDispatcher(data_dir, m.settings.store, spawn=spawn_worker)
    return Engine(m.studio, ModelCatalog(m.settings.models_dir), media_store(m), dispatcher)


def runner(
    m: Milimo,
    models: ResidentModels | None = None,
    live: LiveFeed | None = None,
    heartbeat: Heartbeat | None = None,
) -> JobRunner:
    return JobRunner(
        m.studio, models or ResidentModels(), media_store(m), live=live, heartbeat=heartbeat
    )
