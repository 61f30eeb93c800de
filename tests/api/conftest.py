"""The Flask app over a seeded database (SQLite, or PostgreSQL: tests/databases.py), a client per user,
signing in through the JSON API."""
from __future__ import annotations

import shutil

import pytest

from engine.model.actors import SYSTEM
from engine.model.clock import FixedClock, parse_instant
from engine.services import users
from engine.store import Database, UnitOfWork
from seed.loader import DEMO_USERS
from server import create_app

PASSWORD = "planflow-demo-2022"
TOKENS: dict[str, str] = {}


@pytest.fixture(scope="session")
def seeded_database(databases, empty_schema, tmp_path_factory) -> str:
    """Seed once (agencies, processes, templates, demo users); each test gets a copy of the database."""
    from seed.loader import load_seed

    url = databases.copy(empty_schema, tmp_path_factory.mktemp("seed"), "seeded")
    database = Database(url)
    clock = FixedClock(parse_instant("2022-05-25T08:00+07:00"))
    with pytest.MonkeyPatch.context() as patch:  # whatever the developer's shell says
        patch.setenv("PLANFLOW_DEMO_PASSWORD", PASSWORD)
        load_seed(UnitOfWork(database.sessions), clock, lambda _: None)
    # Signing in costs a deliberately slow scrypt check; most tests use a personal token instead.
    for username, *_ in DEMO_USERS:
        TOKENS[username] = users.create_token(UnitOfWork(database.sessions), clock, SYSTEM, username, "tests",
                                              days=users.TOKEN_MAX_DAYS)  # tests move the clock months on
    database.dispose()
    return url


@pytest.fixture
def clock():
    return FixedClock(parse_instant("2022-06-01T08:00+07:00"))


@pytest.fixture
def database_source(seeded_database):
    """The database each test starts from (a module may start from a richer world), and its evidence folder."""
    return seeded_database, None


def make_app(url, evidence_dir, clock):
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "test-secret", "CLOCK": clock,
                       "EVIDENCE_DIR": str(evidence_dir), "TESTING": True, "SESSION_COOKIE_SECURE": True})


@pytest.fixture
def app(databases, database_source, tmp_path, clock):
    source, evidence = database_source
    url = databases.copy(source, tmp_path, "planflow")
    if evidence is not None:
        shutil.copytree(evidence, tmp_path / "evidence")
    app = make_app(url, tmp_path / "evidence", clock)
    yield app
    app.extensions["planflow"].database.dispose()
    databases.drop(url)


class Client:
    """A user of the API: signed in with a session (and its CSRF token, as the browser app does),
    or with the user's personal API token, or not at all.

    It reads English (``Accept-Language: en``), so that tests can match the engine's own words;
    ``language=None`` sends no preference (the API answers in Vietnamese), as test_languages does."""

    def __init__(self, app, username: str | None = None, session: bool = False, language: str | None = "en") -> None:
        self.http = app.test_client()
        self.csrf = None
        self.headers = {"Accept-Language": language} if language else {}
        if username and session:
            response = self.http.post("/api/v1/login", json={"username": username, "password": PASSWORD},
                                      base_url="https://localhost")
            assert response.status_code == 200, response.get_json()
            self.csrf = response.get_json()["csrf_token"]
        elif username:
            self.headers["Authorization"] = f"Bearer {TOKENS[username]}"

    def get(self, url, **kwargs):
        return self.http.get(url, base_url="https://localhost", headers={**self.headers, **kwargs.pop("headers", {})},
                             **kwargs)

    def post(self, url, **kwargs):
        return self.send("post", url, **kwargs)

    def delete(self, url, **kwargs):
        return self.send("delete", url, **kwargs)

    def send(self, method: str, url, **kwargs):
        """A change (POST, DELETE …), with the session's CSRF token when signed in with a session."""
        headers = {**self.headers, **({"X-CSRF-Token": self.csrf} if self.csrf else {})}
        headers.update(kwargs.pop("headers", {}))
        return self.http.open(url, method=method.upper(), base_url="https://localhost", headers=headers, **kwargs)


@pytest.fixture
def as_user(app):
    return lambda username=None, session=False, language="en": Client(app, username, session, language)
