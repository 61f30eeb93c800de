"""The schema's migrations: a new database and a migrated one are the same; an old one is refused until
'planflow db upgrade' brings it forward, with nothing lost."""
from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from cli import main
from engine.store import schema


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("migrations") / "seeded.sqlite3"
    result = CliRunner().invoke(main, ["--database-url", f"sqlite:///{path}", "seed"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def world(seeded_file, tmp_path):
    path = tmp_path / "planflow.sqlite3"
    with sqlite3.connect(seeded_file) as source, sqlite3.connect(path) as target:
        source.backup(target)
    url = f"sqlite:///{path}"

    def run(*args):
        return CliRunner().invoke(main, ["--database-url", url, *args], catch_exceptions=False)
    return path, url, run


def downgrade(url: str, revision: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        command.downgrade(schema.alembic_config(url, connection), revision)
    engine.dispose()


def table_counts(path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names
                if name != "alembic_version"}


def test_the_migrations_from_nothing_make_exactly_the_tables_of_the_code(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(schema.alembic_config(url, connection), "head")
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                       schema.metadata())
        assert differences == []
        assert schema.revision_of(connection) == schema.head()
        triggers = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars()
        assert sorted(triggers) == ["audit_log_no_delete", "audit_log_no_update"]
    engine.dispose()


def test_a_new_database_is_stamped_with_the_newest_revision(world):
    _, url, run = world
    result = run("db", "current")
    assert result.exit_code == 0, result.output
    assert f"revision: {schema.head()}; this planflow needs {schema.head()}" in result.output
    assert "up to date" in result.output
    assert run("db", "upgrade").output.startswith(f"schema already at revision {schema.head()}")


def test_a_database_at_an_older_revision_is_refused_until_upgraded_and_keeps_its_rows(world):
    path, url, run = world
    downgrade(url, "0001")
    before = table_counts(path)
    refused = run("plans", "list")
    assert refused.exit_code == 1
    assert f"is at revision 0001; this planflow needs {schema.head()}: run 'planflow db upgrade'" in refused.output
    upgraded = run("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert f"schema upgraded from revision 0001 to {schema.head()}" in upgraded.output
    after = table_counts(path)
    assert {name: after[name] for name in before} == before
    # made by 0003, 0004, 0006, 0007, 0008, 0009
    assert {name: count for name, count in after.items() if name not in before} == {
        "web_sessions": 0, "sign_in_attempts": 0, "sign_in_turns": 0, "sign_in_devices": 0, "provinces": 0,
        "invitations": 0, "template_drafts": 0, "notice_settings": 0, "plan_reports": 0}
    with sqlite3.connect(path) as connection:
        indexes = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"ix_tasks_due", "ix_notifications_digest"} <= indexes
    assert run("plans", "list").exit_code == 0


def test_a_database_made_before_migrations_is_adopted_at_the_first_revision(world):
    path, url, run = world
    downgrade(url, "0001")
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE alembic_version")
    refused = run("plans", "list")
    assert refused.exit_code == 1
    assert "was made before planflow had migrations: run 'planflow db upgrade'" in refused.output
    upgraded = run("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert "a database made before migrations, taken to be at revision 0001" in upgraded.output
    assert f"schema upgraded from revision 0001 to {schema.head()}" in upgraded.output


def test_a_database_made_before_migrations_lacking_a_column_is_refused_naming_it(world):
    path, url, run = world
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE alembic_version")
        connection.execute("ALTER TABLE mail_outbox DROP COLUMN claimed_by")
    refused = run("db", "upgrade")
    assert refused.exit_code == 1
    assert "older than its first migration and lacks mail_outbox.claimed_by" in refused.output
    with sqlite3.connect(path) as connection:  # nothing was stamped
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "alembic_version" not in tables


def test_a_database_of_a_newer_planflow_is_refused(world):
    path, url, run = world
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    for command_line in (("plans", "list"), ("db", "upgrade")):
        refused = run(*command_line)
        assert refused.exit_code == 1
        assert "is at revision 9999, which this planflow does not know: it was upgraded by a newer planflow" \
            in refused.output


def test_the_app_does_not_start_on_a_database_that_needs_upgrading(world):
    from engine.store.schema import SchemaOutOfDate
    from server import create_app
    _, url, _ = world
    downgrade(url, "0001")
    with pytest.raises(SchemaOutOfDate, match="run 'planflow db upgrade'"):
        create_app({"DATABASE_URL": url, "SECRET_KEY": "test", "TESTING": True})


def test_the_sql_of_the_migrations_can_be_printed_for_a_database_administrator():
    result = CliRunner().invoke(main, ["--database-url", "postgresql+psycopg://planflow@db.example/planflow",
                                       "db", "upgrade", "--sql"])
    assert result.exit_code == 0, result.output
    assert "CREATE TABLE audit_log" in result.output
    assert "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log" in result.output
    assert "CREATE INDEX ix_tasks_due ON human_tasks (status, due_at)" in result.output
    assert "UPDATE alembic_version SET version_num='0002'" in result.output


def test_the_history_lists_every_migration_newest_first():
    result = CliRunner().invoke(main, ["db", "history"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{schema.head()}  ") and lines[-1].startswith("0001  The schema as planflow made")


def test_tokens_made_before_tokens_expired_get_a_year_from_their_making(world):
    path, url, run = world
    downgrade(url, "0002")
    with sqlite3.connect(path) as connection:
        user_id = connection.execute("SELECT id FROM users ORDER BY id LIMIT 1").fetchone()[0]
        connection.execute("INSERT INTO api_tokens (user_id, token_hash, name, created_at, revoked) "
                           "VALUES (?, ?, 'cũ', '2022-06-01 01:00:00.123456', 0)", (user_id, "a" * 64))
    assert run("db", "upgrade").exit_code == 0
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT expires_at FROM api_tokens").fetchone()[0] == "2023-06-01 01:00:00.123456"


def test_the_revision_the_code_expects_is_the_newest_migration():
    """Every command checks a database against ``schema.HEAD`` without loading Alembic: it must be the head."""
    assert schema.head() == schema.scripts().get_current_head()
