"""The migrations on PostgreSQL: they make exactly the tables of the code, and three processes upgrading
one empty database at once take turns (one creates the schema, the others find it done)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from engine.store import schema

ROOT = Path(__file__).resolve().parents[2]


def test_the_migrations_from_nothing_make_exactly_the_tables_of_the_code(pg_schema_url):
    engine = create_engine(pg_schema_url)
    try:
        with engine.begin() as connection:
            command.upgrade(schema.alembic_config(pg_schema_url, connection), "head")
            differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                           schema.metadata())
            assert differences == []
            triggers = connection.execute(text(
                "select tgname from pg_trigger where tgrelid = 'audit_log'::regclass and not tgisinternal"))
            assert sorted(triggers.scalars()) == ["audit_log_append_only", "audit_log_no_truncate"]
    finally:
        engine.dispose()


def test_three_processes_upgrading_one_empty_database_at_once_take_turns(pg_schema_url):
    command_line = [sys.executable, "-m", "cli", "--database-url", pg_schema_url, "db", "upgrade"]
    runs = [subprocess.Popen(command_line, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
            for _ in range(3)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    said = sorted(out.split(":")[0] for out, _ in outputs)
    assert said == [f"schema already at revision {schema.head()}"] * 2 + [f"schema created at revision {schema.head()}"]
    engine = create_engine(pg_schema_url)
    with engine.connect() as connection:
        assert connection.execute(text("select version_num from alembic_version")).all() == [(schema.head(),)]
        assert connection.execute(text("select count(*) from audit_head")).scalar() == 1
    engine.dispose()
