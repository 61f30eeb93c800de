"""Wrong passwords sent at once: what the sign-in race tests on SQLite and on PostgreSQL share."""
from __future__ import annotations

import threading
from collections import Counter

from engine.errors import TooManyAttempts
from engine.services import sign_in, users
from engine.store import UnitOfWork


def counting_password_checks(monkeypatch) -> list[str]:
    """Every password the sign-in checks from now on, in a list (``list.append`` is safe across threads)."""
    checked: list[str] = []
    check = users.check_password

    def counted(stored: str, password: str) -> bool:
        checked.append(password)
        return check(stored, password)

    monkeypatch.setattr(users, "check_password", counted)
    return checked


def wrong_passwords_at_once(database, clock, tries: int, username: str = "congan",
                            address: str = "203.0.113.7") -> Counter:
    """``tries`` threads, each with its own unit of work, sending a wrong password for one name from one address
    at the same moment; how many ended how ("wrong", "refused", or the name of any other error)."""
    start = threading.Barrier(tries, timeout=30)
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def guess(n: int) -> None:
        start.wait()
        try:
            result = sign_in.sign_in(UnitOfWork(database.sessions), clock, username, f"đoán-sai-{n}", address)
            outcome = "wrong" if result is None else "signed in"
        except TooManyAttempts:
            outcome = "refused"
        except Exception as error:  # noqa: BLE001 - any other ending is the finding
            outcome = type(error).__name__
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(tries)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    return outcomes
