"""What every ``planflow`` command shares: the database it works on, and how it reports a refusal."""
from __future__ import annotations

import sys

import click

from .clock import Clock, SystemClock
from .errors import PlanflowError
from .store import Database, UnitOfWork


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
        """The database, checked once to hold planflow's current schema (else a plain refusal and exit).

        Tables a newer planflow added are created on the way (that changes nothing already there);
        a column missing from a table that exists is refused, since no migration adds it yet."""
        if not self._checked:
            try:
                if self.database.is_empty():
                    self.database.check_schema()  # says to seed it first
                self.database.create_schema()
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


