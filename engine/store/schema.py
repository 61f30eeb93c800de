"""The schema and its migrations (Alembic, in ``engine/store/migrations``): which revision a database is
at, and bringing it to the one this planflow needs (``planflow db upgrade``).

A new database gets the whole schema at once (``create_all``) and is stamped with the newest revision, as
Alembic's own recipe does; one made earlier is brought forward by the migrations after its revision. A
database made before planflow had migrations (no ``alembic_version`` table) is taken to be at the first
revision once it is seen to hold every table and column that revision makes.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import MetaData, create_engine, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SAWarning

from engine.errors import PlanflowError
from engine.i18n import t

if TYPE_CHECKING:  # Alembic is imported when a schema is made or migrated, not by every command that checks it
    from alembic.config import Config
    from alembic.script import ScriptDirectory

SCRIPTS = Path(__file__).with_name("migrations")
#: The revision of the schema as planflow made it before it had migrations.
BASELINE = "0001"
#: The revision this planflow's code expects: the newest migration's (tests/unit/test_migrations.py checks it
#: against Alembic's own reading of the migrations).
HEAD = "0009"
#: Held while a schema is created or upgraded, so that two processes starting at once take turns.
_PG_LOCK = 7_305_119_249


class SchemaOutOfDate(PlanflowError):
    status = 500
    title = "Database schema out of date"


def metadata() -> MetaData:
    """Every planflow table, each wing's registered with the declarative base."""
    from engine.store.audit import tables as audit  # noqa: F401 - importing a wing's tables registers them
    from engine.store.base import Base
    from engine.store.notices import tables as notices  # noqa: F401
    from engine.store.people import tables as people  # noqa: F401
    from engine.store.plans import tables as plans  # noqa: F401
    from engine.store.processes import tables as processes  # noqa: F401
    return Base.metadata


def alembic_config(url: str, connection: Connection | None = None) -> "Config":
    """Alembic's configuration for planflow's migrations, on ``connection`` (else on ``url``)."""
    from alembic.config import Config
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def scripts() -> "ScriptDirectory":
    from alembic.script import ScriptDirectory
    return ScriptDirectory(str(SCRIPTS))


def head() -> str:
    """The revision this planflow's code expects."""
    return HEAD


def history() -> list[tuple[str, str]]:
    """Each migration's revision and the first line of what it does, newest first."""
    return [(script.revision, script.doc.splitlines()[0] if script.doc else "")
            for script in scripts().walk_revisions()]


def revision_of(connection: Connection) -> str | None:
    """The revision a database is stamped with; None when it has no ``alembic_version`` table."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("select version_num from alembic_version")).scalar()


def planflow_tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) & set(metadata().tables)


def check(connection: Connection, url: str) -> None:
    """Refuse plainly a database that is empty, or at another revision than this planflow's."""
    if not planflow_tables(connection):
        raise SchemaOutOfDate(t("the database %(url)s has no planflow tables yet: run 'planflow seed' (or "
                                "'planflow init-db') first", url=url))
    at, wanted = revision_of(connection), head()
    if at == wanted:
        return
    if at is None:
        raise SchemaOutOfDate(t("the database %(url)s was made before planflow had migrations: run 'planflow "
                                "db upgrade' to bring it to revision %(revision)s", url=url, revision=wanted))
    if not _known(at):
        raise SchemaOutOfDate(t("the database %(url)s is at revision %(revision)s, which this planflow does not "
                                "know: it was upgraded by a newer planflow", url=url, revision=at))
    raise SchemaOutOfDate(t("the database %(url)s is at revision %(revision)s; this planflow needs %(needed)s: "
                            "run 'planflow db upgrade'", url=url, revision=at, needed=wanted))


def _known(revision: str) -> bool:
    return revision in {script.revision for script in scripts().walk_revisions()}


@dataclass(frozen=True)
class Upgrade:
    """What ``upgrade`` did: the revisions before (None: a new schema) and after, and whether the database
    was one made before migrations, taken to be at the first revision."""

    before: str | None
    after: str
    adopted: bool = False


def upgrade(connection: Connection, url: str, revision: str = "head") -> Upgrade:
    """Create or upgrade the schema on ``connection``, inside its transaction."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("select pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    before = revision_of(connection)
    if before is None and not planflow_tables(connection):
        metadata().create_all(connection)
        MigrationContext.configure(connection).stamp(scripts(), "head")
        return Upgrade(None, head())
    adopted = before is None
    if adopted:
        _adopt(connection, url)
        before = BASELINE
    elif not _known(before):
        check(connection, url)  # says the database is newer than this planflow
    command.upgrade(alembic_config(url, connection), revision)
    return Upgrade(before, revision_of(connection), adopted)


def _adopt(connection: Connection, url: str) -> None:
    """Stamp a database made before migrations with the first revision, if it holds all that revision makes."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    with warnings.catch_warnings():  # the reflected tables keep plans <-> plan_items as a cycle; nothing is made
        warnings.simplefilter("ignore", SAWarning)
        differences = compare_metadata(MigrationContext.configure(connection), _baseline_schema())
    lacking = [f"{op[2]}.{op[3].name}" if op[0] == "add_column" else op[1].name
               for op in differences if isinstance(op, tuple) and op[0] in ("add_table", "add_column")]
    if lacking:
        raise SchemaOutOfDate(t("the database %(url)s was made by a planflow older than its first migration and "
                                "lacks %(join)s: move the database file aside (or drop the schema) and run "
                                "'planflow seed' again", url=url, join=", ".join(sorted(lacking))))
    MigrationContext.configure(connection).stamp(scripts(), BASELINE)


@lru_cache(maxsize=1)
def _baseline_schema() -> MetaData:
    """The tables and columns of the first revision, as its migration makes them (in a scratch database)."""
    from alembic import command
    scratch = create_engine("sqlite://")
    with scratch.begin() as connection:
        command.upgrade(alembic_config("sqlite://", connection), BASELINE)
        schema = MetaData()
        schema.reflect(connection)
        schema.remove(schema.tables["alembic_version"])
    scratch.dispose()
    return schema
