"""``planflow tasks``: the open human tasks, soonest due first."""
from __future__ import annotations

import click

from cli.context import Context
from engine.model.actors import SYSTEM
from engine.model.clock import LOCAL_TZ
from engine.model.tasks import WorklistFilter
from engine.services import worklists


@click.command()
@click.option("--agency", default=None, help="Only this agency's tasks.")
@click.option("--flag", type=click.Choice(WorklistFilter.FLAGS), default=None,
              help="Only the approvals waiting, the reports returned, the overdue or the due-soon tasks.")
@click.option("--plan", "plan_id", type=int, default=None, help="Only this plan's tasks.")
@click.pass_obj
def tasks(obj: Context, agency: str | None, flag: str | None, plan_id: int | None) -> None:
    """List open human tasks."""
    page = worklists.worklist(obj.uow(), obj.clock, SYSTEM, WorklistFilter(agency=agency, flag=flag, plan_id=plan_id),
                              per_page=200)
    for row in page.tasks:
        due = row.due_at.astimezone(LOCAL_TZ).isoformat() if row.due_at else "-"
        click.echo(f"{row.id}  instance {row.instance_id}  {row.name}  [{row.lane}: {row.assigned_agency}]  "
                   f"due {due}")
    if page.total > len(page.tasks):
        click.echo(f"… and {page.total - len(page.tasks)} more")
