"""Connecting to the database: SQLite by default, any SQLAlchemy URL by setting."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from engine.store import schema
from engine.store.audit.log import ensure_head
from engine.store.audit.tables import AuditHeadRow
from engine.store.uow import domain_error

DEFAULT_SQLITE_PATH = Path("instance") / "planflow.sqlite3"


def database_url(url: str | None = None) -> str:
    """The URL given, else ``PLANFLOW_DATABASE_URL``, else the embedded SQLite file."""
    return url or os.environ.get("PLANFLOW_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


class Database:
    """An engine and its session factory; one per process, made at start-up."""

    def __init__(self, url: str | None = None, echo: bool = False) -> None:
        self.url = database_url(url)
        if self.url.startswith("sqlite:///") and not self.url.startswith("sqlite:///:memory:"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(self.url, echo=echo, **_engine_options(self.url))
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessions: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)

    def create_schema(self) -> None:
        """Create the schema, or bring it to this planflow's revision (``engine.store.schema``)."""
        self.upgrade()

    def upgrade(self, revision: str = "head") -> schema.Upgrade:
        """Create or migrate the schema in one transaction (on PostgreSQL; SQLite commits each DDL)."""
        with self.engine.begin() as connection:
            done = schema.upgrade(connection, self.url, revision)
            ensure_head(connection)
        return done

    def upgrade_sql(self, revision: str = "head") -> str:
        """The SQL ``upgrade`` would run, for a database administrator to read or run by hand."""
        import io

        from alembic import command
        out = io.StringIO()
        config = schema.alembic_config(self.url)
        config.output_buffer = out
        command.upgrade(config, revision, sql=True)
        return out.getvalue()

    def revision(self) -> str | None:
        """The revision the database is at; None when it has no planflow tables."""
        with self.engine.connect() as connection:
            return schema.revision_of(connection) if schema.planflow_tables(connection) else None

    def is_empty(self) -> bool:
        """True when no planflow table exists yet (a fresh install before 'planflow seed')."""
        with self.engine.connect() as connection:
            return not schema.planflow_tables(connection)

    def check_schema(self) -> None:
        """Refuse plainly a database that is empty or at another revision than this planflow's
        (``Unavailable`` when it cannot be reached at all)."""
        try:
            with self.engine.connect() as connection:
                schema.check(connection, self.url)
        except OperationalError as error:
            raise domain_error(error) from error  # Unavailable, as inside a unit of work

    def copy_to(self, path: Path) -> "Database":
        """A copy of the whole database in a new SQLite file (for a simulation that must change nothing real)."""
        copy = Database(f"sqlite:///{path}")
        copy.create_schema()
        tables = list(schema.metadata().tables.values())  # foreign keys are off while copying: any order will do
        with self.engine.connect() as source, copy.engine.begin() as target:
            target.exec_driver_sql("PRAGMA foreign_keys=OFF")  # pysqlite opens the transaction at the first insert
            target.execute(AuditHeadRow.__table__.delete())  # the copy's head is the original's
            for table in tables:
                rows = [dict(row._mapping) for row in source.execute(table.select())]
                if rows:
                    target.execute(table.insert(), rows)
        return copy

    def drop_schema(self) -> None:
        schema.metadata().drop_all(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


def _engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        # One connection per thread; writers wait for each other instead of failing at once.
        return {"connect_args": {"timeout": 30, "check_same_thread": False}}
    # A pooled connection is checked before use (the server may have restarted); a server that does not
    # answer at all is given up on after 10 s, so that a request gets its 503 rather than hanging.
    return {"pool_pre_ping": True, "connect_args": {"connect_timeout": 10}}


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
