"""The verifier reads events as stored and re-hashes them quickly; whatever the quick reading cannot
reproduce exactly (numbers beyond 64 bits, an instant stored in another form) is decided by the ORM's
reading and the standard library, so the answer is the canonical line's."""
from sqlalchemy import text

from engine.services import audit

from ..databases import bypass_append_only


def write(uow, clock, data):
    with uow:
        uow.audit.append(clock.now(), "system", "test.event", data=data)
        uow.commit()


def test_events_with_values_the_quick_reading_would_change_still_verify(uow, clock):
    for data in ({"count": 2 ** 70}, {"ratio": 1e16, "small": 5e-324, "huge": 1.7e308}, {"text": "\x00\x1f é\u2028"},
                 {"nested": {"b": [1, {"z": None, "a": True}], "a": "x"}}, {}):
        write(uow, clock, data)
    result = audit.verify(uow, None)
    assert result.ok and result.events == 5, result.first_break


def test_a_number_changed_beyond_64_bits_is_still_found(uow, clock, database):
    write(uow, clock, {"count": 2 ** 70})
    write(uow, clock, {"count": 1})
    with database.engine.begin() as connection:
        bypass_append_only(connection)
        connection.execute(text("UPDATE audit_log SET data = :data WHERE seq = 1"),
                           {"data": '{"count": 1180591620717411303425}'})  # 2 ** 70 + 1
    result = audit.verify(uow, None)
    assert not result.ok and result.first_break.seq == 1


def test_an_event_stamped_earlier_than_the_one_before_it_breaks_the_chain_at_that_event(uow, clock):
    write(uow, clock, {"n": 1})
    clock.advance(days=1)
    write(uow, clock, {"n": 2})
    clock.advance(days=-2)  # back-dated: a day before the first
    write(uow, clock, {"n": 3})
    result = audit.verify(uow, None)
    assert not result.ok and result.first_break.seq == 3
    assert "event 3 (test.event) is stamped 2022-05-31T01:00:00.000000Z, earlier than event 2 " \
           "(2022-06-02T01:00:00.000000Z) before it: time runs backwards" in result.first_break.reason


def test_two_steps_committing_in_the_other_order_than_they_read_the_clock_still_verify(uow, clock):
    write(uow, clock, {"n": 1})
    clock.advance(seconds=-40)  # stamped 40 s earlier, committed later (a 30 s wait for SQLite's write lock)
    write(uow, clock, {"n": 2})
    result = audit.verify(uow, None)
    assert result.ok, result.first_break
