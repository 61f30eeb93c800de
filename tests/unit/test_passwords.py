"""Passwords are kept as scrypt hashes at the production cost; a hash records its own cost, and is checked at it.

The suite makes its people's hashes at a small cost (tests/conftest.py) so that its sign-ins stay quick: what is
checked here is the cost the product uses, and that a hash of any cost is checked at the cost it records."""
from __future__ import annotations

import pytest

from engine.model import passwords


def test_the_product_hashes_at_n_2_15_r_8_p_1():
    assert (passwords.COST, passwords.R, passwords.P) == (2 ** 15, 8, 1)


@pytest.mark.parametrize("cost", [2 ** 10, passwords.COST])
def test_a_hash_is_checked_at_the_cost_it_records(monkeypatch, cost):
    monkeypatch.setattr(passwords, "N", cost)
    stored = passwords.hash_password("mật khẩu đúng")
    assert stored.split("$")[1:4] == [str(cost), "8", "1"]
    monkeypatch.setattr(passwords, "N", 2 ** 12)  # the cost of new hashes changed since: old ones still check
    assert passwords.check_password(stored, "mật khẩu đúng")
    assert not passwords.check_password(stored, "mật khẩu sai")
    assert not passwords.check_password("pbkdf2$1$2$3$4$5", "mật khẩu đúng")
