"""Connecting to the database: SQLite by default, any SQLAlchemy URL by setting."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from ..errors import PlanflowError
from . import notice_tables, plan_tables  # noqa: F401 - registers their tables with Base
from ..i18n import t
from .audit_log import ensure_head
from .tables import AuditHeadRow, Base

DEFAULT_SQLITE_PATH = Path("instance") / "planflow.sqlite3"


def database_url(url: str | None = None) -> str:
    """The URL given, else ``PLANFLOW_DATABASE_URL``, else the embedded SQLite file."""
    return url or os.environ.get("PLANFLOW_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


class SchemaOutOfDate(PlanflowError):
    status = 500
    title = "Database schema out of date"


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
        """Create the tables that are missing; refuse plainly a database made by an older planflow."""
        Base.metadata.create_all(self.engine)
        self.check_schema()
        with self.engine.begin() as connection:
            ensure_head(connection)

    def is_empty(self) -> bool:
        """True when no planflow table exists yet (a fresh install before 'planflow seed')."""
        return not set(inspect(self.engine).get_table_names()) & set(Base.metadata.tables)

    def check_schema(self) -> None:
        """Refuse plainly a database that is empty or was made by an older planflow."""
        if self.is_empty():
            raise SchemaOutOfDate(t("the database %(url)s has no planflow tables yet: run 'planflow seed' (or "
                                    "'planflow init-db') first", url=self.url))
        inspector = inspect(self.engine)
        present_tables = set(inspector.get_table_names())
        for table in Base.metadata.tables.values():
            if table.name not in present_tables:
                raise SchemaOutOfDate(
                    t("the database %(url)s was made by an older planflow: table %(name)s is missing. This "
                      "version has no migrations yet: move the database file aside (or drop the schema) and run "
                      "'planflow seed' again", url=self.url, name=table.name))
            present = {column["name"] for column in inspector.get_columns(table.name)}
            missing = [column.name for column in table.columns if column.name not in present]
            if missing:
                raise SchemaOutOfDate(
                    t("the database %(url)s was made by an older planflow: table %(name)s lacks %(join)s. This "
                      "version has no migrations yet: move the database file aside (or drop the schema) and run "
                      "'planflow seed' again",
                      url=self.url, name=table.name, join=", ".join(missing)))

    def copy_to(self, path: Path) -> "Database":
        """A copy of the whole database in a new SQLite file (for a simulation that must change nothing real)."""
        copy = Database(f"sqlite:///{path}")
        copy.create_schema()
        tables = list(Base.metadata.tables.values())  # foreign keys are off while copying: any order will do
        with self.engine.connect() as source, copy.engine.begin() as target:
            target.exec_driver_sql("PRAGMA foreign_keys=OFF")  # pysqlite opens the transaction at the first insert
            target.execute(AuditHeadRow.__table__.delete())  # the copy's head is the original's
            for table in tables:
                rows = [dict(row._mapping) for row in source.execute(table.select())]
                if rows:
                    target.execute(table.insert(), rows)
        return copy

    def drop_schema(self) -> None:
        Base.metadata.drop_all(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


def _engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        # One connection per thread; writers wait for each other instead of failing at once.
        return {"connect_args": {"timeout": 30, "check_same_thread": False}}
    return {"pool_pre_ping": True}


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
