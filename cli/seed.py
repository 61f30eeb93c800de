"""``planflow seed``: the agency directory, the standard processes, the plan templates and demo users, and
with ``--demo`` the story of plan 249/KH-BCD138 played to a morning."""
from __future__ import annotations

import click

from cli.context import Context
from seed.demo import AS_OF, load_demo, seed_clock, stop_at
from seed.loader import load_seed


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also play the demo's two eras: plan 249/KH-BCD138 of 2022 (some items "
                                          "done on time, one returned, one overdue) and Lâm Đồng brought on board "
                                          "with its plan of 2026.")
@click.option("--as-of", "as_of", default=AS_OF, show_default=True, metavar="ISO8601",
              help="With --demo: the morning the demo stops at.")
@click.pass_obj
def seed(obj: Context, demo: bool, as_of: str) -> None:
    """Create the database if needed and load agencies, processes, templates and demo users."""
    if demo and obj.planflow.settings.production:
        raise click.UsageError("the demo plays a plan of 2022 with a clock set by hand, which production refuses "
                               "(PLANFLOW_ENV=production)")
    if demo:
        stop_at(as_of)  # a morning the demo cannot stop at is refused before anything is written
    obj.database.create_schema()
    # Beside the demo, the seed is loaded as of the morning before the demo's 2022 launch: the log's events
    # are then stamped in the order they are written, as 'planflow audit verify' requires.
    load_seed(obj.uow(), seed_clock(obj.uow(), obj.clock) if demo else obj.clock, click.echo)
    if demo:
        load_demo(obj.uow(), click.echo, as_of)
