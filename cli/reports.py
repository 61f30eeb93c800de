"""``planflow reports``: a plan's progress report, its reporting gates, and ad-hoc report requests."""
from __future__ import annotations

from pathlib import Path

import click

from cli.context import Context, acting_person
from cli.plans import split_codes
from engine.model.actors import SYSTEM
from engine.services import progress_reports, report_requests, reporting_gates


@click.group("reports")
def group() -> None:
    """The official reports of a plan."""


@group.command("progress")
@click.argument("plan_id", type=int)
@click.option("--period", default=None, help="2022, 2022-H1, 2022-Q3 or 2022-09 (default: as of now).")
@click.option("--format", "kind", type=click.Choice(["docx", "pdf", "json", "csv"]), default="docx", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write it (default: its own name in this folder).")
@click.pass_obj
def progress(obj: Context, plan_id: int, period: str | None, kind: str, output: Path | None) -> None:
    """Write the progress report of PLAN_ID: each item, its lead agency, status and results."""
    content, _, name = progress_reports.progress_document(obj.uow(), obj.clock, SYSTEM, plan_id, period, kind)
    target = output or Path(name)
    target.write_bytes(content)
    click.echo(f"{target}: {len(content)} bytes")


@group.command("gates")
@click.argument("plan_id", type=int)
@click.option("--open", "only_open", is_flag=True, help="Only the periods still missing reports.")
@click.pass_obj
def gates_command(obj: Context, plan_id: int, only_open: bool) -> None:
    """The reporting periods of PLAN_ID: who has reported, who is missing, what an open gate holds back."""
    _print_gates(reporting_gates.reporting_view(obj.uow(), obj.clock, SYSTEM, plan_id), only_open)


@group.command("request")
@click.argument("plan_id", type=int)
@click.option("--agencies", "agency_text", required=True, help="The agencies asked: comma-separated codes.")
@click.option("--due", required=True, metavar="YYYY-MM-DD", help="The deadline (the end of that day) or an instant.")
@click.option("--subject", required=True, help="What the report is about.")
@click.option("--content", default=None, help="What it must contain.")
@acting_person
@click.pass_obj
def request(obj: Context, plan_id: int, agency_text: str, due: str, subject: str, content: str | None,
            as_user: str) -> None:
    """Ask agencies of PLAN_ID for an ad-hoc report (báo cáo đột xuất) by a deadline."""
    asked = report_requests.request_report(obj.uow(), obj.clock, obj.person(as_user), plan_id,
                                           split_codes(agency_text), due, subject, content)
    item = next(item for item in asked.plan.items if item.number == asked.number)
    click.echo(f"item {asked.number} of plan {asked.plan.symbol}: asked {', '.join(item.performers)}, "
               f"due {item.schedule['end']}")


def _print_gates(view, only_open: bool) -> None:
    regime = view.regime
    rule = regime["submission"]
    due = (f"day {rule['day_of_month']} of the closing month" if "day_of_month" in rule
           else f"{rule['working_days']} working days after the cut-off")
    click.echo(f"Plan {view.plan_id} ({view.plan_symbol}): reports to {regime['to']}, "
               f"{', '.join(regime['periodic']) or 'no periodic report'}{', ad hoc' if regime['ad_hoc'] else ''}; "
               f"due {due}{' (planflow default: the plan fixes no date)' if regime['submission_is_default'] else ''}")
    if not view.periods:
        click.echo("  no item of this plan reports periodically")
    for period in view.periods:
        if only_open and period.status != "open":
            continue
        p = period.period
        click.echo(f"{p.label}: data {p.first_day:%d/%m/%Y}–{p.last_day:%d/%m/%Y}, due {p.due_at:%d/%m/%Y}: "
                   f"{period.status.replace('_', ' ')}")
        for gate in period.gates:
            if gate.status == "open":
                click.echo(f"  item {gate.item_number} ({gate.agency}): missing {', '.join(gate.missing)}; "
                           f"holds back {gate.blocks}")
        closed = sum(gate.status == "closed" for gate in period.gates)
        if closed:
            click.echo(f"  {closed} of {len(period.gates)} duties reported in full")
    for request in view.ad_hoc:
        if only_open and not request.missing:
            continue
        click.echo(f"ad hoc {request.item_number} '{request.subject}', due {request.due_at:%H:%M %d/%m/%Y}: "
                   + (f"missing {', '.join(request.missing)}" if request.missing else "all in"))

