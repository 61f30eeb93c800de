"""``planflow tasks``: the open human tasks, soonest due first."""
from __future__ import annotations

import click

from cli.context import Context
from engine.model.actors import SYSTEM
from engine.model.tasks import WorklistFilter
from engine.services import worklists


@click.command()
@click.option("--agency", default=None, help="Only this agency's tasks.")
@click.pass_obj
def tasks(obj: Context, agency: str | None) -> None:
    """List open human tasks."""
    page = worklists.worklist(obj.uow(), obj.clock, SYSTEM, WorklistFilter(agency=agency), per_page=200)
    for row in page.tasks:
        due = row.due_at.isoformat() if row.due_at else "-"
        click.echo(f"{row.id}  instance {row.instance_id}  {row.name}  [{row.lane}: {row.assigned_agency}]  "
                   f"due {due}")
    if page.total > len(page.tasks):
        click.echo(f"… and {page.total - len(page.tasks)} more")
