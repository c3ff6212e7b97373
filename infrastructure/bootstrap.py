"""The composition root: settings in, a wired Milimo out."""

import os
import time
from dataclasses import dataclass

from application.projection import ProjectProjection
from application.queries import Queries
from application.studio import Studio
from infrastructure.identity import current_actor
from infrastructure.settings import Settings
from infrastructure.sql_read_models import SqlReadModels
from infrastructure.store_url import StoreConfig, parse_store_url


@dataclass
class Milimo:
    settings: Settings
    store: StoreConfig
    studio: Studio
    read_models: SqlReadModels
    projection: ProjectProjection
    queries: Queries

    def close(self) -> None:
        self.studio.close()
        self.read_models.close()


def bootstrap(settings: Settings | None = None, actor: str | None = None) -> Milimo:
    settings = settings or Settings()
    store = parse_store_url(settings.store)
    if store.sqlite_path is not None:
        store.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    studio = _open_studio(store, actor or current_actor())
    read_models = _open_read_models(store)
    projection = ProjectProjection(studio, read_models)
    return Milimo(
        settings=settings,
        store=store,
        studio=studio,
        read_models=read_models,
        projection=projection,
        queries=Queries(read_models, projection),
    )


ATTEMPTS = 10


def is_start_up_race(error: BaseException) -> bool:
    text = str(error)
    # Two CREATE ... IF NOT EXISTS at once on PostgreSQL: the loser hits the catalog's own
    # unique index (pg_type_typname_nsp_index, pg_class_relname_nsp_index).
    catalog = 'unique constraint "pg_' in text
    return catalog or "concurrently" in text or "database is locked" in text


class StoreUnavailable(RuntimeError):
    """The event store cannot be opened; the message says why in the database's own words."""


def _open_read_models(store: StoreConfig) -> SqlReadModels:
    for attempt in range(ATTEMPTS):
        try:
            return SqlReadModels(store.sqlalchemy_url)
        except Exception as error:  # any driver's error
            if attempt == ATTEMPTS - 1 or not is_start_up_race(error):
                raise
            time.sleep(0.1 * (attempt + 1))
    raise AssertionError("unreachable")


def _check_postgres(store: StoreConfig) -> None:
    # The library's pool only says "couldn't get a connection after 5 s"; one direct connection
    # says at once what is wrong (no server, no such database, authentication).
    import psycopg

    env = store.eventsourcing_env
    try:
        psycopg.connect(
            host=env["POSTGRES_HOST"],
            port=int(env["POSTGRES_PORT"]),
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"] or None,
            dbname=env["POSTGRES_DBNAME"],
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as error:
        reason = " ".join(line.strip() for line in str(error).strip().splitlines())
        raise StoreUnavailable(
            f"cannot open the PostgreSQL event store {env['POSTGRES_USER']}@"
            f"{env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/{env['POSTGRES_DBNAME']}: {reason}"
        ) from None


def _open_studio(store: StoreConfig, actor: str) -> Studio:
    if store.kind == "postgresql":
        _check_postgres(store)
    env = dict(store.eventsourcing_env)
    env.update({k: v for k, v in os.environ.items() if k == "AGGREGATE_CACHE_MAXSIZE"})
    # Processes starting together on a new store race to create the tables ("tuple
    # concurrently updated" on PostgreSQL) or to switch SQLite to WAL ("database is locked",
    # which SQLite reports at once, without waiting); the loser retries.
    for attempt in range(ATTEMPTS):
        try:
            return Studio(env=env, actor=actor)
        except Exception as error:  # any driver's error
            if attempt == ATTEMPTS - 1 or not is_start_up_race(error):
                raise
            time.sleep(0.1 * (attempt + 1))
    raise AssertionError("unreachable")
