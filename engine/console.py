"""What every ``planflow`` command shares: the database it works on, and how it reports a refusal."""
from __future__ import annotations

import sys

import click

from engine.errors import PlanflowError, Unavailable
from engine.model.clock import Clock, SystemClock
from engine.store import Database, UnitOfWork


class Context:
    """The database and the clock of one ``planflow`` run (``--database-url``, ``--now``)."""

    def __init__(self, database_url: str | None, clock: Clock | None = None) -> None:
        self._url = database_url
        self._database: Database | None = None
        self._checked = False
        self.clock = clock or SystemClock()

    @property
    def database(self) -> Database:
        if self._database is None:
            self._database = Database(self._url)
        return self._database

    def ready(self) -> Database:
        """The database, checked once to be at the schema revision of this planflow (else a plain refusal
        and exit: 'planflow seed' creates it, 'planflow db upgrade' migrates it)."""
        if not self._checked:
            try:
                self.database.check_schema()
            except Unavailable:
                raise  # the worker waits and tries again; other commands report it
            except PlanflowError as error:
                fail(error)
            self._checked = True
        return self.database

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.ready().sessions)


def fail(error: PlanflowError) -> None:
    """Print the refusal and its field errors; exit 2 (bad input) or 1 (the service failed)."""
    click.echo(f"error: {error}", err=True)
    for field, messages in (getattr(error, "errors", None) or {}).items():
        for message in messages if isinstance(messages, list) else [messages]:
            click.echo(f"  {field}: {message}", err=True)
    sys.exit(2 if error.status < 500 else 1)


