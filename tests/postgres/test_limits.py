"""Values PostgreSQL's columns cannot hold are the caller's mistake (Invalid, 422), never a crash (500)."""
import pytest

from engine.errors import Invalid


def test_an_id_beyond_the_integer_column_is_invalid_input_not_a_crash(pg_uow):
    with pytest.raises(Invalid, match="beyond what can be stored"):
        with pg_uow:
            pg_uow.instances.get(2 ** 31)
