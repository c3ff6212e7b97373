"""Wiring of the generation engine: the entry points' half of the composition root.

infrastructure/bootstrap.py wires the store, read models and queries; the backends live in
models/, which only entry points may import, so the engine is put together here.
"""

from application.engine.engine import Engine
from application.engine.enhance_rules import RuleBasedEnhancer
from application.engine.ports import Heartbeat, LiveFeed, PromptEnhancer
from application.engine.runner import JobRunner
from application.engine.worker_presence import WorkerActivity
from application.storyboard_ai import LanguageModel
from infrastructure.asset_store import LocalAssetStore, default_roots
from infrastructure.bootstrap import Milimo
from infrastructure.embedded_worker import EmbeddedDispatcher
from infrastructure.media_store import LocalMediaStore
from infrastructure.media_tools import LocalMediaTools
from models.catalog import ModelCatalog
from models.loader import ResidentModels
from models.media import ffmpeg_exe


def media_store(m: Milimo) -> LocalMediaStore:
    return LocalMediaStore(m.settings.media)


def media_tools(m: Milimo) -> LocalMediaTools:
    """Frame-exact cuts and joins: long shots' segments, auto_continue's last frames."""
    return LocalMediaTools(m.settings.media, ffmpeg_exe())


def asset_store(m: Milimo) -> LocalAssetStore:
    s = m.settings
    roots = default_roots(s.data_dir.expanduser().resolve(), s.media, s.import_root_paths)
    return LocalAssetStore(s.media, roots)


def engine(m: Milimo, spawn_worker: bool = True) -> Engine:
    if m.settings.broker_url != "embedded":
        from infrastructure.redis_dispatch import RedisDispatcher

        dispatcher: EmbeddedDispatcher | RedisDispatcher = RedisDispatcher(m.settings.broker_url)
    else:
        data_dir = m.settings.data_dir.expanduser().resolve()
        dispatcher = EmbeddedDispatcher(data_dir, m.settings.store, spawn=spawn_worker)
    catalog = ModelCatalog(m.settings.models_dir)
    return Engine(
        m.studio, catalog, media_store(m), dispatcher, prompt_enhancer(catalog), media_tools(m)
    )


def prompt_enhancer(catalog: ModelCatalog) -> PromptEnhancer:
    """The local LM when an `enhancer` folder is installed, else the rules."""
    model_dir = catalog.enhancer()
    if model_dir is None:
        return RuleBasedEnhancer()
    # Imported only here: the command that requests jobs never loads torch without a model.
    from models.enhance.llm import LocalLMEnhancer

    return LocalLMEnhancer(model_dir)


def storyboard_writer(catalog: ModelCatalog) -> LanguageModel | None:
    """The local LM that writes `--mode ai` storyboards, or None (the rules read the text)."""
    model_dir = catalog.storyboard_writer()
    if model_dir is None:
        return None
    from models.storyboard.llm import LocalLMWriter

    return LocalLMWriter(model_dir)


def runner(
    m: Milimo,
    models: ResidentModels | None = None,
    live: LiveFeed | None = None,
    heartbeat: Heartbeat | None = None,
    activity: WorkerActivity | None = None,
) -> JobRunner:
    from infrastructure.take_quality import FrameQualityMeter
    from infrastructure.thumbnails import FrameThumbnailer

    return JobRunner(
        m.studio,
        models or resident_models(m),
        media_store(m),
        live=live,
        heartbeat=heartbeat,
        thumbnailer=FrameThumbnailer(m.settings.media),
        tools=media_tools(m),
        meter=FrameQualityMeter(),
        activity=activity,
    )


def resident_models(m: Milimo) -> ResidentModels:
    """A worker's models, kept resident within MILIMO_DEVICE_MEMORY_GB when it is set."""
    budget = m.settings.device_memory_gb
    return ResidentModels(memory_budget=None if budget is None else int(budget * 1e9))
