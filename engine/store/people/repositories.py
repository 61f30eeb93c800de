"""Queries of people: users, personal tokens."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select, update

from engine.store.base import Repository
from engine.store.people.tables import ApiTokenRow, UserRow
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
