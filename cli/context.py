"""What every ``planflow`` command shares: the composition root it works on, and how it reports a refusal."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from bootstrap import Planflow
from engine.errors import PlanflowError, Unavailable

if TYPE_CHECKING:
    from engine.model.actors import Actor
    from engine.store import Database, UnitOfWork


class Context:
    """The database and the clock of one ``planflow`` run (``--database-url``, ``--now``), checked once to
    be at this planflow's schema before a command uses them."""

    def __init__(self, planflow: Planflow) -> None:
        self.planflow = planflow
        self.clock = planflow.clock
        self._checked = False

    @property
    def database(self) -> "Database":
        return self.planflow.database

    def ready(self) -> "Database":
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

    def uow(self) -> "UnitOfWork":
        self.ready()
        return self.planflow.uow()

    @property
    def base_url(self) -> str:
        """Where the links this run mails lead (PLANFLOW_BASE_URL, else the address ``planflow serve`` uses)."""
        return self.planflow.settings.base_url or "http://127.0.0.1:5000"

    def person(self, username: str) -> "Actor":
        """The active user ``username`` (``--as``) as an actor."""
        from engine.services import users
        return users.person(self.uow(), username)


def acting_person(command):
    """``--as USER``: the person a command acts as; their rights decide, and their name goes into the history.
    The engine itself (``system``) acts only for the timers and the worker."""
    return click.option("--as", "as_user", required=True, metavar="USER",
                        help="The person this is done as: their rights apply and the history names them.")(command)


def fail(error: PlanflowError) -> None:
    """Print the refusal and its field errors; exit 2 (bad input) or 1 (the service failed)."""
    click.echo(f"error: {error}", err=True)
    for field, messages in (getattr(error, "errors", None) or {}).items():
        for message in messages if isinstance(messages, list) else [messages]:
            click.echo(f"  {field}: {message}", err=True)
    sys.exit(2 if error.status < 500 else 1)
