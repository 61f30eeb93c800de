"""``planflow init-db``, ``deploy``, ``start``, ``complete``, ``incidents``, ``set-variables``, ``retry``:
processes and their steps, as an administrator runs them."""
from __future__ import annotations

import json
from pathlib import Path

import click

from cli.context import Context, acting_person
from engine.model.actors import SYSTEM
from engine.model.clock import LOCAL_TZ
from engine.runtime.views import InstanceView
from engine.services import definitions, processes, tasks


@click.command("init-db")
@click.option("--no-deploy", is_flag=True, help="Do not deploy the standard processes of workflows/bpmn.")
@click.pass_obj
def init_db(obj: Context, no_deploy: bool) -> None:
    """Create the database tables and deploy the standard processes."""
    obj.database.create_schema()
    click.echo(f"database ready: {obj.database.url}")
    if not no_deploy:
        for item in definitions.deploy_directory(obj.uow(), obj.clock, SYSTEM):
            click.echo(f"  process {item.key} v{item.version}{' (new)' if item.new else ''}")


@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def deploy(obj: Context, files: tuple[Path, ...]) -> None:
    """Deploy BPMN FILES together as one bundle (they may call each other)."""
    if not files:
        raise click.UsageError("give at least one .bpmn file")
    deployed = definitions.deploy(obj.uow(), obj.clock, SYSTEM, {p.name: p.read_bytes() for p in files})
    for item in deployed:
        click.echo(f"process {item.key} v{item.version}{' (new)' if item.new else ' (unchanged)'}")


@click.command()
@click.argument("key")
@click.option("--var", "variables", multiple=True, metavar="NAME=JSON",
              help="A start variable; the value is read as JSON, else as text.")
@click.option("--business-key", default=None)
@acting_person
@click.pass_obj
def start(obj: Context, key: str, variables: tuple[str, ...], business_key: str | None, as_user: str) -> None:
    """Start the current version of process KEY."""
    values = dict(_parse_variable(v) for v in variables)
    _print_instance(processes.start_instance(obj.uow(), obj.clock, obj.person(as_user), key, values, business_key))


@click.command()
@click.argument("task_id")
@click.option("--data", default="{}", help="Form data as a JSON object.")
@acting_person
@click.pass_obj
def complete(obj: Context, task_id: str, data: str, as_user: str) -> None:
    """Complete TASK_ID with form data, as the person named by --as."""
    try:
        values = json.loads(data)
    except json.JSONDecodeError as error:
        raise click.BadParameter(f"--data is not JSON: {error}") from None
    _print_instance(tasks.complete_task(obj.uow(), obj.clock, obj.person(as_user), task_id, values))


@click.command()
@click.pass_obj
def incidents(obj: Context) -> None:
    """List open incidents: steps that failed inside a process."""
    found = processes.open_incidents(obj.uow())
    for row in found:
        click.echo(f"#{row.id} instance {row.instance_id} {row.action} at {row.element_id}: {row.message}")
    if not found:
        click.echo("no open incidents")


@click.command("set-variables")
@click.argument("instance_id", type=int)
@click.option("--var", "variables", multiple=True, required=True, metavar="NAME=JSON",
              help="A variable to correct; the value is read as JSON, else as text.")
@acting_person
@click.pass_obj
def set_variables(obj: Context, instance_id: int, variables: tuple[str, ...], as_user: str) -> None:
    """Correct variables of a running instance (e.g. before retrying an incident)."""
    _print_instance(processes.set_variables(obj.uow(), obj.clock, obj.person(as_user), instance_id,
                                            dict(_parse_variable(v) for v in variables)))


@click.command()
@click.argument("incident_id", type=int)
@acting_person
@click.pass_obj
def retry(obj: Context, incident_id: int, as_user: str) -> None:
    """Retry the step of INCIDENT_ID after fixing its cause."""
    _print_instance(processes.retry_incident(obj.uow(), obj.clock, obj.person(as_user), incident_id))


def _parse_variable(text: str) -> tuple[str, object]:
    name, sep, raw = text.partition("=")
    if not sep or not name.isidentifier():
        raise click.BadParameter(f"'{text}' is not NAME=VALUE")
    try:
        return name, json.loads(raw)
    except json.JSONDecodeError:
        return name, raw


def _print_instance(view: InstanceView) -> None:
    click.echo(f"instance {view.id}: {view.key} v{view.version} {view.status}")
    for task in view.open_tasks:
        click.echo(f"  task {task.id} {task.name} [{task.lane}: {task.assigned_agency}]")
    if view.next_timer_at:
        click.echo(f"  next timer at {view.next_timer_at.astimezone(LOCAL_TZ).isoformat()}")
