"""Where the tests' databases live: SQLite files under each test's folder (the default), or, when
``PLANFLOW_TEST_DATABASE_URL`` names a PostgreSQL server, databases made on it for the run.

A test never builds its starting world twice: a world is made once (the empty schema, the seed, a played
plan) and each test gets a copy of it. On SQLite a copy is a copy of the file; on PostgreSQL it is
``CREATE DATABASE … TEMPLATE``, and each copy is dropped in the background once its test is over.
"""
from __future__ import annotations

import os
import queue
import sqlite3
import threading
from contextlib import closing
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

URL = os.environ.get("PLANFLOW_TEST_DATABASE_URL") or None
PREFIX = "planflow_t"


class Databases:
    """Makes, copies and drops the databases of one test run."""

    def __init__(self, url: str | None = URL) -> None:
        self.url = url
        self.postgres = bool(url) and make_url(url).get_backend_name() == "postgresql"
        if url and not self.postgres:
            raise pytest.UsageError(f"PLANFLOW_TEST_DATABASE_URL must name a PostgreSQL server, not {url}")
        self._numbers = count(1)
        self._made: set[str] = set()
        self._dropping: queue.Queue[str | None] = queue.Queue()
        self._admin = None
        self._dropper = None
        #: Why the server named cannot be used (every test needing a database is then skipped, saying so).
        self.unreachable: str | None = None
        if self.postgres:
            self._admin = self._connect()
            if self._admin is None:
                return
            self._drop_leftovers()
            self._dropper = threading.Thread(target=self._drop_queued, name="drop test databases", daemon=True)
            self._dropper.start()

    def new(self, folder: Path, name: str) -> str:
        """The URL of a new, empty database (no tables)."""
        if not self.postgres:
            return f"sqlite:///{folder / name}.sqlite3"
        database = self._new_name()
        self._execute(f'create database "{database}"')
        return self._url_of(database)

    def copy(self, source: str, folder: Path, name: str) -> str:
        """The URL of a copy of the database at ``source``, as its last committed transaction left it."""
        if not self.postgres:
            target = folder / f"{name}.sqlite3"
            with closing(sqlite3.connect(make_url(source).database)) as original, \
                    closing(sqlite3.connect(target)) as copy:
                original.backup(copy)  # what is still in the write-ahead log included
            return f"sqlite:///{target}"
        template, database = make_url(source).database, self._new_name()
        with self._admin.connect() as connection:  # a template must have nobody connected: close idle pools
            connection.execute(text("select pg_terminate_backend(pid) from pg_stat_activity "
                                    "where datname = :name and pid <> pg_backend_pid()"), {"name": template})
            connection.execute(text(f'create database "{database}" template "{template}"'))
        return self._url_of(database)

    def drop(self, url: str) -> None:
        """Forget a database made by ``new`` or ``copy`` (on PostgreSQL: dropped in the background)."""
        if self.postgres:
            self._dropping.put(make_url(url).database)

    def close(self) -> None:
        """Drop every database of the run still there."""
        if self._admin is None:
            return
        self._dropping.put(None)
        self._dropper.join()
        for database in sorted(self._made):
            self._drop_now(database)
        self._admin.dispose()

    def _connect(self):
        admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text("select 1"))
        except Exception as error:  # noqa: BLE001 - every cause is reported the same way
            self.unreachable = (f"PLANFLOW_TEST_DATABASE_URL={self.url}: PostgreSQL is not reachable "
                                f"({type(error).__name__}: {str(error).splitlines()[0]})")
            admin.dispose()
            return None
        return admin

    def _new_name(self) -> str:
        database = f"{PREFIX}{os.getpid()}_{next(self._numbers)}"
        self._made.add(database)
        return database

    def _url_of(self, database: str) -> str:
        return make_url(self.url).set(database=database).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(statement))

    def _drop_now(self, database: str) -> None:
        self._execute(f'drop database if exists "{database}" with (force)')
        self._made.discard(database)

    def _drop_queued(self) -> None:
        while (database := self._dropping.get()) is not None:
            self._drop_now(database)

    def _drop_leftovers(self) -> None:
        """Drop the databases an earlier run left behind when it was killed (its process is gone)."""
        with self._admin.connect() as connection:
            names = connection.execute(text("select datname from pg_database where datname like :prefix"),
                                       {"prefix": f"{PREFIX}%"}).scalars().all()
        for database in names:
            pid = database.removeprefix(PREFIX).split("_")[0]
            if pid.isdigit() and not _alive(int(pid)):
                self._execute(f'drop database if exists "{database}" with (force)')


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def bypass_append_only(connection) -> None:
    """Let this transaction change audit events, as someone holding the database's password could: SQLite's
    guards are triggers to drop; PostgreSQL's are skipped by a superuser's session in replica mode."""
    if connection.dialect.name == "sqlite":
        for verb in ("update", "delete"):
            connection.exec_driver_sql(f"DROP TRIGGER audit_log_no_{verb}")
    else:
        connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
