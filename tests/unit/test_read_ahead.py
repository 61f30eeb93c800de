"""The audit verifier reads PostgreSQL's next batch in a thread while it checks one: nothing lost, nothing left."""
import threading

import pytest

from engine.store.audit.log import _ahead


def test_every_item_comes_in_order():
    assert list(_ahead(iter(range(1000)))) == list(range(1000))


def test_an_error_while_reading_is_raised_where_the_items_are_used():
    def failing():
        yield 1
        raise RuntimeError("the server went away")

    reading = _ahead(failing())
    assert next(reading) == 1
    with pytest.raises(RuntimeError, match="the server went away"):
        next(reading)


def test_stopping_early_stops_the_reading_thread():
    produced = []

    def endless():
        n = 0
        while True:
            produced.append(n)
            yield n
            n += 1

    before = {thread.ident for thread in threading.enumerate()}
    reading = _ahead(endless())
    assert [next(reading) for _ in range(3)] == [0, 1, 2]
    reading.close()
    assert not [thread for thread in threading.enumerate()
                if thread.ident not in before and thread.name == "audit-read-ahead"]
    assert len(produced) <= 6  # it read at most a little ahead, then stopped
