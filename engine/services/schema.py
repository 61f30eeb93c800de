"""The database schema, for whoever administers the database: its revision, upgrading it, its migrations."""
from __future__ import annotations

from dataclasses import dataclass

from engine.errors import PlanflowError
from engine.store import Database, schema


@dataclass(frozen=True)
class SchemaState:
    url: str
    #: The revision the database is at (None: no planflow tables), and the one this planflow needs.
    at: str | None
    needed: str
    #: Why this planflow cannot use the database as it is (None: it can).
    problem: PlanflowError | None


def schema_state(database: Database) -> SchemaState:
    try:
        database.check_schema()
        problem = None
    except PlanflowError as error:
        problem = error
    return SchemaState(database.url, database.revision(), schema.head(), problem)


def upgrade(database: Database, revision: str = "head") -> schema.Upgrade:
    """Create the schema, or bring it to ``revision``, in one transaction."""
    return database.upgrade(revision)


def upgrade_sql(database: Database, revision: str = "head") -> str:
    return database.upgrade_sql(revision)


def history() -> list[tuple[str, str]]:
    """Each migration's revision and what it does, newest first."""
    return schema.history()
