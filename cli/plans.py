"""``planflow plans``: launch a plan from a template, list the plans, show one item by item."""
from __future__ import annotations

import json
from dataclasses import asdict

import click

from cli.context import Context, acting_person
from engine.services import plans, templates


@click.group("plans")
def group() -> None:
    """Plans launched from templates."""


@group.command("launch")
@click.argument("template")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A launch parameter (agency lists: comma-separated codes).")
@click.option("--idempotency-key", default=None, help="A retried launch with the same key creates nothing.")
@click.option("--allow-duplicate-symbol", is_flag=True,
              help="Launch even though a plan with the same symbol was launched already.")
@acting_person
@click.pass_obj
def launch(obj: Context, template: str, params: tuple[str, ...], idempotency_key: str | None,
           allow_duplicate_symbol: bool, as_user: str) -> None:
    """Launch a plan from TEMPLATE (its newest version), with the same rules as the API."""
    from engine.services import launches  # the BPMN engine loads for the launch only, not to list plans
    declared = templates.get_template(obj.uow(), template).get("parameters", {})
    values = {name: split_codes(value) if declared.get(name, {}).get("type") == "agencies" else value
              for name, value in (_pair(p) for p in params)}
    view = launches.launch_plan(obj.uow(), obj.clock, obj.person(as_user), template, values, idempotency_key,
                                allow_duplicate_symbol)
    instances = sum(len(item.instances) for item in view.items)
    click.echo(f"plan {view.id}: {view.symbol} — {len(view.items)} items, {instances} process instances")
    _print_items(view)


@group.command("show")
@click.argument("plan_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.pass_obj
def show(obj: Context, plan_id: int, as_json: bool) -> None:
    """Each item with its number, title, lead, coordinating agencies, schedule and status."""
    view = plans.get_plan(obj.uow(), obj.clock, plan_id)
    if as_json:
        click.echo(json.dumps(asdict(view), ensure_ascii=False, indent=2, default=str))
        return
    click.echo(f"plan {view.id}: {view.symbol} ({view.template} v{view.template_version}) "
               f"progress {view.progress:.0%}")
    click.echo(f"  {view.title}")
    _print_items(view)


@group.command("list")
@click.pass_obj
def list_plans(obj: Context) -> None:
    """Every plan, newest first, with how far it has got."""
    for view in plans.list_plans(obj.uow(), obj.clock, per_page=1000).plans:
        click.echo(f"{view.id}  {view.symbol}  {view.progress:.0%}  {view.title[:80]}")


def split_codes(text: str) -> list[str]:
    """An agency list as the command line takes it: comma-separated codes."""
    return [code.strip() for code in text.split(",") if code.strip()]


def _pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise click.BadParameter(f"'{text}' is not NAME=VALUE")
    return name, value


def _print_items(view) -> None:
    for item in view.items:
        schedule = item.schedule or {}
        when = f"{schedule['start'][:10]} → {schedule['end'][:10]}" if schedule else ""
        who = item.lead or (f"{len(item.performers)} performers" if item.performers else "")
        coordinating = f" + {', '.join(item.coordinating)}" if item.coordinating else ""
        click.echo(f"  {item.number:>5}  {item.status:<18} {who}{coordinating}  {when}  {item.title[:70]}")
