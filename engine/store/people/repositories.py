"""Queries of people: users, personal tokens, browser sessions, sign-in attempts and the devices people sign in
from."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from engine.store.base import Repository
from engine.store.people.tables import (
    ApiTokenRow,
    InvitationRow,
    SignInAttemptRow,
    SignInDeviceRow,
    SignInRow,
    SignInTurnRow,
    UserRow,
)
from engine.store.plans.tables import AgencyRow

#: What an actor is made of: the user's name, agency and roles, whether they may sign in, the agency's province
#: and (a national body's) reach.
ACTOR_COLUMNS = (UserRow.username, UserRow.agency, UserRow.roles, UserRow.active, AgencyRow.province,
                 AgencyRow.reach)


# The statements every signed-in request runs, built once: building a joined select costs more than running it.
_ACTOR_OF_USER = (select(*ACTOR_COLUMNS).outerjoin(AgencyRow, AgencyRow.code == UserRow.agency)
                  .where(UserRow.username == bindparam("username")))


_CREDENTIALS = (select(UserRow.password_hash, *ACTOR_COLUMNS).outerjoin(AgencyRow, AgencyRow.code == UserRow.agency)
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

    def credentials(self, username: str):
        """The user's password hash with ``ACTOR_COLUMNS``, in one statement, or None: what a sign-in checks."""
        return self.session.execute(_CREDENTIALS, {"username": username}).first()

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


    def of_provinces(self, provinces, search: str | None = None, limit: int = 200, offset: int = 0) -> list:
        """People (with their agency's province) of ``provinces`` (None: everyone; national people are of no
        province), by name; ``search`` matches the name, display name or e-mail."""
        query = select(UserRow, AgencyRow.province).outerjoin(AgencyRow, AgencyRow.code == UserRow.agency)
        if provinces is not None:
            query = query.where(AgencyRow.province.in_(sorted(provinces)))
        if search:
            like = f"%{search.lower()}%"
            query = query.where(func.lower(UserRow.username).like(like) | func.lower(UserRow.display_name).like(like)
                                | func.lower(UserRow.email).like(like))
        return list(self.session.execute(query.order_by(UserRow.username).limit(limit).offset(offset)))

    def usernames(self, names) -> set[str]:
        wanted = sorted(set(names))
        return set(self.session.scalars(select(UserRow.username).where(UserRow.username.in_(wanted)))) \
            if wanted else set()

    def with_emails(self, addresses) -> dict[str, str]:
        """The user each of ``addresses`` already belongs to, by the address in lower case (case aside)."""
        wanted = sorted({address.lower() for address in addresses})
        return {email.lower(): username for username, email in self.session.execute(
            select(UserRow.username, UserRow.email).where(func.lower(UserRow.email).in_(wanted)))} if wanted else {}

    def count_by_province(self) -> dict[str | None, int]:
        return dict(self.session.execute(select(AgencyRow.province, func.count(UserRow.id))
                                         .outerjoin(AgencyRow, AgencyRow.code == UserRow.agency)
                                         .group_by(AgencyRow.province)).all())

    def of_agency(self, code: str) -> list[UserRow]:
        return list(self.session.scalars(select(UserRow).where(UserRow.agency == code).order_by(UserRow.username)))


class Invitations(Repository):
    """One-time links to set a password."""

    def add(self, row: InvitationRow) -> InvitationRow:
        self.session.add(row)
        return row

    def by_hash(self, token_hash: str) -> InvitationRow | None:
        return self.session.scalars(select(InvitationRow).where(InvitationRow.token_hash == token_hash)).first()

    def close_open(self, user_id: int, at: datetime) -> None:
        """Every unused link of the user stops working (a new one was sent, or the password was set)."""
        self.session.execute(update(InvitationRow).where(InvitationRow.user_id == user_id,
                                                         InvitationRow.used_at.is_(None)).values(used_at=at))

    def pending_users(self, user_ids) -> set[int]:
        """Which of the users have an unused link and no password yet (invited, not yet arrived)."""
        wanted = sorted(set(user_ids))
        if not wanted:
            return set()
        return set(self.session.scalars(select(InvitationRow.user_id).where(
            InvitationRow.user_id.in_(wanted), InvitationRow.used_at.is_(None))))


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

    def take_turns(self, at: datetime, *keys: str) -> None:
        """Wait for each key's turn, in the order given, and hold it until the transaction ends: an upsert of the
        key's row, the transaction's first write. On PostgreSQL it locks that row (another try for the key waits
        here until this one commits or rolls back); on SQLite it takes the database's write lock before anything
        is read. Callers give the name before the address, always, so no two tries wait for each other."""
        insert = postgresql.insert if self.session.get_bind().dialect.name == "postgresql" else sqlite.insert
        for key in keys:
            self.session.execute(insert(SignInTurnRow).values(key=key, at=at)
                                 .on_conflict_do_update(index_elements=[SignInTurnRow.key], set_={"at": at}))

    def count_try(self, at: datetime, username: str, address: str, device_id: int | None) -> int:
        """Record a try before its password is checked, as ``pending`` (counted as a failure until settled); its id."""
        row = self.add(SignInAttemptRow(at=at, username=username, address=address, outcome="pending",
                                        device_id=device_id))
        self.session.flush()
        return row.id

    def settle_try(self, attempt_id: int, outcome: str) -> None:
        """Say how a counted try ended: ``succeeded`` or ``failed``."""
        self.session.execute(update(SignInAttemptRow).where(SignInAttemptRow.id == attempt_id)
                             .values(outcome=outcome))

    def forget_attempts_before(self, instant: datetime) -> None:
        """Forget attempts, and the turns of names and addresses not tried since, from before ``instant``."""
        self.session.execute(delete(SignInAttemptRow).where(SignInAttemptRow.at < instant))
        self.session.execute(delete(SignInTurnRow).where(SignInTurnRow.at < instant))

    def unsettled(self, since: datetime, limit: int, username: str | None = None, address: str | None = None,
                  device_id: int | None = None, since_success: bool = False) -> list[datetime]:
        """When the newest ``limit`` tries after ``since`` that did not succeed (failed, or pending) were, newest
        first, for one username, one address, a username from one address or from one device; with
        ``since_success``, only those after the last success of the same (username and address or device)."""
        who = [column == value for column, value in ((SignInAttemptRow.username, username),
                                                     (SignInAttemptRow.address, address),
                                                     (SignInAttemptRow.device_id, device_id)) if value is not None]
        where = [*who, SignInAttemptRow.outcome != "succeeded", SignInAttemptRow.at > since]
        if since_success:
            last = select(func.coalesce(func.max(SignInAttemptRow.id), 0)).where(
                *who, SignInAttemptRow.outcome == "succeeded", SignInAttemptRow.at > since).scalar_subquery()
            where.append(SignInAttemptRow.id > last)
        return list(self.session.scalars(select(SignInAttemptRow.at).where(*where)
                                         .order_by(SignInAttemptRow.at.desc()).limit(limit)))

    def known_device(self, username: str, token_hash: str, used_since: datetime) -> int | None:
        """The id of the device of ``token_hash`` if ``username`` signed in from it after ``used_since``."""
        return self.session.scalar(select(SignInDeviceRow.id).where(
            SignInDeviceRow.username == username, SignInDeviceRow.token_hash == token_hash,
            SignInDeviceRow.last_used_at > used_since))

    def remember_device(self, username: str, token_hash: str, at: datetime, keep: int) -> None:
        """Know a new device for ``username``, and only the ``keep`` of theirs used last (a script that signs in
        without keeping cookies makes a device each time)."""
        self.add(SignInDeviceRow(username=username, token_hash=token_hash, created_at=at, last_used_at=at))
        self.session.flush()
        newest = (select(SignInDeviceRow.id).where(SignInDeviceRow.username == username)
                  .order_by(SignInDeviceRow.last_used_at.desc(), SignInDeviceRow.id.desc()).limit(keep))
        self.session.execute(delete(SignInDeviceRow).where(SignInDeviceRow.username == username,
                                                           SignInDeviceRow.id.not_in(newest.scalar_subquery())))

    def device_used(self, device_id: int, at: datetime) -> None:
        self.session.execute(update(SignInDeviceRow).where(SignInDeviceRow.id == device_id).values(last_used_at=at))

    def forget_devices_unused_since(self, instant: datetime) -> None:
        """Forget devices last used at or before ``instant``: ``known_device`` knows them no more."""
        self.session.execute(delete(SignInDeviceRow).where(SignInDeviceRow.last_used_at <= instant))
