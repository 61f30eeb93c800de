"""People who use planflow: adding them, listing them, checking a password."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from engine.directory.provinces import predecessor_codes
from engine.errors import Conflict, Invalid, NotFound
from engine.i18n import t
from engine.model import policy
from engine.model.actors import Actor
from engine.model.passwords import check_password, hash_password
from engine.model.people import password_problem, person_problems
from engine.store.people.tables import ApiTokenRow, UserRow
from engine.store.uow import UnitOfWork

TOKEN_PREFIX = "pf_"


@dataclass(frozen=True)
class UserView:
    username: str
    display_name: str
    agency: str | None
    roles: tuple[str, ...]


def add_user(uow: UnitOfWork, clock, actor: Actor, username: str, password: str, roles: list[str],
             agency: str | None = None, display_name: str | None = None, email: str | None = None) -> UserView:
    errors = person_problems(username, roles, agency, email, display_name)
    if password_problem(password):
        errors["password"] = [password_problem(password)]
    if errors:
        raise Invalid(t("user '%(username)s' cannot be added: %(value)s",
                        username=username, value=next(iter(errors.values()))[0]), errors=errors)
    with uow:
        if agency and uow.agencies.find(agency) is None:
            raise Invalid(t("agency '%(agency)s' is not in the agency directory", agency=agency),
                          errors={"agency": [t("unknown agency")]})
        if uow.users.by_username(username) is not None:
            raise Conflict(t("user '%(username)s' exists already", username=username))
        row = uow.users.add(UserRow(username=username, display_name=display_name or username,
                                    password_hash=hash_password(password), agency=agency, roles=list(roles),
                                    active=True, created_at=clock.now(), email=email))
        uow.audit.append(clock.now(), actor.name, "user.added",
                         data={"username": username, "roles": roles, "agency": agency})
        uow.commit()
        return _view(row)


def authenticate(uow: UnitOfWork, username: str, password: str) -> Actor | None:
    """The actor for a correct username and password, else None (the same for both mistakes)."""
    with uow:
        credentials = uow.users.credentials(username)
    return check_credentials(credentials, password)


def check_credentials(credentials, password: str) -> Actor | None:
    """The actor whose ``credentials`` (a row of ``Users.credentials``, or None for no such user) ``password``
    opens, else None. The slow scrypt check: call it outside any transaction, so that nothing waits on it."""
    if credentials is None or not credentials.active or not credentials.password_hash.startswith("scrypt$"):
        check_password(_dummy_hash(), password)  # same cost whether or not the user exists (or has a password)
        return None
    if not check_password(credentials.password_hash, password):
        return None
    return actor_of_columns(credentials)


def person(uow: UnitOfWork, username: str) -> Actor:
    """The active user ``username`` as an actor (their roles, agency and province): whom a command acts as."""
    with uow:
        actor = actor_of_columns(uow.users.actor_columns(username))
    if actor is None:
        raise Invalid(t("no active user '%(username)s'", username=username), errors={"as": [t("unknown user")]})
    return actor


def actor_of_columns(columns) -> Actor | None:
    """The actor of a row of ``ACTOR_COLUMNS``; None for no row or a disabled user."""
    if columns is None or not columns.active:
        return None
    province = columns.province
    before = predecessor_codes()
    reached = (province, *(columns.reach or ()))  # its own and a national body's; with their history each
    reach = frozenset(columns.reach or ()) | frozenset(code for each in reached for code in before.get(each, ()))
    return Actor(columns.username, agency=columns.agency, roles=frozenset(columns.roles), province=province,
                 reach=reach)


#: How long a personal token lasts unless its maker says otherwise, and at most.
TOKEN_DAYS, TOKEN_MAX_DAYS = 90, 365


@dataclass(frozen=True)
class TokenView:
    """A personal token as its owner sees it afterwards: never the token itself."""

    id: int
    name: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked: bool


def create_token(uow: UnitOfWork, clock, actor: Actor, username: str, name: str = "API token",
                 days: int = TOKEN_DAYS) -> str:
    """A new personal API token for ``username``, valid ``days`` days; returned once, stored only as its hash."""
    return issue_token(uow, clock, actor, username, name, days)[0]


def issue_token(uow: UnitOfWork, clock, actor: Actor, username: str, name: str = "API token",
                days: int = TOKEN_DAYS) -> tuple[str, TokenView]:
    """``create_token``, with how the new token is listed from now on."""
    policy.check_issues_token(actor, username)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= TOKEN_MAX_DAYS:
        raise Invalid(t("a token lasts from 1 to %(most)s days", most=TOKEN_MAX_DAYS),
                      errors={"days": [t("a whole number from 1 to %(days)s", days=TOKEN_MAX_DAYS)]})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    with uow:
        row = uow.users.by_username(username)
        if row is None or not row.active:
            raise Invalid(t("no active user '%(username)s'", username=username),
                          errors={"username": [t("unknown user")]})
        expires = now + timedelta(days=days)
        made = uow.tokens.add(ApiTokenRow(user_id=row.id, token_hash=_token_hash(token), name=name[:200],
                                          created_at=now, revoked=False, expires_at=expires))
        uow.audit.append(now, actor.name, "token.created", data={"username": username, "name": name,
                                                                 "expires_at": expires.isoformat()})
        uow.commit()
        return token, _token_view(made)


def _token_view(row: ApiTokenRow) -> TokenView:
    return TokenView(row.id, row.name, row.created_at, row.expires_at, row.last_used_at, row.revoked)


def list_tokens(uow: UnitOfWork, actor: Actor) -> list[TokenView]:
    """The actor's own tokens, newest first (what each is called, when it ends, when it was used)."""
    with uow:
        return [_token_view(row) for row in uow.tokens.of_user(actor.name)]


def revoke_token(uow: UnitOfWork, clock, actor: Actor, token_id: int) -> TokenView:
    """Revoke one of the actor's own tokens: it signs nobody in from now on."""
    with uow:
        row = next((row for row in uow.tokens.of_user(actor.name) if row.id == token_id), None)
        if row is None:
            raise NotFound(t("you have no token %(id)s", id=token_id))
        if not row.revoked:
            row.revoked = True
            uow.audit.append(clock.now(), actor.name, "token.revoked", data={"token": row.id, "name": row.name})
            uow.commit()
        return _token_view(row)


#: How exactly a token's last use is kept: to the minute, so that a script's burst of reads writes nothing.
LAST_USED_PRECISION = timedelta(minutes=1)


def actor_for_token(uow: UnitOfWork, clock, token: str) -> Actor | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    with uow:
        row = uow.tokens.with_actor(_token_hash(token))  # one statement: every request with a token asks
        now = clock.now()
        if row is None or row.revoked or (row.expires_at is not None and row.expires_at <= now):
            return None
        actor = actor_of_columns(row)
        if actor is None:
            return None
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
            uow.tokens.mark_used(row.id, now)  # a write at most once a minute per token, not one per request
            uow.commit()
        return actor


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def list_users(uow: UnitOfWork) -> list[UserView]:
    with uow:
        return [_view(row) for row in uow.users.all()]


def _view(row: UserRow) -> UserView:
    return UserView(row.username, row.display_name, row.agency, tuple(row.roles))


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("not a real password")


def record_refusal(uow: UnitOfWork, clock, actor: Actor, method: str, path: str, endpoint: str | None,
                   reason: str) -> None:
    """A change someone tried and was refused (an auditor's write, another agency's task) in the audit log."""
    with uow:
        uow.audit.append(clock.now(), actor.name, "access.refused",
                         data={"method": method, "path": path[:500], "endpoint": endpoint, "reason": str(reason)[:500],
                               "roles": sorted(actor.roles)})
        uow.commit()
