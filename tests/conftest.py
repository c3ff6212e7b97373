"""Shared fixtures: real SQLite files and a real PostgreSQL database per test session.

Without a PostgreSQL server the PostgreSQL tests skip with the reason; under CI=true a missing
service is a failure, not a skip.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_HOST, PG_PORT = "127.0.0.1", 5432
UNDER_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _admin_connection() -> tuple[object, str]:
    import psycopg

    last: Exception | None = None
    for user in ("postgres", "root"):
        try:
            conn = psycopg.connect(
                host=PG_HOST,
                port=PG_PORT,
                user=user,
                dbname="test",
                connect_timeout=3,
                autocommit=True,
            )
            return conn, user
        except psycopg.OperationalError as error:
            last = error
    raise RuntimeError(f"no PostgreSQL server at {PG_HOST}:{PG_PORT}: {last}")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh database for this session on the local server, dropped afterwards."""
    try:
        conn, user = _admin_connection()
    except RuntimeError as error:
        if UNDER_CI:
            pytest.fail(f"CI=true but PostgreSQL is not reachable: {error}")
        pytest.skip(f"PostgreSQL not reachable ({error}); start it to run these tests")
    name = f"milimo_test_{uuid.uuid4().hex[:12]}"
    conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[attr-defined]
    try:
        yield f"postgresql://{user}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        conn.execute(  # type: ignore[attr-defined]
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')  # type: ignore[attr-defined]
        conn.close()  # type: ignore[attr-defined]


@pytest.fixture
def fresh_postgres_url(postgres_url: str) -> Iterator[str]:
    """The session database emptied of Milimo's tables, for tests that need a clean store."""
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
        for (table,) in tables:
            conn.execute(f'DROP TABLE IF EXISTS "{table}" CASCADE')
    yield postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store Milimo supports, for tests that must hold on both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/events.db"
    return str(request.getfixturevalue("fresh_postgres_url"))
