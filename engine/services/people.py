"""An administrator's people: listing those of their province, correcting a person's roles, agency, name and
e-mail, and disabling or enabling them; each change audited, each checked by the policy for the person's
province (and the new agency's). Inviting and password links are ``invitations``'."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from engine.errors import Invalid, NotFound
from engine.i18n import t
from engine.model import policy
from engine.model.actors import Actor
from engine.model.agencies import NATIONAL
from engine.model.clock import LOCAL_TZ
from engine.model.people import person_problems
from engine.services.invitations import NO_PASSWORD, Invitation, reset_password
from engine.store.people.tables import UserRow
from engine.store.uow import UnitOfWork

PER_PAGE = 50
PEOPLE = "people"


@dataclass(frozen=True)
class PersonView:
    """A person as their administrator sees them: never their password, only whether they have set one."""

    username: str
    display_name: str
    email: str | None
    roles: tuple[str, ...]
    agency: str | None
    agency_name: str | None
    province: str | None
    active: bool
    invited: bool  # no password set yet: they still have to open their link
    link_open: bool  # a link of theirs is unused (an invitation or a password reset)

    @property
    def state(self) -> str:
        return "disabled" if not self.active else "invited" if self.invited else "active"


@dataclass(frozen=True)
class PeoplePage:
    people: list[PersonView]
    page: int
    per_page: int
    has_next: bool


def list_people(uow: UnitOfWork, actor: Actor, province: str | None = None, search: str | None = None,
                page: int = 1, per_page: int = PER_PAGE) -> PeoplePage:
    """The people of the administrator's province (a national one's: everyone, or ``province``'s), by user
    name; ``search`` matches the user name, the name or the e-mail."""
    if province:
        policy.check_manages(actor, None if province == NATIONAL else province, t(PEOPLE))
    else:
        policy.check_manages(actor, actor.province, t(PEOPLE))
    wanted = [province] if province else (None if policy.scope(actor) is None else [actor.province])
    page, per_page = max(page, 1), max(min(per_page, 200), 1)
    with uow:
        found = uow.users.of_provinces(wanted, (search or "").strip() or None, per_page + 1, (page - 1) * per_page)
        rows = found[:per_page]
        views = _views(uow, [(user, where) for user, where in rows])
    return PeoplePage(views, page, per_page, len(found) > per_page)


def get_person(uow: UnitOfWork, actor: Actor, username: str) -> PersonView:
    """One person, for their administrators; nobody outside the actor's reach is there at all."""
    with uow:
        row, province = _found(uow, actor, username)
        policy.check_manages(actor, province, t(PEOPLE))
        return _views(uow, [(row, province)])[0]


def update_person(uow: UnitOfWork, clock, actor: Actor, username: str, display_name: str | None = None,
                  email: str | None = None, roles: list[str] | None = None, agency: str | None = None) -> PersonView:
    """Correct what is given (None: as it is; an empty e-mail or agency: none). The new agency must exist
    today and be one the administrator manages; an administrator keeps their own administrator role."""
    with uow:
        row, province = _found(uow, actor, username)
        policy.check_manages(actor, province, t(PEOPLE))
        wanted = {"display_name": row.display_name if display_name is None else display_name.strip() or row.username,
                  "email": row.email if email is None else email.strip() or None,
                  "roles": list(row.roles) if roles is None else list(dict.fromkeys(roles)),
                  "agency": row.agency if agency is None else agency.strip() or None}
        errors = person_problems(row.username, wanted["roles"], wanted["agency"], wanted["email"],
                                 wanted["display_name"])
        errors.pop("username", None)  # the name is not changed here
        if wanted["agency"] != row.agency and "agency" not in errors:
            errors.update(_agency_problems(uow, actor, wanted["agency"], _today(clock)))
        if actor.name == row.username and "admin" in row.roles and "admin" not in wanted["roles"]:
            errors["roles"] = [t("you cannot take away your own administrator role; another administrator can")]
        if errors:
            raise Invalid(t("user '%(username)s' cannot be changed: %(value)s", username=row.username,
                            value=next(iter(errors.values()))[0]), errors=errors)
        changes = {name: [_plain(getattr(row, name)), _plain(value)] for name, value in wanted.items()
                   if _plain(getattr(row, name)) != _plain(value)}
        if changes:
            for name, value in wanted.items():
                setattr(row, name, value)
            uow.audit.append(clock.now(), actor.name, "user.updated", data={"username": row.username,
                                                                             "changes": changes})
            uow.commit()
        return _views(uow, [(row, _province_of(uow, row.agency))])[0]


def set_active(uow: UnitOfWork, clock, actor: Actor, username: str, active: bool) -> PersonView:
    """Disable a person (they sign in no more: their sessions, tokens and links stop working) or enable them
    again. Nobody disables themself."""
    with uow:
        row, province = _found(uow, actor, username)
        policy.check_manages(actor, province, t(PEOPLE))
        if not active and row.username == actor.name:
            raise Invalid(t("you cannot disable yourself; another administrator can"),
                          errors={"username": [t("yourself")]})
        if row.active != active:
            row.active = active
            uow.audit.append(clock.now(), actor.name, "user.enabled" if active else "user.disabled",
                             data={"username": row.username})
            uow.commit()
        return _views(uow, [(row, province)])[0]


def send_password_link(uow: UnitOfWork, clock, actor: Actor, username: str, base_url: str) -> Invitation:
    """A new link for ``username`` to set their password (``invitations.reset_password``), for a person within
    the actor's reach: one of another province is not there at all (404), rather than refused (403)."""
    with uow:
        _found(uow, actor, username)
    return reset_password(uow, clock, actor, username, base_url)


def _found(uow: UnitOfWork, actor: Actor, username: str) -> tuple[UserRow, str | None]:
    """The user and their agency's province; NotFound for no such user and for one outside the actor's reach
    (the same answer, so that nobody learns who works in another province)."""
    row = uow.users.by_username(username) if username and len(username) <= 120 else None
    province = _province_of(uow, row.agency) if row is not None else None
    if row is None or not policy.in_scope(actor, province):
        raise NotFound(t("no user '%(username)s'", username=username))
    return row, province


def _agency_problems(uow: UnitOfWork, actor: Actor, code: str | None, today: date) -> dict[str, list]:
    if code is None:
        policy.check_manages(actor, None, t(PEOPLE))  # a person of no agency is a national one
        return {}
    found = uow.agencies.find(code)
    if found is None:
        return {"agency": [t("agency '%(agency)s' is not in the agency directory", agency=code)]}
    if (found.valid_from is not None and found.valid_from > today) or \
            (found.valid_until is not None and found.valid_until < today):
        return {"agency": [t("%(name)s does not exist today; people belong to a body of today's directory",
                             name=found.name)]}
    policy.check_manages(actor, None if found.province == NATIONAL else found.province, t(PEOPLE))
    return {}


def _views(uow: UnitOfWork, rows: list[tuple[UserRow, str | None]]) -> list[PersonView]:
    names = uow.agencies.names_of(user.agency for user, _ in rows if user.agency)
    open_links = uow.invitations.pending_users(user.id for user, _ in rows)
    return [PersonView(user.username, user.display_name, user.email, tuple(user.roles), user.agency,
                       names.get(user.agency) if user.agency else None, province, bool(user.active),
                       user.password_hash == NO_PASSWORD, user.id in open_links) for user, province in rows]


def _province_of(uow: UnitOfWork, agency: str | None) -> str | None:
    found = uow.agencies.find(agency) if agency else None
    return found.province if found is not None else None


def _plain(value):
    return list(value) if isinstance(value, (list, tuple)) else value


def _today(clock) -> date:
    return clock.now().astimezone(LOCAL_TZ).date()
