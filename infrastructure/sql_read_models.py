"""Read models in SQL tables next to the events (SQLAlchemy Core), with the projection's position.

One transaction per projection step holds the tracking row's lock (BEGIN IMMEDIATE on SQLite,
SELECT ... FOR UPDATE on PostgreSQL), so processes catching up at once never apply an event twice.
"""

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from application.read_models import ProjectRow

TRACKING_NAME = "projects"
metadata = MetaData()

projects_table = Table(
    "rm_projects",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", Text, nullable=False, index=True),
    Column("archived", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("state", Text, nullable=False),
    Column("view", Text, nullable=False),
)
shots_table = Table(
    "rm_shots",
    metadata,
    Column("project_id", String(32), primary_key=True),
    Column("shot_id", String(32), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("view", Text, nullable=False),
)
jobs_table = Table(
    "rm_jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("project_id", String(32), nullable=False, index=True),
    Column("shot_id", String(32), nullable=True),
    Column("status", String(16), nullable=False, index=True),
    Column("requested_at", String(40), nullable=False),
    Column("doc", Text, nullable=False),
)
tracking_table = Table(
    "rm_tracking",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
)


def make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _autocommit_driver(dbapi_connection: Any, _: Any) -> None:
            # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin_immediate(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


class SqlTransaction:
    def __init__(self, connection: Connection):
        self.connection = connection

    def position(self) -> int:
        query = select(tracking_table.c.position).where(tracking_table.c.name == TRACKING_NAME)
        if self.connection.dialect.name == "postgresql":
            query = query.with_for_update()
        return int(self.connection.execute(query).scalar_one())

    def load(self, project_ids: list[str]) -> dict[str, ProjectRow]:
        if not project_ids:
            return {}
        rows = self.connection.execute(
            select(projects_table).where(projects_table.c.id.in_(project_ids))
        ).mappings()
        return {r["id"]: _project_row(r) for r in rows}

    def load_jobs(self, job_ids: list[str]) -> dict[str, dict[str, Any]]:
        if not job_ids:
            return {}
        rows = self.connection.execute(
            select(jobs_table.c.id, jobs_table.c.doc).where(jobs_table.c.id.in_(job_ids))
        )
        return {job_id: json.loads(doc) for job_id, doc in rows}

    def write(self, projects: list[ProjectRow], jobs: list[dict[str, Any]], position: int) -> None:
        c = self.connection
        if jobs:
            c.execute(delete(jobs_table).where(jobs_table.c.id.in_([j["id"] for j in jobs])))
            c.execute(
                insert(jobs_table),
                [
                    {
                        "id": j["id"],
                        "project_id": j["project_id"],
                        "shot_id": j["shot_id"],
                        "status": j["status"],
                        "requested_at": j["requested_at"],
                        "doc": json.dumps(j),
                    }
                    for j in jobs
                ],
            )
        ids = [p.id for p in projects]
        if ids:
            c.execute(delete(projects_table).where(projects_table.c.id.in_(ids)))
            c.execute(delete(shots_table).where(shots_table.c.project_id.in_(ids)))
            c.execute(insert(projects_table), [_project_values(p) for p in projects])
            shot_rows = [
                {
                    "project_id": p.id,
                    "shot_id": shot["id"],
                    "position": n,
                    "status": shot["status"],
                    "view": json.dumps(shot),
                }
                for p in projects
                for n, shot in enumerate(p.view["shots"])
            ]
            if shot_rows:
                c.execute(insert(shots_table), shot_rows)
        c.execute(
            update(tracking_table)
            .where(tracking_table.c.name == TRACKING_NAME)
            .values(position=position)
        )


def _project_values(p: ProjectRow) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "archived": p.archived,
        "version": p.version,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "state": json.dumps(p.state),
        "view": json.dumps(p.view),
    }


def _project_row(r: Any) -> ProjectRow:
    return ProjectRow(
        id=r["id"],
        name=r["name"],
        archived=r["archived"],
        version=r["version"],
        created_at=r["created_at"],
        updated_at=r["updated_at"],
        state=json.loads(r["state"]),
        view=json.loads(r["view"]),
    )


class SqlReadModels:
    def __init__(self, url: URL):
        self.engine = make_engine(url)
        self._create_tables()

    def _create_tables(self) -> None:
        # Several processes may start at once; a concurrent CREATE is retried, not fatal.
        for attempt in range(5):
            try:
                metadata.create_all(self.engine, checkfirst=True)
                with self.engine.begin() as c:
                    exists = c.execute(
                        select(tracking_table.c.name).where(tracking_table.c.name == TRACKING_NAME)
                    ).first()
                    if exists is None:
                        c.execute(insert(tracking_table).values(name=TRACKING_NAME, position=0))
                return
            except DBAPIError:
                if attempt == 4:
                    raise
                time.sleep(0.1 * (attempt + 1))

    @contextmanager
    def transaction(self) -> Iterator[SqlTransaction]:
        with self.engine.begin() as connection:
            yield SqlTransaction(connection)

    def position(self) -> int:
        with self.engine.connect() as c:
            query = select(tracking_table.c.position).where(tracking_table.c.name == TRACKING_NAME)
            return int(c.execute(query).scalar_one())

    def reset(self) -> None:
        with self.engine.begin() as c:
            for table in (projects_table, shots_table, jobs_table):
                c.execute(delete(table))
            c.execute(update(tracking_table).values(position=0))

    def projects(self, include_archived: bool = False) -> list[dict[str, Any]]:
        query = select(
            projects_table.c.id,
            projects_table.c.name,
            projects_table.c.archived,
            projects_table.c.version,
            projects_table.c.created_at,
            projects_table.c.updated_at,
        ).order_by(projects_table.c.created_at, projects_table.c.id)
        if not include_archived:
            query = query.where(projects_table.c.archived.is_(False))
        with self.engine.connect() as c:
            return [dict(r) for r in c.execute(query).mappings()]

    def project_view(self, project_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as c:
            view = c.execute(
                select(projects_table.c.view).where(projects_table.c.id == project_id)
            ).scalar()
        return json.loads(view) if view else None

    def shots(self, project_id: str) -> list[dict[str, Any]]:
        query = (
            select(shots_table.c.view)
            .where(shots_table.c.project_id == project_id)
            .order_by(shots_table.c.position)
        )
        with self.engine.connect() as c:
            return [json.loads(v) for v in c.execute(query).scalars()]

    def jobs(
        self, project_id: str | None = None, statuses: tuple[str, ...] = ()
    ) -> list[dict[str, Any]]:
        query = select(jobs_table.c.doc).order_by(jobs_table.c.requested_at, jobs_table.c.id)
        if project_id is not None:
            query = query.where(jobs_table.c.project_id == project_id)
        if statuses:
            query = query.where(jobs_table.c.status.in_(statuses))
        with self.engine.connect() as c:
            return [json.loads(doc) for doc in c.execute(query).scalars()]

    def job(self, job_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as c:
            doc = c.execute(select(jobs_table.c.doc).where(jobs_table.c.id == job_id)).scalar()
        return json.loads(doc) if doc else None

    def job_ids(self) -> list[str]:
        with self.engine.connect() as c:
            return [str(i) for i in c.execute(select(jobs_table.c.id)).scalars()]

    def digest(self) -> Iterator[tuple[str, Any]]:
        """Every row of every read model in a stable order, to compare two builds."""
        with self.engine.connect() as c:
            for table, order in (
                (projects_table, [projects_table.c.id]),
                (shots_table, [shots_table.c.project_id, shots_table.c.shot_id]),
                (jobs_table, [jobs_table.c.id]),
            ):
                for row in c.execute(select(table).order_by(*order)):
                    yield table.name, tuple(row)

    def close(self) -> None:
        self.engine.dispose()
