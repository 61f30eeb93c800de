"""People are invited, never given a password: a one-time link, mailed through the outbox, lets them set
their own; an administrator who resets a password sends a new link the same way.

A link carries a random token; only its SHA-256 is stored. It works once, until it expires, and sending a
new one closes the old. Nobody else ever sees a password, in a terminal or anywhere.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from engine.errors import Conflict, Invalid, NotFound
from engine.i18n import in_language, t
from engine.model import policy
from engine.model.actors import Actor
from engine.model.passwords import hash_password
from engine.model.people import password_problem, person_problems
from engine.store.notices.tables import OutboxMailRow
from engine.store.people.tables import InvitationRow, UserRow
from engine.store.uow import UnitOfWork

INVITE_DAYS = 14
RESET_HOURS = 24
#: What a person's password is until they set one: no password opens it.
NO_PASSWORD = "!invited"
PATH = "/invitations/"


@dataclass(frozen=True)
class Invitation:
    """A link sent (or to hand over, where the person has no e-mail address): shown to whoever sent it once."""

    username: str
    display_name: str
    email: str | None
    link: str
    expires_at: datetime
    purpose: str  # "invite" or "reset"
    mailed: bool


@dataclass(frozen=True)
class LinkView:
    """What the page of a link shows before the password is set."""

    username: str
    display_name: str
    purpose: str
    expires_at: datetime


@dataclass(frozen=True)
class Person:
    """A person to invite: as an administrator, a page form or a spreadsheet row gives them."""

    username: str
    roles: tuple[str, ...]
    agency: str | None = None
    display_name: str | None = None
    email: str | None = None


def invite(uow: UnitOfWork, clock, actor: Actor, person: Person, base_url: str) -> Invitation:
    """Add ``person`` without a password and send them a link to set one; administrators of the agency's
    province (national ones for people of no agency) invite."""
    with uow:
        province = _province_of(uow, person.agency)
        policy.check_manages(actor, province, t("people"))
        made = invite_in(uow, clock, actor, person, base_url)
        uow.commit()
        return made


def check_person(uow: UnitOfWork, person: Person) -> dict[str, list]:
    """Inside an open unit of work: each problem of ``person``'s fields, by field, the directory's and the
    names' taken included (what a spreadsheet's row is refused for)."""
    errors = person_problems(person.username, list(person.roles), person.agency, person.email,
                             person.display_name)
    if person.agency and "agency" not in errors:
        found = uow.agencies.find(person.agency)
        if found is None:
            errors["agency"] = [t("agency '%(agency)s' is not in the agency directory", agency=person.agency)]
        elif found.valid_until is not None:
            errors["agency"] = [t("%(name)s ceased on %(until)s; people belong to the body that took over its duties",
                                  name=found.name, until=found.valid_until.isoformat())]
    if "username" not in errors and uow.users.by_username(person.username) is not None:
        errors["username"] = [t("user '%(username)s' exists already", username=person.username)]
    return errors


def invite_in(uow: UnitOfWork, clock, actor: Actor, person: Person, base_url: str) -> Invitation:
    """Inside an open unit of work (a province brought on board, a spreadsheet imported): the person added and
    the link queued; refused (``Invalid``, ``Conflict``) as a whole when a field is wrong."""
    errors = check_person(uow, person)
    if errors:
        taken = errors.get("username", [""])[0] == t("user '%(username)s' exists already", username=person.username)
        if taken and len(errors) == 1:
            raise Conflict(errors["username"][0])
        raise Invalid(t("user '%(username)s' cannot be added: %(value)s", username=person.username,
                        value=next(iter(errors.values()))[0]), errors=errors)
    now = clock.now()
    row = uow.users.add(UserRow(username=person.username, display_name=person.display_name or person.username,
                                password_hash=NO_PASSWORD, agency=person.agency, roles=list(person.roles),
                                active=True, created_at=now, email=person.email))
    uow.flush()
    uow.audit.append(now, actor.name, "user.invited", data={
        "username": person.username, "roles": list(person.roles), "agency": person.agency})
    return _link(uow, now, actor, row, "invite", base_url)


def reset_password(uow: UnitOfWork, clock, actor: Actor, username: str, base_url: str) -> Invitation:
    """Send ``username`` a link to set a new password (the old one keeps working until they do)."""
    with uow:
        row = uow.users.by_username(username)
        province = _province_of(uow, row.agency) if row is not None else None
        if row is None or policy.scope(actor) is not None and not policy.in_scope(actor, province):
            raise NotFound(t("no user '%(username)s'", username=username))  # another province's: as if absent
        policy.check_manages(actor, province, t("people"))
        if not row.active:
            raise Invalid(t("user '%(username)s' is disabled; enable them first", username=username),
                          errors={"username": [t("disabled")]})
        now = clock.now()
        made = _link(uow, now, actor, row, "reset" if row.password_hash != NO_PASSWORD else "invite", base_url)
        uow.audit.append(now, actor.name, "user.password_reset_sent", data={"username": username})
        uow.commit()
        return made


def _link(uow: UnitOfWork, now: datetime, actor: Actor, row: UserRow, purpose: str, base_url: str) -> Invitation:
    uow.invitations.close_open(row.id, now)
    token = secrets.token_urlsafe(32)
    expires = now + (timedelta(days=INVITE_DAYS) if purpose == "invite" else timedelta(hours=RESET_HOURS))
    uow.invitations.add(InvitationRow(user_id=row.id, token_hash=_hash(token), purpose=purpose,
                                      created_by=actor.name, created_at=now, expires_at=expires))
    link = base_url.rstrip("/") + PATH + token
    if row.email:
        uow.outbox.add(OutboxMailRow(to_address=row.email, subject=_subject(purpose), body=_body(row, purpose, link,
                                                                                                 expires),
                                     status="pending", created_at=now, next_attempt_at=now, attempts=0))
    return Invitation(row.username, row.display_name, row.email, link, expires, purpose, bool(row.email))


def _subject(purpose: str) -> str:
    words = t("you are invited to planflow") if purpose == "invite" else t("set a new password for planflow")
    return "[planflow] " + in_language(words)


def _body(row: UserRow, purpose: str, link: str, expires: datetime) -> str:
    lines = [in_language(t("Hello %(name)s,", name=row.display_name)), "",
             in_language(t("Your user name is %(username)s. Open this link to set your password (it works once, "
                           "until %(until)s):", username=row.username, until=f"{expires:%H:%M %d/%m/%Y} UTC"))
             if purpose == "invite" else
             in_language(t("A new password was asked for your user %(username)s. Open this link to set it (it "
                           "works once, until %(until)s); until then your old password still works:",
                           username=row.username, until=f"{expires:%H:%M %d/%m/%Y} UTC")),
             "", link, "",
             in_language(t("This message was sent by planflow; do not reply to it."))]
    return "\n".join(lines) + "\n"


def open_link(uow: UnitOfWork, clock, token: str) -> LinkView:
    """What a link is for, if it still works; NotFound otherwise (used, expired, replaced or never made)."""
    with uow:
        row, user = _usable(uow, clock.now(), token)
        return LinkView(user.username, user.display_name, row.purpose, row.expires_at)


def set_password(uow: UnitOfWork, clock, token: str, password: str) -> str:
    """Set the password of the link's person, once; their user name."""
    problem = password_problem(password or "")
    if problem:
        raise Invalid(t("the password cannot be used: %(problem)s", problem=problem), errors={"password": [problem]})
    hashed = hash_password(password)  # the slow part, outside the transaction
    with uow:
        now = clock.now()
        row, user = _usable(uow, now, token)
        user.password_hash = hashed
        uow.invitations.close_open(user.id, now)
        uow.audit.append(now, user.username, "user.password_set", data={"username": user.username,
                                                                       "by": row.purpose})
        uow.commit()
        return user.username


def _usable(uow: UnitOfWork, now: datetime, token: str) -> tuple[InvitationRow, UserRow]:
    row = uow.invitations.by_hash(_hash(token)) if token and len(token) < 200 else None
    user = uow.users.find(row.user_id) if row is not None else None
    if row is None or row.used_at is not None or row.expires_at <= now or user is None or not user.active:
        raise NotFound(t("this link does not work: it was used, it expired, or a newer one was sent; ask your "
                         "administrator for a new one"))
    return row, user


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _province_of(uow: UnitOfWork, agency: str | None) -> str | None:
    if agency is None:
        return None
    found = uow.agencies.find(agency)
    return found.province if found is not None else None
