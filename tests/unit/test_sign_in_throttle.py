"""The throttle on guessing passwords, as the use case does it on SQLite: a try is counted before its password
is checked, in the transaction that lets it through; tries sent at once wait their turn; a browser known for a
name is not stopped by strangers' guesses at it, only by its own."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from engine.errors import TooManyAttempts
from engine.model.actors import SYSTEM
from engine.services import sign_in, users
from engine.store.people.tables import SignInAttemptRow, SignInDeviceRow, SignInTurnRow
from tests.guesses import counting_password_checks, wrong_passwords_at_once

PASSWORD = "mật-khẩu-đúng-2022"
HOME, ELSEWHERE = "203.0.113.7", "198.51.100.20"


@pytest.fixture
def owner(uow, clock):
    users.add_user(uow, clock, SYSTEM, "congan", PASSWORD, ["coordinator"])
    return "congan"


def outcomes(uow) -> list[str]:
    with uow:
        return list(uow.session.scalars(select(SignInAttemptRow.outcome).order_by(SignInAttemptRow.id)))


def count(uow, table) -> int:
    with uow:
        return uow.session.scalar(select(func.count()).select_from(table))


def strangers_lock_the_name(uow, clock, username: str = "congan") -> None:
    """``PER_ACCOUNT`` wrong guesses at the name, each from another address: the name is locked for strangers."""
    for n in range(sign_in.PER_ACCOUNT):
        assert sign_in.sign_in(uow, clock, username, "đoán", f"192.0.2.{n}") is None
    with pytest.raises(TooManyAttempts):
        sign_in.sign_in(uow, clock, username, PASSWORD, "192.0.2.250")


def test_twenty_four_wrong_passwords_at_once_on_sqlite_check_at_most_the_limit(database, uow, clock, owner,
                                                                                monkeypatch):
    checked = counting_password_checks(monkeypatch)
    start = clock.now()
    for round_ in range(3):
        clock.set(start + round_ * (sign_in.WINDOW + timedelta(seconds=1)))
        checked.clear()
        said = wrong_passwords_at_once(database, clock, 24)
        assert len(checked) <= sign_in.PER_ACCOUNT_AND_ADDRESS
        assert said == {"wrong": len(checked), "refused": 24 - len(checked)}


def test_a_try_is_recorded_as_pending_before_its_password_is_checked(uow, clock, owner, monkeypatch):
    seen_while_checking = []
    check = users.check_password

    def look_then_check(stored, password):
        seen_while_checking.append(outcomes(uow))  # the unit of work is closed while the password is checked
        return check(stored, password)

    monkeypatch.setattr(users, "check_password", look_then_check)
    sign_in.sign_in(uow, clock, "congan", "đoán", HOME)
    assert seen_while_checking == [["pending"]]
    assert outcomes(uow) == ["failed"]


def test_every_try_let_through_ends_failed_or_succeeded_and_refused_ones_are_not_kept(uow, clock, owner,
                                                                                     monkeypatch):
    monkeypatch.setattr(sign_in, "PER_ADDRESS", 3)
    assert sign_in.sign_in(uow, clock, "congan", "đoán", HOME) is None
    assert sign_in.sign_in(uow, clock, "congan", PASSWORD, HOME).actor.name == "congan"
    assert sign_in.sign_in(uow, clock, "congan", "đoán", HOME) is None
    assert sign_in.sign_in(uow, clock, "congan", "đoán", HOME) is None
    turns = count(uow, SignInTurnRow)
    with pytest.raises(TooManyAttempts):
        sign_in.sign_in(uow, clock, "người-khác", PASSWORD, HOME)  # a new name from the address: refused
    assert outcomes(uow) == ["failed", "succeeded", "failed", "failed"]
    assert count(uow, SignInTurnRow) == turns  # not even its turn is written


def test_a_sign_in_right_or_wrong_takes_two_transactions(database, uow, clock, owner):
    begun = []

    def began(*_):
        begun.append(1)

    event.listen(database.sessions, "after_begin", began)
    try:
        assert sign_in.sign_in(uow, clock, "congan", "đoán", HOME) is None
        assert len(begun) == 2
        assert sign_in.sign_in(uow, clock, "congan", PASSWORD, HOME) is not None
        assert len(begun) == 4
    finally:
        event.remove(database.sessions, "after_begin", began)


def test_the_owner_s_usual_browser_signs_in_while_strangers_guesses_lock_the_name(uow, clock, owner, monkeypatch):
    monkeypatch.setattr(sign_in, "PER_ACCOUNT", 4)
    device = sign_in.sign_in(uow, clock, "congan", PASSWORD, HOME).device_token
    strangers_lock_the_name(uow, clock)
    again = sign_in.sign_in(uow, clock, "congan", PASSWORD, HOME, device)
    assert again.actor.name == "congan"
    assert again.device_token == device  # the same browser keeps its token
    assert sign_in.sign_in(uow, clock, "congan", PASSWORD, ELSEWHERE, device) is not None  # travelling, too


def test_a_browser_known_for_the_name_still_gets_only_its_own_limit_of_guesses(uow, clock, owner):
    device = sign_in.sign_in(uow, clock, "congan", PASSWORD, HOME).device_token
    for n in range(sign_in.PER_ACCOUNT_AND_DEVICE):
        assert sign_in.sign_in(uow, clock, "congan", "đoán", f"192.0.2.{n}", device) is None
    with pytest.raises(TooManyAttempts):
        sign_in.sign_in(uow, clock, "congan", PASSWORD, "192.0.2.250", device)
    clock.set(clock.now() + sign_in.WINDOW)
    assert sign_in.sign_in(uow, clock, "congan", PASSWORD, HOME, device) is not None


def test_a_browser_known_for_another_name_or_an_invented_token_does_not_pass_the_lock(uow, clock, owner,
                                                                                     monkeypatch):
    monkeypatch.setattr(sign_in, "PER_ACCOUNT", 4)
    users.add_user(uow, clock, SYSTEM, "dieuphoi", PASSWORD, ["coordinator"])
    theirs = sign_in.sign_in(uow, clock, "dieuphoi", PASSWORD, HOME).device_token
    strangers_lock_the_name(uow, clock)
    for device in (theirs, "x" * 43):
        with pytest.raises(TooManyAttempts):
            sign_in.sign_in(uow, clock, "congan", PASSWORD, HOME, device)


def test_a_browser_unused_for_its_days_is_forgotten(uow, clock, owner, monkeypatch):
    monkeypatch.setattr(sign_in, "PER_ACCOUNT", 4)
    device = sign_in.sign_in(uow, clock, "congan", PASSWORD, HOME).device_token
    clock.set(clock.now() + timedelta(days=sign_in.DEVICE_DAYS))
    strangers_lock_the_name(uow, clock)
    with pytest.raises(TooManyAttempts):
        sign_in.sign_in(uow, clock, "congan", PASSWORD, HOME, device)
    assert count(uow, SignInDeviceRow) == 0


def test_only_the_hash_of_a_device_token_is_stored(uow, clock, owner):
    device = sign_in.sign_in(uow, clock, "congan", PASSWORD, HOME).device_token
    with uow:
        stored = uow.session.scalars(select(SignInDeviceRow.token_hash)).all()
    assert len(device) >= 43 and stored == [hashlib.sha256(device.encode()).hexdigest()]


def test_a_person_s_browsers_used_last_are_kept_and_no_more(uow, clock, owner, monkeypatch):
    monkeypatch.setattr(sign_in, "DEVICES_KEPT", 2)
    first, second, third = (sign_in.sign_in(uow, clock, "congan", PASSWORD, HOME).device_token for _ in range(3))
    assert sign_in.sign_in(uow, clock, "congan", PASSWORD, HOME, second).device_token == second
    assert sign_in.sign_in(uow, clock, "congan", PASSWORD, HOME, third).device_token == third
    assert sign_in.sign_in(uow, clock, "congan", PASSWORD, HOME, first).device_token != first  # forgotten
    assert count(uow, SignInDeviceRow) == 2


def test_a_try_takes_the_turns_of_its_name_and_address_before_it_reads_anything(database, uow, clock, owner):
    seen: list[str] = []

    def record(connection, cursor, statement, *_):
        seen.append(" ".join(statement.split()[:3]))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        sign_in.sign_in(uow, clock, "congan", "đoán", HOME)
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    assert seen[:2] == ["INSERT INTO sign_in_turns"] * 2  # on SQLite the first write takes the write lock
