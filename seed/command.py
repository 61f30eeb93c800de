"""``planflow seed``: the seed's own command, added to ``planflow`` through an entry point."""
from __future__ import annotations

import click

from engine.clock import SystemClock
from engine.console import fail
from engine.errors import PlanflowError

from .loader import load_seed


@click.command("seed")
@click.pass_obj
def seed(obj) -> None:
    """Create the database if needed and load agencies, processes, templates and demo users."""
    try:
        obj.database.create_schema()
        load_seed(obj.uow(), SystemClock(), click.echo)
    except PlanflowError as error:
        fail(error)
