"""The ``planflow`` command: what an operator needs without a browser.

One module per command group; each is imported only when one of its commands
runs (``cli.lazy``), so that ``planflow --help`` answers at once. Commands
parse their arguments, call a use case with the run's composition root
(``cli.context``), and print.
"""
from __future__ import annotations

import click

from bootstrap import Planflow, Settings
from cli.context import Context
from cli.lazy import LazyGroup

#: Every command: where it is, and its summary in ``planflow --help`` (tests/unit/test_cli_layout.py holds each
#: summary to the first sentence of the command's own help).
COMMANDS = {
    "agencies": ("cli.provinces:agencies", "The bodies of the directory: list, add, rename, merge, retire, reach, "
                                           "history, import, export."),
    "audit": ("cli.audit:group", "The audit log: every change, hash-chained."),
    "complete": ("cli.processes:complete", "Complete TASK_ID with form data, as the person named by --as."),
    "db": ("cli.db:group", "The database schema: which revision it is at, and upgrading it."),
    "deploy": ("cli.processes:deploy", "Deploy BPMN FILES together as one bundle (they may call each other)."),
    "incidents": ("cli.processes:incidents", "List open incidents: steps that failed inside a process."),
    "init-db": ("cli.processes:init_db", "Create the database tables and deploy the standard processes."),
    "plans": ("cli.plans:group", "Plans launched from templates."),
    "provinces": ("cli.provinces:group", "Provinces and cities: today's 34, those merged into them, and bringing one "
                                         "on board."),
    "reports": ("cli.reports:group", "The official reports of a plan."),
    "retry": ("cli.processes:retry", "Retry the step of INCIDENT_ID after fixing its cause."),
    "seed": ("cli.seed:seed", "Create the database if needed and load agencies, processes, templates and demo "
                              "users."),
    "serve": ("cli.serve:serve", "Serve the web application (Flask's server; use gunicorn for production)."),
    "set-variables": ("cli.processes:set_variables", "Correct variables of a running instance (e.g. before "
                                                     "retrying an incident)."),
    "simulate": ("cli.simulate:simulate", "Preview PLAN_ID's days until --until on a copy: what falls due, becomes "
                                          "overdue, is escalated."),
    "start": ("cli.processes:start", "Start the current version of process KEY."),
    "tasks": ("cli.worklist:tasks", "List open human tasks."),
    "templates": ("cli.templates:group", "Plan templates (workflows/templates/*.yaml)."),
    "tokens": ("cli.users:tokens", "Personal API tokens for scripts."),
    "users": ("cli.users:users", "People who sign in."),
    "worker": ("cli.worker:worker", "Fire due timers, send reminders and escalations of deadlines, queue the daily "
                                    "digests, deliver the mail outbox."),
}


@click.group(cls=LazyGroup, lazy=COMMANDS)
@click.option("--database-url", envvar="PLANFLOW_DATABASE_URL", default=None,
              help="SQLAlchemy URL (default: the embedded SQLite file instance/planflow.sqlite3).")
@click.option("--now", "now_text", envvar="PLANFLOW_NOW", default=None, metavar="ISO8601",
              help="Act as of this instant, the clock moving on from it (e.g. 2022-06-01T08:00+07:00), "
                   "for demonstrations on plans of past years.")
@click.pass_context
def main(ctx: click.Context, database_url: str | None, now_text: str | None) -> None:
    """planflow: run provincial action plans as BPMN processes."""
    try:
        planflow = Planflow(Settings.from_environment().but(database_url=database_url, now=now_text))
    except ValueError as error:  # a mistyped --now or PLANFLOW_SCRIPT_* setting stops here, naming it
        raise click.UsageError(str(error)) from None
    ctx.obj = Context(planflow)

