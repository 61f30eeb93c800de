"""``planflow db``: the database schema, its revision and its migrations (Alembic)."""
from __future__ import annotations

import click

from cli.context import Context, fail
from engine.services import schema


@click.group("db")
def group() -> None:
    """The database schema: which revision it is at, and upgrading it."""


@group.command("upgrade")
@click.option("--revision", default="head", show_default=True,
              help="The revision to bring the schema to.")
@click.option("--sql", is_flag=True,
              help="Print the SQL of the migrations instead of running them (for a database administrator).")
@click.pass_obj
def upgrade(obj: Context, revision: str, sql: bool) -> None:
    """Create the schema, or bring it to this planflow's revision, in one transaction.

    Several processes may run it at once (each start of a service, say): on PostgreSQL they take turns
    under a lock, and the second finds nothing left to do."""
    if sql:
        click.echo(schema.upgrade_sql(obj.database, revision), nl=False)
        return
    done = schema.upgrade(obj.database, revision)
    if done.adopted:
        click.echo(f"a database made before migrations, taken to be at revision {done.before}")
    if done.before is None:
        click.echo(f"schema created at revision {done.after}: {obj.database.url}")
    elif done.before == done.after:
        click.echo(f"schema already at revision {done.after}: {obj.database.url}")
    else:
        click.echo(f"schema upgraded from revision {done.before} to {done.after}: {obj.database.url}")


@group.command("current")
@click.pass_obj
def current(obj: Context) -> None:
    """Print the schema's revision and whether this planflow can use it (exit 1 if not)."""
    state = schema.schema_state(obj.database)
    click.echo(f"database: {state.url}")
    click.echo(f"revision: {state.at or 'none'}; this planflow needs {state.needed}")
    if state.problem is not None:
        fail(state.problem)
    click.echo("up to date")


@group.command("history")
def history() -> None:
    """List the migrations, newest first."""
    for revision, what in schema.history():
        click.echo(f"{revision}  {what}")
