"""The ``planflow`` command: what an operator needs without a browser."""
from __future__ import annotations

import json
import signal
import threading
from importlib.metadata import entry_points
from pathlib import Path

import click

from engine import cli_audit, cli_db, cli_plans
from engine.console import Context, fail
from engine.errors import PlanflowError, Unavailable
from engine.files.mail import mailer_from_environment
from engine.model.actors import SYSTEM
from engine.model.clock import FixedClock, clock_from, parse_instant
from engine.model.tasks import WorklistFilter
from engine.services import definitions, outbox, processes, reminders
from engine.services import tasks as task_service


@click.group()
@click.option("--database-url", envvar="PLANFLOW_DATABASE_URL", default=None,
              help="SQLAlchemy URL (default: the embedded SQLite file instance/planflow.sqlite3).")
@click.option("--now", "now_text", envvar="PLANFLOW_NOW", default=None, metavar="ISO8601",
              help="Act as of this instant, the clock moving on from it (e.g. 2022-06-01T08:00+07:00), "
                   "for demonstrations on plans of past years.")
@click.pass_context
def main(ctx: click.Context, database_url: str | None, now_text: str | None) -> None:
    """planflow: run provincial action plans as BPMN processes."""
    try:
        definitions.script_limits()  # a mistyped PLANFLOW_SCRIPT_* setting stops here, not at the first script
        clock = clock_from(now_text)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    ctx.obj = Context(database_url, clock)


@main.command("init-db")
@click.option("--no-deploy", is_flag=True, help="Do not deploy the standard processes of workflows/bpmn.")
@click.pass_obj
def init_db(obj: Context, no_deploy: bool) -> None:
    """Create the database tables and deploy the standard processes."""
    try:
        obj.database.create_schema()
        click.echo(f"database ready: {obj.database.url}")
        if not no_deploy:
            for item in definitions.deploy_directory(obj.uow(), obj.clock, SYSTEM):
                click.echo(f"  process {item.key} v{item.version}{' (new)' if item.new else ''}")
    except PlanflowError as error:
        fail(error)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def deploy(obj: Context, files: tuple[Path, ...]) -> None:
    """Deploy BPMN FILES together as one bundle (they may call each other)."""
    if not files:
        raise click.UsageError("give at least one .bpmn file")
    try:
        deployed = definitions.deploy(obj.uow(), obj.clock, SYSTEM, {p.name: p.read_bytes() for p in files})
    except PlanflowError as error:
        fail(error)
    for item in deployed:
        click.echo(f"process {item.key} v{item.version}{' (new)' if item.new else ' (unchanged)'}")


@main.command()
@click.argument("key")
@click.option("--var", "variables", multiple=True, metavar="NAME=JSON",
              help="A start variable; the value is read as JSON, else as text.")
@click.option("--business-key", default=None)
@click.pass_obj
def start(obj: Context, key: str, variables: tuple[str, ...], business_key: str | None) -> None:
    """Start the current version of process KEY."""
    values = dict(_parse_variable(v) for v in variables)
    try:
        view = processes.start_instance(obj.uow(), obj.clock, SYSTEM, key, values, business_key)
    except PlanflowError as error:
        fail(error)
    _print_instance(view)


@main.command()
@click.argument("task_id")
@click.option("--data", default="{}", help="Form data as a JSON object.")
@click.pass_obj
def complete(obj: Context, task_id: str, data: str) -> None:
    """Complete TASK_ID with form data (as an administrator)."""
    try:
        values = json.loads(data)
    except json.JSONDecodeError as error:
        raise click.BadParameter(f"--data is not JSON: {error}") from None
    try:
        view = processes.complete_task(obj.uow(), obj.clock, SYSTEM, task_id, values)
    except PlanflowError as error:
        fail(error)
    _print_instance(view)


@main.command()
@click.option("--once", is_flag=True, help="Fire what is due now, then exit.")
@click.option("--now", "now_text", default=None, metavar="ISO8601",
              help="Act as if it were this instant (with --once), e.g. 2022-10-01T08:00+07:00.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between runs.")
@click.option("--batch", default=100, show_default=True, help="Instances per transaction batch.")
@click.pass_obj
def worker(obj: Context, once: bool, now_text: str | None, interval: float, batch: int) -> None:
    """Fire due timers, send reminders and escalations of deadlines, deliver the mail outbox."""
    if now_text and not once:
        raise click.UsageError("--now only makes sense with --once")
    clock = FixedClock(parse_instant(now_text)) if now_text else obj.clock
    try:
        mailer = mailer_from_environment()
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    stopping = _stop_on_signals()
    backoff = 0.0
    while not stopping.is_set():
        try:
            _worker_round(obj, clock, batch, mailer, once, stopping)
        except Unavailable as error:
            # The database is down or unreachable: nothing of the round was committed. Wait longer each
            # time (up to a minute), then go on where it stopped.
            backoff = min(60.0, max(1.0, backoff * 2))
            click.echo(f"{clock.now().isoformat()}: database unavailable ({error}); trying again in "
                       f"{backoff:.0f} s", err=True)
            if once:
                raise SystemExit(75) from None  # EX_TEMPFAIL: try again later
            stopping.wait(backoff)
            continue
        if backoff:
            click.echo(f"{clock.now().isoformat()}: database reachable again; working")
            backoff = 0.0
        if once:
            return
        stopping.wait(interval)
    click.echo("stopped: the round under way was finished")


def _worker_round(obj: Context, clock, batch: int, mailer, once: bool, stopping: threading.Event) -> None:
    """Fire what is due (a batch a transaction), send reminders, deliver mail; say what was done."""
    totals = {"advanced": 0, "failed": 0, "skipped": 0}
    while not stopping.is_set():
        counts = processes.fire_due_timers(obj.uow(), clock, limit=batch)
        for name, value in counts.items():
            totals[name] += value
        # On to the next batch while this one was full and went forward: instances another worker held
        # were skipped, and come back (fired) or not (not due any more) when the due ones are read again.
        if sum(counts.values()) < batch or not counts["advanced"] + counts["failed"]:
            break
    reminded = reminders.send_reminders(obj.uow(), clock)
    mailed = outbox.deliver_mail(obj.uow(), clock, mailer) if mailer else {"sent": 0, "failed": 0}
    if once or totals["advanced"] or totals["failed"] or any(reminded.values()) or any(mailed.values()):
        click.echo(f"{clock.now().isoformat()}: {totals['advanced']} instance(s) advanced, "
                   f"{totals['failed']} failed (see 'planflow incidents'); reminders: {reminded['before']} "
                   f"before, {reminded['due_today']} due today, {reminded['overdue']} overdue; mail: "
                   f"{mailed['sent']} sent, {mailed['failed']} not taken"
                   + ("" if mailer else " (PLANFLOW_SMTP_URL unset: mail waits in the outbox)"))


def _stop_on_signals() -> threading.Event:
    """Set on SIGTERM (systemd's stop, a container's stop) or SIGINT: the worker ends its round and exits 0.
    Every step is its own transaction, so a worker killed outright loses nothing either: only time."""
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    return stopping


@main.command()
@click.pass_obj
def incidents(obj: Context) -> None:
    """List open incidents: steps that failed inside a process."""
    with obj.uow() as uow:
        rows = uow.incidents.open()
        for row in rows:
            click.echo(f"#{row.id} instance {row.instance_id} {row.action} at {row.element_id}: {row.message}")
        if not rows:
            click.echo("no open incidents")


@main.command("set-variables")
@click.argument("instance_id", type=int)
@click.option("--var", "variables", multiple=True, required=True, metavar="NAME=JSON",
              help="A variable to correct; the value is read as JSON, else as text.")
@click.pass_obj
def set_variables(obj: Context, instance_id: int, variables: tuple[str, ...]) -> None:
    """Correct variables of a running instance (e.g. before retrying an incident)."""
    try:
        view = processes.set_variables(obj.uow(), obj.clock, SYSTEM, instance_id,
                                       dict(_parse_variable(v) for v in variables))
    except PlanflowError as error:
        fail(error)
    _print_instance(view)


@main.command()
@click.argument("incident_id", type=int)
@click.pass_obj
def retry(obj: Context, incident_id: int) -> None:
    """Retry the step of INCIDENT_ID after fixing its cause."""
    try:
        view = processes.retry_incident(obj.uow(), obj.clock, SYSTEM, incident_id)
    except PlanflowError as error:
        fail(error)
    _print_instance(view)


@main.command()
@click.option("--agency", default=None, help="Only this agency's tasks.")
@click.pass_obj
def tasks(obj: Context, agency: str | None) -> None:
    """List open human tasks."""
    page = task_service.worklist(obj.uow(), obj.clock, SYSTEM, WorklistFilter(agency=agency), per_page=200)
    for row in page.tasks:
        due = row.due_at.isoformat() if row.due_at else "-"
        click.echo(f"{row.id}  instance {row.instance_id}  {row.name}  [{row.lane}: {row.assigned_agency}]  "
                   f"due {due}")
    if page.total > len(page.tasks):
        click.echo(f"… and {page.total - len(page.tasks)} more")


def _parse_variable(text: str) -> tuple[str, object]:
    name, sep, raw = text.partition("=")
    if not sep or not name.isidentifier():
        raise click.BadParameter(f"'{text}' is not NAME=VALUE")
    try:
        return name, json.loads(raw)
    except json.JSONDecodeError:
        return name, raw


def _print_instance(view: processes.InstanceView) -> None:
    click.echo(f"instance {view.id}: {view.key} v{view.version} {view.status}")
    for task in view.open_tasks:
        click.echo(f"  task {task.id} {task.name} [{task.lane}: {task.assigned_agency}]")
    if view.next_timer_at:
        click.echo(f"  next timer at {view.next_timer_at.isoformat()}")


cli_plans.register(main, Context, fail)
cli_audit.register(main, fail)
cli_db.register(main, fail)

# Commands of the packages that call the engine (``planflow seed``) register themselves here, so that
# the engine never imports them.
for _command in entry_points(group="planflow.commands"):
    main.add_command(_command.load(), _command.name)


if __name__ == "__main__":
    main()
