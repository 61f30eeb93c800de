"""The audit chain on PostgreSQL: writers at once never fork it, and the database refuses changes to it."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from engine.model.clock import FixedClock, parse_instant
from engine.services import audit
from engine.store import UnitOfWork

WRITERS, EACH = 6, 25


def test_writers_at_once_keep_one_gapless_chain_that_verifies(pg_database):
    clock = FixedClock(parse_instant("2022-06-01T08:00+07:00"))
    barrier, failures = threading.Barrier(WRITERS), []

    def write(number: int) -> None:
        barrier.wait()
        for index in range(EACH):
            try:
                uow = UnitOfWork(pg_database.sessions)
                with uow:
                    for event in range(3):  # several events in one transaction stay together, in order
                        uow.audit.append(clock.now(), f"writer-{number}", "test.event",
                                         data={"index": index, "event": event, "text": "Công an tỉnh"})
                    uow.commit()
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                failures.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    assert failures == []
    result = audit.verify(UnitOfWork(pg_database.sessions), None)
    assert result.ok, result.first_break
    assert result.events == result.head_seq == WRITERS * EACH * 3
    with pg_database.engine.connect() as connection:
        rows = connection.execute(text("select actor, data from audit_log order by seq")).all()
    for first in range(0, len(rows), 3):  # each transaction's three events are consecutive
        group = rows[first:first + 3]
        assert len({actor for actor, _ in group}) == 1 and [data["event"] for _, data in group] == [0, 1, 2]


@pytest.mark.parametrize("statement", ["update audit_log set actor = 'x'", "delete from audit_log",
                                       "truncate audit_log"])
def test_postgresql_refuses_to_change_or_remove_audit_events(pg_database, statement):
    uow = UnitOfWork(pg_database.sessions)
    with uow:
        uow.audit.append(parse_instant("2022-06-01T08:00+07:00"), "system", "test.event")
        uow.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        with pg_database.engine.begin() as connection:
            connection.execute(text(statement))
    assert audit.verify(UnitOfWork(pg_database.sessions), None).ok
