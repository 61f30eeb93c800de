"""Wrong passwords sent at once for one name on the real PostgreSQL server: each try is counted before its
password is checked, one after another, so no more than the limit of them reach a password check."""
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from engine.model.actors import SYSTEM
from engine.services import sign_in, users
from engine.store.audit.tables import AuditRow
from tests.guesses import counting_password_checks, wrong_passwords_at_once


def test_twenty_four_wrong_passwords_at_once_check_at_most_the_limit_and_refuse_the_rest(pg_database, pg_uow,
                                                                                           clock, monkeypatch):
    users.add_user(pg_uow, clock, SYSTEM, "congan", "mật-khẩu-đúng-2022", ["coordinator"])
    checked = counting_password_checks(monkeypatch)
    start = clock.now()
    for round_ in range(4):  # a lucky interleaving must not pass four rounds, each after the last one's lock
        clock.set(start + round_ * (sign_in.WINDOW + timedelta(seconds=1)))
        checked.clear()
        outcomes = wrong_passwords_at_once(pg_database, clock, 24)
        assert len(checked) <= sign_in.PER_ACCOUNT_AND_ADDRESS
        assert outcomes == {"wrong": len(checked), "refused": 24 - len(checked)}


def test_guesses_sent_at_once_are_audited_as_one_after_another(pg_database, pg_uow, clock):
    users.add_user(pg_uow, clock, SYSTEM, "congan", "mật-khẩu-đúng-2022", ["coordinator"])
    wrong_passwords_at_once(pg_database, clock, 12)
    with pg_uow:
        actions = Counter(pg_uow.session.scalars(select(AuditRow.action).where(AuditRow.action.like("auth.%"))))
    assert actions == {"auth.sign_in_failed": sign_in.PER_ACCOUNT_AND_ADDRESS, "auth.locked": 1}
