"""``planflow simulate``: a plan's coming days previewed on a copy of the database."""
from __future__ import annotations

from datetime import date, timedelta

import click

from cli.context import Context
from engine.model.clock import LOCAL_TZ
from engine.services import simulation


@click.command()
@click.argument("plan_id", type=int)
@click.option("--until", "until_text", required=True, metavar="YYYY-MM-DD", help="The last day to simulate.")
@click.option("--step", "step_text", default="1d", show_default=True,
              help="How far the clock moves each time: 1d, 7d, 12h …")
@click.pass_obj
def simulate(obj: Context, plan_id: int, until_text: str, step_text: str) -> None:
    """Preview PLAN_ID's days until --until on a copy: what falls due, becomes overdue, is escalated."""
    try:
        until = date.fromisoformat(until_text)
    except ValueError:
        raise click.BadParameter(f"'{until_text}' is not a date such as 2022-12-31", param_hint="--until") from None
    result = simulation.simulate(obj.ready(), plan_id, obj.clock.now(), until, _step(step_text))
    _print_simulation(result, step_text)


def _step(text: str) -> timedelta:
    units = {"d": "days", "h": "hours", "w": "weeks"}
    number, unit = text[:-1], text[-1:].lower()
    if unit not in units or not number.isdigit() or int(number) == 0:
        raise click.BadParameter(f"'{text}' is not a step such as 1d, 7d or 12h", param_hint="--step")
    return timedelta(**{units[unit]: int(number)})


def _print_simulation(result, step_text: str) -> None:
    click.echo(f"Simulation of plan {result.plan_id} ({result.symbol}) from "
               f"{result.start.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M} to {result.until}, in steps of {step_text}, on a "
               "copy of the database: nothing real changes and no mail is sent.")
    for week in result.weeks:
        lines = [*_by_agency("falls due", week.fell_due), *_by_agency("overdue", week.became_overdue),
                 *_by_agency("escalated to the standing body", week.escalated)]
        if week.reminders:
            counts = sorted(week.reminders.items())
            listed = ", ".join(f"{agency} {count}" for agency, count in counts[:6])
            more = f" and {len(counts) - 6} more agencies" if len(counts) > 6 else ""
            lines.append(f"  reminders ahead of a deadline: {sum(week.reminders.values())} ({listed}{more})")
        if lines:
            click.echo(f"week of {week.start}:")
            for line in lines:
                click.echo(line)
    click.echo(f"Overdue on the last day of each month, at {result.start.astimezone(LOCAL_TZ):%H:%M}:")
    for month, items in result.overdue_by_month.items():
        listed = ", ".join(f"{number} ({agency or 'several agencies'})" for number, agency in items)
        click.echo(f"  {month}: {listed or 'none'}")


def _by_agency(what: str, items_of: dict[str, list[str]]) -> list[str]:
    """One line per item with the agencies it concerns, condensed when a whole province shares it."""
    agencies_of: dict[str, list[str]] = {}
    for agency, numbers in items_of.items():
        for number in numbers:
            agencies_of.setdefault(number, []).append(agency)
    lines = []
    for number, agencies in agencies_of.items():
        named = ", ".join(sorted(agencies)) if len(agencies) <= 4 else f"{len(agencies)} agencies"
        lines.append(f"  {what}: item {number}: {named}")
    return lines
