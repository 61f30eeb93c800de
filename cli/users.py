"""``planflow users`` and ``planflow tokens``: people who sign in, and their personal API tokens."""
from __future__ import annotations

import click

from cli.context import Context
from engine.model.actors import ROLES, SYSTEM
from engine.services import invitations
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


def _said(made) -> None:
    if made.mailed:
        click.echo(f"{made.username}: a link to set the password is mailed to {made.email} "
                   f"(valid until {made.expires_at:%d/%m/%Y %H:%M} UTC)")
    else:
        click.echo(f"{made.username}: no e-mail address; hand over this one-time link "
                   f"(valid until {made.expires_at:%d/%m/%Y %H:%M} UTC): {made.link}")


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
