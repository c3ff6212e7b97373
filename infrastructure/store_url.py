"""From MILIMO_STORE_URL to the eventsourcing library's settings and a SQLAlchemy URL."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from sqlalchemy.engine import URL


class StoreUrlError(ValueError):
    pass


@dataclass(frozen=True)
class StoreConfig:
    kind: str  # "sqlite" or "postgresql"
    eventsourcing_env: dict[str, str]
    sqlalchemy_url: URL
    sqlite_path: Path | None = None


def parse_store_url(url: str) -> StoreConfig:
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        raw = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
        if not raw:
            raise StoreUrlError(f"a SQLite store URL is sqlite:///PATH: got {url!r}")
        path = Path(raw if raw.startswith("/") else "/" + raw).expanduser()
        return StoreConfig(
            kind="sqlite",
            eventsourcing_env={
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(path),
                "SQLITE_LOCK_TIMEOUT": "30",
            },
            sqlalchemy_url=URL.create("sqlite", database=str(path)),
            sqlite_path=path,
        )
    if parsed.scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        dbname = parsed.path.lstrip("/")
        if not dbname:
            raise StoreUrlError(f"a PostgreSQL store URL names a database: got {url!r}")
        user = unquote(parsed.username or "postgres")
        password = unquote(parsed.password or "")
        host = parsed.hostname or "127.0.0.1"
        try:
            port = str(parsed.port or 5432)
        except ValueError:
            raise StoreUrlError(f"the port in MILIMO_STORE_URL is not a number: {url!r}") from None
        sqlalchemy_url = URL.create(
            "postgresql+psycopg",
            username=user,
            password=password or None,
            host=host,
            port=int(port),
            database=dbname,
        )
        return StoreConfig(
            kind="postgresql",
            eventsourcing_env={
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": dbname,
                "POSTGRES_HOST": host,
                "POSTGRES_PORT": port,
                "POSTGRES_USER": user,
                "POSTGRES_PASSWORD": password,
                "POSTGRES_CONNECT_TIMEOUT": "5",
            },
            sqlalchemy_url=sqlalchemy_url,
        )
    raise StoreUrlError(
        f"MILIMO_STORE_URL must be sqlite:///PATH or postgresql://USER@HOST:PORT/DB: got {url!r}"
    )
