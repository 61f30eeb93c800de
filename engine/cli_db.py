"""``planflow db``: the database schema, its revision and its migrations (Alembic)."""
from __future__ import annotations

import io

import click
from alembic import command

from engine.errors import PlanflowError
from engine.store import schema


def register(main: click.Group, fail) -> None:
    @main.group("db")
    def db_group() -> None:
        """The database schema: which revision it is at, and upgrading it."""

    @db_group.command("upgrade")
    @click.option("--revision", default="head", show_default=True,
                  help="The revision to bring the schema to.")
    @click.option("--sql", is_flag=True,
                  help="Print the SQL of the migrations instead of running them (for a database administrator).")
    @click.pass_obj
    def upgrade(obj, revision: str, sql: bool) -> None:
        """Create the schema, or bring it to this planflow's revision, in one transaction.

        Several processes may run it at once (each start of a service, say): on PostgreSQL they take turns
        under a lock, and the second finds nothing left to do."""
        if sql:
            out = io.StringIO()
            config = schema.alembic_config(obj.database.url)
            config.output_buffer = out
            command.upgrade(config, revision, sql=True)
            click.echo(out.getvalue(), nl=False)
            return
        try:
            done = obj.database.upgrade(revision)
        except PlanflowError as error:
            fail(error)
        if done.adopted:
            click.echo(f"a database made before migrations, taken to be at revision {done.before}")
        if done.before is None:
            click.echo(f"schema created at revision {done.after}: {obj.database.url}")
        elif done.before == done.after:
            click.echo(f"schema already at revision {done.after}: {obj.database.url}")
        else:
            click.echo(f"schema upgraded from revision {done.before} to {done.after}: {obj.database.url}")

    @db_group.command("current")
    @click.pass_obj
    def current(obj) -> None:
        """Print the schema's revision and whether this planflow can use it (exit 1 if not)."""
        with obj.database.engine.connect() as connection:
            at = schema.revision_of(connection) if schema.planflow_tables(connection) else None
        click.echo(f"database: {obj.database.url}")
        click.echo(f"revision: {at or 'none'}; this planflow needs {schema.head()}")
        try:
            obj.database.check_schema()
        except PlanflowError as error:
            fail(error)
        click.echo("up to date")

    @db_group.command("history")
    def history() -> None:
        """List the migrations, newest first."""
        for script in schema.scripts().walk_revisions():
            click.echo(f"{script.revision}  {script.doc.splitlines()[0] if script.doc else ''}")
