"""A fresh schema on the real PostgreSQL server, or a skip that says why."""
import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from engine.store import Database, UnitOfWork

URL = os.environ.get("PLANFLOW_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def reachable_or_skip():
    """An autocommit engine on the server, or a skip that says why there is none."""
    try:
        admin = create_engine(URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as error:  # no driver, no server, no database
        pytest.skip(f"PostgreSQL is not reachable at {URL}: {type(error).__name__}: {error}".splitlines()[0])
    return admin


@pytest.fixture
def pg_schema_url():
    """The URL of an empty schema of its own on the server (dropped after the test)."""
    admin = reachable_or_skip()
    schema = f"planflow_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'create schema "{schema}"'))
    separator = "&" if "?" in URL else "?"
    yield f"{URL}{separator}options=-csearch_path%3D{schema}"
    with admin.connect() as connection:
        connection.execute(text(f'drop schema "{schema}" cascade'))
    admin.dispose()


@pytest.fixture
def pg_database(pg_schema_url):
    database = Database(pg_schema_url)
    database.create_schema()
    yield database
    database.dispose()


@pytest.fixture
def pg_uow(pg_database):
    return UnitOfWork(pg_database.sessions)
