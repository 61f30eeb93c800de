"""Queries of people: users, personal tokens, browser sessions and sign-in attempts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, func, select, update

from engine.store.base import Repository
from engine.store.people.tables import ApiTokenRow, SignInAttemptRow, SignInRow, UserRow
from engine.store.plans.tables import AgencyRow

#: What an actor is made of: the user's name, agency and roles, whether they may sign in, the agency's province.
ACTOR_COLUMNS = (UserRow.username, UserRow.agency, UserRow.roles, UserRow.active, AgencyRow.province)


# The statements every signed-in request runs, built once: building a joined select costs more than running it.
_ACTOR_OF_USER = (select(*ACTOR_COLUMNS).outerjoin(AgencyRow, AgencyRow.code == UserRow.agency)
                  .where(UserRow.username == bindparam("username")))


_TOKEN_WITH_ACTOR = (select(ApiTokenRow.id, ApiTokenRow.revoked, ApiTokenRow.last_used_at, ApiTokenRow.expires_at,
                            *ACTOR_COLUMNS)
                     .join(UserRow, UserRow.id == ApiTokenRow.user_id)
                     .outerjoin(AgencyRow, AgencyRow.code == UserRow.agency)
                     .where(ApiTokenRow.token_hash == bindparam("token_hash")))


class Users(Repository):
    def actor_columns(self, username: str):
        """``ACTOR_COLUMNS`` of the user, in one statement (every signed-in request asks), or None."""
        return self.session.execute(_ACTOR_OF_USER, {"username": username}).first()

    def find(self, user_id: int) -> UserRow | None:
        return self.session.get(UserRow, user_id)

    def by_username(self, username: str) -> UserRow | None:
        return self.session.scalars(select(UserRow).where(UserRow.username == username)).first()

    def all(self) -> list[UserRow]:
        return list(self.session.scalars(select(UserRow).order_by(UserRow.username)))

    def people(self, agency: str | None, roles: set[str], province: str | None = None) -> list[UserRow]:
        """Active users with one of ``roles``: an agency's, or (with ``province``) those of a province's agencies."""
        query = select(UserRow).where(UserRow.active.is_(True))
        if agency is not None:
            query = query.where(UserRow.agency == agency)
        elif province is not None:
            query = query.join(AgencyRow, AgencyRow.code == UserRow.agency).where(AgencyRow.province == province)
        return [user for user in self.session.scalars(query.order_by(UserRow.username)) if set(user.roles) & roles]


class Tokens(Repository):
    def by_hash(self, token_hash: str) -> ApiTokenRow | None:
        return self.session.scalars(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash)).first()

    def with_actor(self, token_hash: str):
        """The token's id, revocation and last use with its user's ``ACTOR_COLUMNS``, in one statement, or None."""
        return self.session.execute(_TOKEN_WITH_ACTOR, {"token_hash": token_hash}).first()

    def of_user(self, username: str) -> list[ApiTokenRow]:
        return list(self.session.scalars(select(ApiTokenRow).join(UserRow, UserRow.id == ApiTokenRow.user_id)
                                         .where(UserRow.username == username)
                                         .order_by(ApiTokenRow.created_at.desc(), ApiTokenRow.id.desc())))

    def mark_used(self, token_id: int, at: datetime) -> None:
        self.session.execute(update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(last_used_at=at))


class SignIns(Repository):
    """Browser sessions (kept by the SHA-256 of their key) and the record of sign-in attempts."""

    def open_session(self, username: str, key_hash: str, started_at: datetime, expires_at: datetime,
                     address: str) -> None:
        user_id = self.session.scalar(select(UserRow.id).where(UserRow.username == username))
        self.add(SignInRow(key_hash=key_hash, user_id=user_id, started_at=started_at, expires_at=expires_at,
                           address=address))

    def session_with_actor(self, key_hash: str):
        """The session's ``ended_at`` and ``expires_at`` with ``ACTOR_COLUMNS`` of its user, or None."""
        return self.session.execute(
            select(SignInRow.ended_at, SignInRow.expires_at, *ACTOR_COLUMNS)
            .join(UserRow, UserRow.id == SignInRow.user_id).outerjoin(AgencyRow, AgencyRow.code == UserRow.agency)
            .where(SignInRow.key_hash == key_hash)).first()

    def end_session(self, key_hash: str, at: datetime) -> str | None:
        """End the open session of ``key_hash``; the name of its user, or None when there was none open."""
        ended = self.session.execute(update(SignInRow).where(SignInRow.key_hash == key_hash,
                                                             SignInRow.ended_at.is_(None)).values(ended_at=at))
        if not ended.rowcount:
            return None
        return self.session.scalar(select(UserRow.username).join(SignInRow, SignInRow.user_id == UserRow.id)
                                   .where(SignInRow.key_hash == key_hash))

    def record_attempt(self, at: datetime, username: str, address: str, outcome: str) -> None:
        self.add(SignInAttemptRow(at=at, username=username, address=address, outcome=outcome))

    def forget_attempts_before(self, instant: datetime) -> None:
        self.session.execute(delete(SignInAttemptRow).where(SignInAttemptRow.at < instant))

    def last_success(self, username: str, address: str, since: datetime) -> datetime | None:
        """When ``username`` last signed in from ``address`` after ``since``."""
        return self.session.scalar(select(func.max(SignInAttemptRow.at)).where(
            SignInAttemptRow.username == username, SignInAttemptRow.address == address,
            SignInAttemptRow.outcome == "succeeded", SignInAttemptRow.at > since))

    def failures(self, since: datetime, limit: int, username: str | None = None, address: str | None = None,
                 after: datetime | None = None) -> list[datetime]:
        """When the newest ``limit`` failed attempts after ``since`` (and ``after``) were, newest first, for
        one username, one address, or both."""
        where = [SignInAttemptRow.outcome == "failed", SignInAttemptRow.at > since]
        if username is not None:
            where.append(SignInAttemptRow.username == username)
        if address is not None:
            where.append(SignInAttemptRow.address == address)
        if after is not None:
            where.append(SignInAttemptRow.at > after)
        return list(self.session.scalars(select(SignInAttemptRow.at).where(*where)
                                         .order_by(SignInAttemptRow.at.desc()).limit(limit)))
