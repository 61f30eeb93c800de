"""``planflow users`` and ``planflow tokens``: people who sign in, and their personal API tokens."""
from __future__ import annotations

from pathlib import Path

import click

from cli.context import Context, acting_person
from cli.sheet_files import exporting_province, format_of, importing_province, read_upload
from engine.model.actors import ROLES, SYSTEM
from engine.services import invitations, people, people_files
from engine.services import users as user_service


@click.group("users")
def users() -> None:
    """People who sign in."""


@users.command("add")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
@click.option("--agency", default=None, help="Agency code (members and approvers).")
@click.option("--name", default=None, help="Display name.")
@click.option("--email", default=None, help="Where reminders and escalations are mailed.")
@click.password_option(help="Prompted for when not given.")
@click.pass_obj
def add(obj: Context, username: str, roles: tuple[str, ...], agency: str | None, name: str | None,
        email: str | None, password: str) -> None:
    """Add a person who signs in with a password."""
    view = user_service.add_user(obj.uow(), obj.clock, SYSTEM, username, password, list(roles), agency, name, email)
    click.echo(f"user {view.username} added ({', '.join(view.roles)})")


@users.command("invite")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
@click.option("--agency", default=None, help="Agency code (members, approvers, and a province's coordinators).")
@click.option("--name", default=None, help="Display name.")
@click.option("--email", default=None, help="Where the invitation, reminders and escalations are mailed.")
@click.pass_obj
def invite(obj: Context, username: str, roles: tuple[str, ...], agency: str | None, name: str | None,
           email: str | None) -> None:
    """Invite a person: they get a one-time link to set their own password (mailed, or printed to hand over)."""
    made = invitations.invite(obj.uow(), obj.clock, SYSTEM, invitations.Person(
        username, tuple(roles), agency, name, email), obj.base_url)
    _said(made)


@users.command("reset-password")
@click.argument("username")
@click.pass_obj
def reset_password(obj: Context, username: str) -> None:
    """Send USERNAME a one-time link to set a new password."""
    _said(invitations.reset_password(obj.uow(), obj.clock, SYSTEM, username, obj.base_url))


@users.command("update")
@click.argument("username")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), help="The roles (all of them), repeated.")
@click.option("--agency", default=None, help="Agency code.")
@click.option("--name", default=None, help="Display name.")
@click.option("--email", default=None, help="E-mail address.")
@acting_person
@click.pass_obj
def update(obj: Context, username: str, roles: tuple[str, ...], agency: str | None, name: str | None,
           email: str | None, as_user: str) -> None:
    """Correct USERNAME's roles, agency, name or e-mail."""
    view = people.update_person(obj.uow(), obj.clock, obj.person(as_user), username, display_name=name,
                                email=email, roles=list(roles) or None, agency=agency)
    click.echo(f"{view.username}: {', '.join(view.roles)}, {view.agency or '-'}, {view.display_name}")


@users.command("disable")
@click.argument("username")
@acting_person
@click.pass_obj
def disable(obj: Context, username: str, as_user: str) -> None:
    """Disable USERNAME: they sign in no more (their history stays)."""
    people.set_active(obj.uow(), obj.clock, obj.person(as_user), username, False)
    click.echo(f"{username} is disabled")


@users.command("enable")
@click.argument("username")
@acting_person
@click.pass_obj
def enable(obj: Context, username: str, as_user: str) -> None:
    """Enable USERNAME again."""
    people.set_active(obj.uow(), obj.clock, obj.person(as_user), username, True)
    click.echo(f"{username} is enabled")


def _said(made) -> None:
    if made.mailed:
        click.echo(f"{made.username}: a link to set the password is mailed to {made.email} "
                   f"(valid until {made.expires_at:%d/%m/%Y %H:%M} UTC)")
    else:
        click.echo(f"{made.username}: no e-mail address; hand over this one-time link "
                   f"(valid until {made.expires_at:%d/%m/%Y %H:%M} UTC): {made.link}")


@users.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@importing_province
@acting_person
@click.pass_obj
def import_people(obj: Context, file: Path, province: str | None, as_user: str) -> None:
    """Invite everyone of a spreadsheet (.xlsx, or CSV in UTF-8), or no one when a row is wrong."""
    done = people_files.import_people(obj.uow(), obj.clock, obj.person(as_user), read_upload(file), file.name,
                                      obj.base_url, province.upper() if province else None)
    click.echo(f"{len(done.invitations)} people of {done.province} invited; {done.mailed} links mailed")
    for made in done.links:
        _said(made)


@users.command("export")
@exporting_province
@click.option("--format", "kind", default=None, type=click.Choice(["csv", "xlsx"]),
              help="By default the output's extension, else xlsx.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write.")
@acting_person
@click.pass_obj
def export_people(obj: Context, province: str | None, kind: str | None, output: Path, as_user: str) -> None:
    """Write the people of a province to a spreadsheet that imports back."""
    made = people_files.export_people(obj.uow(), obj.person(as_user), province.upper() if province else None,
                                      kind or format_of(output))
    output.write_bytes(made.content)
    click.echo(f"{output}: {made.filename}")


@users.command("list")
@click.pass_obj
def list_users(obj: Context) -> None:
    """Everyone who signs in: user name, roles, agency, name."""
    for view in user_service.list_users(obj.uow()):
        click.echo(f"{view.username}  {','.join(view.roles)}  {view.agency or '-'}  {view.display_name}")


@click.group("tokens")
def tokens() -> None:
    """Personal API tokens for scripts."""


@tokens.command("create")
@click.argument("username")
@click.option("--name", default="API token", help="What the token is for.")
@click.option("--days", default=user_service.TOKEN_DAYS, show_default=True, type=int,
              help=f"How many days it lasts (at most {user_service.TOKEN_MAX_DAYS}).")
@click.pass_obj
def create_token(obj: Context, username: str, name: str, days: int) -> None:
    """Create a token for USERNAME and print it (it is shown only once)."""
    click.echo(user_service.create_token(obj.uow(), obj.clock, SYSTEM, username, name, days))
