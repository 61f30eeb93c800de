"""The unit of work: one transaction per use case, committed once or not at all."""
from __future__ import annotations

from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from engine.errors import Conflict, Duplicate, Invalid, Unavailable
from engine.i18n import t
from engine.store.audit.log import Audit
from engine.store.notices.repositories import Notifications, Outbox, Reminders
from engine.store.people.repositories import Invitations, SignIns, Tokens, Users
from engine.store.plans.drafts import Drafts
from engine.store.plans.repositories import Agencies, Plans, Provinces, Templates
from engine.store.processes.repositories import (
    Definitions,
    Evidence,
    Extensions,
    Incidents,
    Instances,
    Tasks,
)
from engine.store.processes.worklists import Worklists


class NestedUnitOfWork(RuntimeError):
    """A unit of work entered while it is open: a mistake in the code, never the user's."""


class UnitOfWork:
    """``with uow:`` opens a session; leaving without ``commit()`` rolls back.

    The database's own errors leave it as the domain's: a row changed by
    another transaction meanwhile is a ``Conflict``, a unique key taken at the
    same moment a ``Duplicate``, a busy or unreachable database ``Unavailable``,
    a value the column cannot hold ``Invalid``.
    No service needs to know SQLAlchemy's exceptions.

    A unit of work is opened once at a time: entering it again while it is open
    (a use case calling another that opens it too) is refused with
    ``NestedUnitOfWork`` rather than starting a second transaction beside the
    first, whose changes the inner one could neither see nor commit with its own.
    A use case that needs another's work inside its transaction calls the part of
    it that takes an open unit of work.
    """

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self.session: Session | None = None

    def __enter__(self) -> "UnitOfWork":
        if self.session is not None:
            raise NestedUnitOfWork("this unit of work is open already: a use case inside another takes the open "
                                   "unit of work as it is, without 'with uow:'")
        self.session = self._sessions()
        self._committed = False
        self.definitions = Definitions(self.session)
        self.instances = Instances(self.session)
        self.tasks = Tasks(self.session)
        self.worklists = Worklists(self.session)
        self.notifications = Notifications(self.session)
        self.outbox = Outbox(self.session)
        self.reminders = Reminders(self.session)
        self.incidents = Incidents(self.session)
        self.audit = Audit(self.session)
        self.agencies = Agencies(self.session)
        self.provinces = Provinces(self.session)
        self.templates = Templates(self.session)
        self.drafts = Drafts(self.session)
        self.plans = Plans(self.session)
        self.users = Users(self.session)
        self.invitations = Invitations(self.session)
        self.tokens = Tokens(self.session)
        self.sign_ins = SignIns(self.session)
        self.evidence = Evidence(self.session)
        self.extensions = Extensions(self.session)
        self.memo: dict = {}  # values read once per transaction (who works an agency's tasks …)
        self._before_commit: list = []
        return self

    def before_commit(self, work) -> None:
        """Run ``work()`` once when this transaction commits, before its events are sealed: what many steps of
        one transaction add to (the notices of the tasks they opened) is written together, after their rows."""
        self._before_commit.append(work)

    def __exit__(self, exc_type, error, traceback) -> None:
        # Closing rolls back whatever was not committed. Rows read here stay readable
        # (detached, not expired); rows changed in a rolled-back block must not be used.
        self.audit.discard()
        self.session.close()
        self.session = None
        translated = domain_error(error)
        if translated is not None:
            raise translated from error

    def commit(self) -> None:
        """Commit, the audit events of the work chained onto the log first (``Audit.seal``)."""
        while self._before_commit:
            self._before_commit.pop(0)()
        try:
            self.audit.seal()
            self.session.commit()
        except (StaleDataError, IntegrityError, OperationalError, DataError) as error:
            self.session.rollback()
            self.audit.discard()
            raise domain_error(error) from error
        self._committed = True

    def flush(self) -> None:
        """Write what is pending (to get generated ids); a key taken meanwhile raises ``Duplicate`` here."""
        try:
            self.session.flush()
        except (StaleDataError, IntegrityError, OperationalError, DataError) as error:
            self.session.rollback()
            raise domain_error(error) from error

    def rollback(self) -> None:
        self.session.rollback()
        self.audit.discard()
        self._before_commit.clear()
        self.memo.clear()


def domain_error(error: BaseException | None) -> Exception | None:
    """The domain error a database error stands for, or None if it is none of the database's."""
    if isinstance(error, StaleDataError):
        return Conflict(t("this was changed by someone else at the same moment (a task completed, a timer fired); "
                          "reload and check before trying again"))
    if isinstance(error, IntegrityError):
        return Duplicate(t("this change collided with another made at the same moment and was not saved; reload "
                           "and try again"))
    if isinstance(error, OperationalError):
        return Unavailable(t("the database is busy or unreachable; try again shortly"))
    if isinstance(error, DataError):  # a number or text the column cannot hold, let through by a check
        return Invalid(t("a value is beyond what can be stored (a number too large, a text too long)"))
    return None
