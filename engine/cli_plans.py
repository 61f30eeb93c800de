"""``planflow seed``, ``templates …``, ``plans …`` and ``users …``: the plan side of the command line."""
from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import click

from engine.errors import Invalid, PlanflowError
from engine.model.actors import ROLES, SYSTEM
from engine.model.clock import LOCAL_TZ
from engine.services import (
    gates,
    launches,
    plans,
    report_requests,
    reports,
    simulation,
    templates,
    users,
)


def register(main: click.Group, context_of, fail) -> None:
    """Add the plan commands to the ``planflow`` group."""

    @main.group("templates")
    def templates_group() -> None:
        """Plan templates (workflows/templates/*.yaml)."""

    @templates_group.command("list")
    @click.pass_obj
    def list_templates(obj) -> None:
        for info in templates.list_templates(obj.uow()):
            click.echo(f"{info.key}  v{info.version}  {info.items} items  {info.name}")

    @templates_group.command("validate")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.pass_obj
    def validate(obj, file: Path) -> None:
        """Check FILE against the agency directory and the deployed processes; store nothing."""
        try:
            uow = None if obj.database.is_empty() else obj.uow()  # a fresh install: the structure alone
            valid = templates.check_template(uow, file.read_bytes(), file.name)
        except Invalid as error:
            click.echo(f"{file.name} is not valid:", err=True)
            for field, messages in (error.errors or {"": [error.message]}).items():
                for message in messages:
                    click.echo(f"  {field}: {message}", err=True)
            raise SystemExit(2)
        if not valid.references_checked:
            click.echo(f"{file.name}: template {valid.key} is well-formed ({len(valid.data['items'])} top-level "
                       "items); its agencies and processes were not checked: this database has no agency directory "
                       "yet (run 'planflow seed' first)")
            return
        click.echo(f"{file.name}: template {valid.key} is valid ({len(valid.data['items'])} top-level items)")

    @templates_group.command("draft")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="Where to write the draft (default: FILE's name with .draft.yaml).")
    @click.pass_obj
    def draft(obj, file: Path, output: Path | None) -> None:
        """Read a plan document (.docx, PDF, text) and write a draft template, each field's source and flags
        in comments; nothing is stored."""
        from engine.drafting.writing import draft_yaml
        try:
            found = templates.draft_from_document(obj.uow(), SYSTEM, file.read_bytes(), file.name)
        except Invalid as error:
            click.echo(f"{file.name}: {error.message}", err=True)
            raise SystemExit(2)
        except PlanflowError as error:
            fail(error)
        target = output or file.with_suffix(".draft.yaml")
        target.write_text(draft_yaml(found, file.name), encoding="utf-8")
        click.echo(f"{target}: {found.summary}")
        for flag in found.flags:
            click.echo(f"  FLAG {flag.path}: {flag.message}"
                       + (f" (did you mean {', '.join(flag.suggestions)}?)" if flag.suggestions else ""))

    @main.group("plans")
    def plans_group() -> None:
        """Plans launched from templates."""

    @plans_group.command("launch")
    @click.argument("template")
    @click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
                  help="A launch parameter (agency lists: comma-separated codes).")
    @click.option("--idempotency-key", default=None, help="A retried launch with the same key creates nothing.")
    @click.option("--allow-duplicate-symbol", is_flag=True,
                  help="Launch even though a plan with the same symbol was launched already.")
    @click.pass_obj
    def launch(obj, template: str, params: tuple[str, ...], idempotency_key: str | None,
               allow_duplicate_symbol: bool) -> None:
        """Launch a plan from TEMPLATE (its newest version), with the same rules as the API."""
        try:
            declared = templates.get_template(obj.uow(), template).get("parameters", {})
            values = {name: _split(value) if declared.get(name, {}).get("type") == "agencies" else value
                      for name, value in (_pair(p) for p in params)}
            view = launches.launch_plan(obj.uow(), obj.clock, SYSTEM, template, values, idempotency_key,
                                        allow_duplicate_symbol)
        except PlanflowError as error:
            fail(error)
        instances = sum(len(item.instances) for item in view.items)
        click.echo(f"plan {view.id}: {view.symbol} — {len(view.items)} items, {instances} process instances")
        _print_items(view)

    @plans_group.command("show")
    @click.argument("plan_id", type=int)
    @click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
    @click.pass_obj
    def show(obj, plan_id: int, as_json: bool) -> None:
        """Each item with its number, title, lead, coordinating agencies, schedule and status."""
        try:
            view = plans.get_plan(obj.uow(), obj.clock, plan_id)
        except PlanflowError as error:
            fail(error)
        if as_json:
            click.echo(json.dumps(_jsonable(view), ensure_ascii=False, indent=2, default=str))
            return
        click.echo(f"plan {view.id}: {view.symbol} ({view.template} v{view.template_version}) "
                   f"progress {view.progress:.0%}")
        click.echo(f"  {view.title}")
        _print_items(view)

    @plans_group.command("list")
    @click.pass_obj
    def list_plans(obj) -> None:
        for view in plans.list_plans(obj.uow(), obj.clock, per_page=1000).plans:
            click.echo(f"{view.id}  {view.symbol}  {view.progress:.0%}  {view.title[:80]}")

    @main.command()
    @click.argument("plan_id", type=int)
    @click.option("--until", "until_text", required=True, metavar="YYYY-MM-DD", help="The last day to simulate.")
    @click.option("--step", "step_text", default="1d", show_default=True,
                  help="How far the clock moves each time: 1d, 7d, 12h …")
    @click.pass_obj
    def simulate(obj, plan_id: int, until_text: str, step_text: str) -> None:
        """Preview PLAN_ID's days until --until on a copy: what falls due, becomes overdue, is escalated."""
        try:
            until = date.fromisoformat(until_text)
        except ValueError:
            raise click.BadParameter(f"'{until_text}' is not a date such as 2022-12-31", param_hint="--until") from None
        step = _step(step_text)
        try:
            result = simulation.simulate(obj.ready(), plan_id, obj.clock.now(), until, step)
        except PlanflowError as error:
            fail(error)
        _print_simulation(result, step_text)

    @main.group("reports")
    def reports_group() -> None:
        """The official reports of a plan."""

    @reports_group.command("progress")
    @click.argument("plan_id", type=int)
    @click.option("--period", default=None, help="2022, 2022-H1, 2022-Q3 or 2022-09 (default: as of now).")
    @click.option("--format", "kind", type=click.Choice(["docx", "json", "csv"]), default="docx", show_default=True)
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="Where to write it (default: its own name in this folder).")
    @click.pass_obj
    def progress(obj, plan_id: int, period: str | None, kind: str, output: Path | None) -> None:
        """Write the progress report of PLAN_ID: each item, its lead agency, status and results."""
        try:
            content, _, name = reports.progress_document(obj.uow(), obj.clock, SYSTEM, plan_id, period, kind)
        except PlanflowError as error:
            fail(error)
        target = output or Path(name)
        target.write_bytes(content)
        click.echo(f"{target}: {len(content)} bytes")

    @reports_group.command("gates")
    @click.argument("plan_id", type=int)
    @click.option("--open", "only_open", is_flag=True, help="Only the periods still missing reports.")
    @click.pass_obj
    def gates_command(obj, plan_id: int, only_open: bool) -> None:
        """The reporting periods of PLAN_ID: who has reported, who is missing, what an open gate holds back."""
        try:
            view = gates.reporting_view(obj.uow(), obj.clock, SYSTEM, plan_id)
        except PlanflowError as error:
            fail(error)
        _print_gates(view, only_open)

    @reports_group.command("request")
    @click.argument("plan_id", type=int)
    @click.option("--agencies", "agency_text", required=True, help="The agencies asked: comma-separated codes.")
    @click.option("--due", required=True, metavar="YYYY-MM-DD", help="The deadline (the end of that day) or an instant.")
    @click.option("--subject", required=True, help="What the report is about.")
    @click.option("--content", default=None, help="What it must contain.")
    @click.pass_obj
    def request(obj, plan_id: int, agency_text: str, due: str, subject: str, content: str | None) -> None:
        """Ask agencies of PLAN_ID for an ad-hoc report (báo cáo đột xuất) by a deadline."""
        try:
            asked = report_requests.request_report(obj.uow(), obj.clock, SYSTEM, plan_id, _split(agency_text), due,
                                                   subject, content)
        except PlanflowError as error:
            fail(error)
        item = next(item for item in asked.plan.items if item.number == asked.number)
        click.echo(f"item {asked.number} of plan {asked.plan.symbol}: asked {', '.join(item.performers)}, "
                   f"due {item.schedule['end']}")

    @main.group("users")
    def users_group() -> None:
        """People who sign in."""

    @users_group.command("add")
    @click.argument("username")
    @click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
    @click.option("--agency", default=None, help="Agency code (members and approvers).")
    @click.option("--name", default=None, help="Display name.")
    @click.option("--email", default=None, help="Where reminders and escalations are mailed.")
    @click.password_option(help="Prompted for when not given.")
    @click.pass_obj
    def add(obj, username: str, roles: tuple[str, ...], agency: str | None, name: str | None, email: str | None,
            password: str) -> None:
        try:
            view = users.add_user(obj.uow(), obj.clock, SYSTEM, username, password, list(roles), agency, name, email)
        except PlanflowError as error:
            fail(error)
        click.echo(f"user {view.username} added ({', '.join(view.roles)})")

    @main.group("tokens")
    def tokens_group() -> None:
        """Personal API tokens for scripts."""

    @tokens_group.command("create")
    @click.argument("username")
    @click.option("--name", default="API token", help="What the token is for.")
    @click.option("--days", default=users.TOKEN_DAYS, show_default=True, type=int,
                  help=f"How many days it lasts (at most {users.TOKEN_MAX_DAYS}).")
    @click.pass_obj
    def create_token(obj, username: str, name: str, days: int) -> None:
        """Create a token for USERNAME and print it (it is shown only once)."""
        try:
            token = users.create_token(obj.uow(), obj.clock, SYSTEM, username, name, days)
        except PlanflowError as error:
            fail(error)
        click.echo(token)

    @users_group.command("list")
    @click.pass_obj
    def list_users(obj) -> None:
        for view in users.list_users(obj.uow()):
            click.echo(f"{view.username}  {','.join(view.roles)}  {view.agency or '-'}  {view.display_name}")


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


def _split(text: str) -> list[str]:
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


def _jsonable(view) -> dict:
    from dataclasses import asdict
    return asdict(view)
