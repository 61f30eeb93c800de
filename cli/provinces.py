"""``planflow provinces`` and ``planflow agencies``: the national directory, a province brought on board, and an
administrator's changes to its bodies."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from cli.context import Context, acting_person
from cli.sheet_files import exporting_province, format_of, importing_province, read_upload
from engine.model.actors import SYSTEM
from engine.services import agencies as agency_service
from engine.services import definitions, directory, people_files
from engine.services import provinces as province_service


@click.group("provinces")
def group() -> None:
    """Provinces and cities: today's 34, those merged into them, and bringing one on board."""


@group.command("list")
@click.option("--all", "with_past", is_flag=True, help="Also the provinces merged into others on 1 July 2025.")
@click.pass_obj
def list_provinces(obj: Context, with_past: bool) -> None:
    """Each province: code, statistics code, name, bodies, people, on board since."""
    for view in province_service.list_provinces(obj.uow(), SYSTEM, with_past):
        since = f"on board since {view.onboarded_at:%d/%m/%Y}" if view.onboarded_at else "not on board"
        merged = f"  merged into {view.successor} on 1/7/2025" if view.valid_until else ""
        click.echo(f"{view.code:5} {view.gso_code or '--':3} {view.name:28} {view.agencies:4} bodies "
                   f"{view.people:3} people  {since}{merged}")


@group.command("add")
@click.argument("name")
@click.option("--admin-email", default=None, help="Where the first administrator's invitation is mailed.")
@click.option("--admin-username", default=None, help="The first administrator's user name (default quantri.CODE).")
@click.option("--coordinator-email", default=None, help="Where the first coordinator's invitation is mailed.")
@click.option("--coordinator-username", default=None,
              help="The first coordinator's user name (default dieuphoi.CODE).")
@click.pass_obj
def add(obj: Context, name: str, admin_email: str | None, admin_username: str | None,
        coordinator_email: str | None, coordinator_username: str | None) -> None:
    """Bring the province NAME on board: its directory from the national data, its first administrator and
    coordinator invited by a one-time link."""
    obj.database.create_schema()  # a fresh install: the schema first, and the standard processes (once)
    definitions.deploy_directory(obj.uow(), obj.clock, SYSTEM)
    done = province_service.onboard_province(
        obj.uow(), obj.clock, SYSTEM, name, obj.base_url,
        admin=_given(username=admin_username, email=admin_email),
        coordinator=_given(username=coordinator_username, email=coordinator_email))
    view = done.province
    click.echo(f"{view.name} ({view.code}) is on board: {view.agencies} bodies in its directory "
               f"({done.agencies_added} added from the national data)")
    if view.predecessors:
        click.echo(f"  its history includes {', '.join(view.predecessors)} (merged into it on 1/7/2025)")
    for role, invitation in zip(("administrator", "coordinator"), done.invitations):
        if invitation.mailed:
            click.echo(f"  {role} {invitation.username}: invitation mailed to {invitation.email} (valid until "
                       f"{invitation.expires_at:%d/%m/%Y})")
        else:
            click.echo(f"  {role} {invitation.username}: no e-mail address; hand over this one-time link "
                       f"(valid until {invitation.expires_at:%d/%m/%Y}): {invitation.link}")


def _given(**fields) -> dict:
    return {name: value for name, value in fields.items() if value}


@group.command("show")
@click.argument("code")
@click.pass_obj
def show(obj: Context, code: str) -> None:
    """A province with the units merged into it and its counts."""
    view = province_service.get_province(obj.uow(), SYSTEM, code.upper())
    click.echo(f"{view.name} ({view.code}, statistics code {view.gso_code or '-'})")
    if view.valid_until:
        click.echo(f"  merged into {view.successor} after {view.valid_until:%d/%m/%Y}")
    if view.predecessors:
        click.echo(f"  merged into it on 1/7/2025: {', '.join(view.predecessors)}")
    click.echo(f"  {view.agencies} bodies, {view.people} people; "
               + (f"on board since {view.onboarded_at:%d/%m/%Y}" if view.onboarded_at else "not on board"))


@click.group("agencies")
def agencies() -> None:
    """The bodies of the directory: list, add, rename, merge, retire, reach, history, import, export."""


@agencies.command("list")
@click.option("--province", default=None, help="Province code (LDG).")
@click.option("--on", "on", default=None, type=click.DateTime(["%Y-%m-%d"]), help="As of this day (YYYY-MM-DD).")
@click.option("--group", default=None, help="Only this group (departments, communes, press, …).")
@click.argument("search", required=False)
@click.pass_obj
def list_agencies(obj: Context, province: str | None, on, group: str | None, search: str | None) -> None:
    """Bodies of the directory: code, name, the days it existed."""
    found = agency_service.list_agencies(obj.uow(), SYSTEM, province.upper() if province else None, search,
                                         on.date() if on else None, group)
    for view in found:
        days = _days(view.valid_from, view.valid_until)
        click.echo(f"{view.code:28} {view.name}{days}")
    click.echo(f"{len(found)} bodies", err=True)


def _days(since: date | None, until: date | None) -> str:
    if since is None and until is None:
        return ""
    return f"  [{since.isoformat() if since else '…'} – {until.isoformat() if until else '…'}]"


@agencies.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--province", required=True, help="Province code (LDG).")
@click.option("--kind", default="department", show_default=True)
@click.option("--level", default="department", show_default=True)
@click.option("--short-name", default=None)
@click.option("--group", "groups", multiple=True, help="A group it belongs to (departments, …); repeat for more.")
@click.option("--alias", "aliases", multiple=True, help="Another name plans write; repeat for more.")
@click.option("--since", default=None, type=click.DateTime(["%Y-%m-%d"]), help="First day (default today).")
@acting_person
@click.pass_obj
def add_agency(obj: Context, code: str, name: str, province: str, kind: str, level: str, short_name: str | None,
               groups: tuple[str, ...], aliases: tuple[str, ...], since, as_user: str) -> None:
    """Add the body CODE called NAME to a province's directory."""
    view = agency_service.add_agency(obj.uow(), obj.clock, obj.person(as_user), agency_service.NewAgency(
        code=code.upper(), name=name, province=province.upper(), kind=kind, level=level, short_name=short_name,
        groups=groups, aliases=aliases, valid_from=since.date() if since else None))
    click.echo(f"added {view.code} {view.name}")


@agencies.command("rename")
@click.argument("code")
@click.argument("name")
@click.option("--short-name", default=None)
@acting_person
@click.pass_obj
def rename(obj: Context, code: str, name: str, short_name: str | None, as_user: str) -> None:
    """Rename CODE to NAME (the old name stays an alias)."""
    view = agency_service.rename_agency(obj.uow(), obj.clock, obj.person(as_user), code.upper(), name, short_name)
    click.echo(f"{view.code} is now {view.name}")


@agencies.command("signer")
@click.argument("code")
@click.option("--title", default=None, help="The position: 'KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN' (none: nobody).")
@click.option("--name", default=None, help="The full name.")
@acting_person
@click.pass_obj
def signer(obj: Context, code: str, title: str | None, name: str | None, as_user: str) -> None:
    """Set who signs CODE's reports as a standing body (no --title and no --name: nobody)."""
    view = agency_service.set_signer(obj.uow(), obj.clock, obj.person(as_user), code.upper(), title, name)
    said = " / ".join(view.signer_title.splitlines()) + (f" — {view.signer_name}" if view.signer_name else "") \
        if view.signer_title else "nobody: its reports leave the block for a hand signature"
    click.echo(f"{view.code}: {said}")


@agencies.command("merge")
@click.argument("codes", nargs=-1, required=True)
@click.option("--into", required=True, help="The body they are merged into.")
@click.option("--last-day", default=None, type=click.DateTime(["%Y-%m-%d"]),
              help="Their last day (default yesterday).")
@acting_person
@click.pass_obj
def merge(obj: Context, codes: tuple[str, ...], into: str, last_day, as_user: str) -> None:
    """Merge CODES into another body: they cease, it succeeds them, their people become its people."""
    view = agency_service.merge_agencies(obj.uow(), obj.clock, obj.person(as_user), [c.upper() for c in codes],
                                         into.upper(), last_day.date() if last_day else None)
    click.echo(f"merged {', '.join(codes)} into {view.code} {view.name}")


@agencies.command("retire")
@click.argument("code")
@click.option("--last-day", default=None, type=click.DateTime(["%Y-%m-%d"]), help="Its last day (default today).")
@click.option("--successor", "successors", multiple=True, help="A body its duties pass to; repeat for more.")
@acting_person
@click.pass_obj
def retire(obj: Context, code: str, last_day, successors: tuple[str, ...], as_user: str) -> None:
    """Retire CODE: it ceases after its last day."""
    view = agency_service.retire_agency(obj.uow(), obj.clock, obj.person(as_user), code.upper(),
                                        last_day.date() if last_day else None, [s.upper() for s in successors])
    click.echo(f"{view.code} ceases after {view.valid_until:%d/%m/%Y}"
               + (f"; its duties pass to {', '.join(view.successors)}" if view.successors else ""))


@agencies.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@importing_province
@acting_person
@click.pass_obj
def import_agencies(obj: Context, file: Path, province: str | None, as_user: str) -> None:
    """Add every body of a spreadsheet (.xlsx, or CSV in UTF-8) to a province's directory, or none when a row is
    wrong."""
    done = people_files.import_agencies(obj.uow(), obj.clock, obj.person(as_user), read_upload(file), file.name,
                                        province.upper() if province else None)
    click.echo(f"{len(done.agencies)} bodies added to the directory of {done.province}")


@agencies.command("export")
@exporting_province
@click.option("--on", "on", default=None, type=click.DateTime(["%Y-%m-%d"]), help="Only those of this day.")
@click.option("--format", "kind", default=None, type=click.Choice(["csv", "xlsx"]),
              help="By default the output's extension, else xlsx.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write.")
@acting_person
@click.pass_obj
def export_agencies(obj: Context, province: str | None, on, kind: str | None, output: Path, as_user: str) -> None:
    """Write the bodies of a province's directory to a spreadsheet that imports back."""
    made = people_files.export_agencies(obj.uow(), obj.person(as_user), province.upper() if province else None,
                                        kind or format_of(output), on.date() if on else None)
    output.write_bytes(made.content)
    click.echo(f"{output}: {made.filename}")


@agencies.command("dump")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The YAML file to write.")
@click.pass_obj
def dump(obj: Context, output: Path) -> None:
    """Write the whole directory (provinces and bodies) as one YAML file in the format of a directory file,
    for tools that read the product's directory (seed/agencies.yaml is this file, for the seed's data)."""
    import yaml
    data = directory.directory_file(obj.uow())
    header = ("# The agency directory of planflow, as the seed loads it: every province (today's 34 and those merged\n"
              "# away in 2025) and every body, with the days they existed. Written by `planflow agencies dump`;\n"
              "# not read by planflow itself (the seed reads the national data and seed/plan_agencies.yaml).\n")
    output.write_text(header + yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                                         allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    click.echo(f"{output}: {len(data['provinces'])} provinces, {len(data['agencies'])} bodies")


@agencies.command("reach")
@click.argument("code")
@click.argument("provinces", nargs=-1)
@acting_person
@click.pass_obj
def reach(obj: Context, code: str, provinces: tuple[str, ...], as_user: str) -> None:
    """Set the provinces the people of the national body CODE see (its programmes' provinces); none: its own."""
    view = agency_service.set_reach(obj.uow(), obj.clock, obj.person(as_user), code.upper(),
                                    [province.upper() for province in provinces])
    click.echo(f"{view.code} {view.name} reaches {', '.join(provinces) or 'no province'}")


@agencies.command("history")
@click.argument("code")
@click.pass_obj
def history(obj: Context, code: str) -> None:
    """Where CODE's duties came from and went, and every change made to it."""
    found = agency_service.agency_history(obj.uow(), SYSTEM, code.upper())
    click.echo(f"{found.agency.code} {found.agency.name}{_days(found.agency.valid_from, found.agency.valid_until)}")
    for before in found.predecessors:
        click.echo(f"  took over from {before.code} {before.name} (until {before.valid_until})")
    for after in found.successors:
        click.echo(f"  its duties passed to {after.code} {after.name}")
    for event in found.events:
        click.echo(f"  {event['at']:%Y-%m-%d %H:%M} {event['actor']} {event['action']} {event['data']}")
