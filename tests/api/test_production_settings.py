"""In production (PLANFLOW_ENV=production) planflow will not start with a secret anyone could guess, nor with a
clock set by hand: the history tells the truth about time."""
from __future__ import annotations

import secrets

import pytest

from server import create_app


@pytest.fixture
def production(monkeypatch, seeded_database):
    monkeypatch.setenv("PLANFLOW_ENV", "production")
    monkeypatch.delenv("PLANFLOW_INSECURE_COOKIES", raising=False)
    return seeded_database


@pytest.mark.parametrize("key, says", [
    (None, "PLANFLOW_SECRET_KEY is not set"),
    ("change-me", "too easy to guess"),
    ("a" * 64, "too easy to guess"),
])
def test_production_refuses_a_missing_or_guessable_secret_key(production, monkeypatch, tmp_path, key, says):
    if key is None:
        monkeypatch.delenv("PLANFLOW_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("PLANFLOW_SECRET_KEY", key)
    with pytest.raises(RuntimeError, match=says):
        create_app({"DATABASE_URL": production, "EVIDENCE_DIR": str(tmp_path)})


def test_production_refuses_cookies_over_plain_http(production, monkeypatch, tmp_path):
    monkeypatch.setenv("PLANFLOW_SECRET_KEY", secrets.token_hex(32))
    with pytest.raises(RuntimeError, match="PLANFLOW_INSECURE_COOKIES"):
        create_app({"DATABASE_URL": production, "EVIDENCE_DIR": str(tmp_path), "SESSION_COOKIE_SECURE": False})


def test_production_starts_with_a_random_key_from_the_environment(production, monkeypatch, tmp_path):
    key = secrets.token_hex(32)
    monkeypatch.setenv("PLANFLOW_SECRET_KEY", key)
    app = create_app({"DATABASE_URL": production, "EVIDENCE_DIR": str(tmp_path)})
    assert app.config["SECRET_KEY"] == key
    assert app.config["SESSION_COOKIE_SECURE"] is True
    app.extensions["planflow"].database.dispose()


def test_outside_production_a_key_is_made_and_kept_in_the_instance_folder(monkeypatch, seeded_database, tmp_path):
    monkeypatch.delenv("PLANFLOW_ENV", raising=False)
    monkeypatch.delenv("PLANFLOW_SECRET_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    first = create_app({"DATABASE_URL": seeded_database, "EVIDENCE_DIR": str(tmp_path)})
    again = create_app({"DATABASE_URL": seeded_database, "EVIDENCE_DIR": str(tmp_path)})
    assert len(first.config["SECRET_KEY"]) == 64 and first.config["SECRET_KEY"] == again.config["SECRET_KEY"]
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0  # readable by its owner only
    for app in (first, again):
        app.extensions["planflow"].database.dispose()


def test_production_refuses_a_clock_set_by_hand_in_the_app(production, monkeypatch, tmp_path):
    monkeypatch.setenv("PLANFLOW_SECRET_KEY", secrets.token_hex(32))
    monkeypatch.setenv("PLANFLOW_NOW", "2022-06-01T08:00+07:00")
    with pytest.raises(ValueError, match="PLANFLOW_NOW"):
        create_app({"DATABASE_URL": production, "EVIDENCE_DIR": str(tmp_path)})


@pytest.mark.parametrize("words", [
    ["--now", "2022-06-01T08:00+07:00", "tasks"],
    ["worker", "--once", "--now", "2022-06-01T08:00+07:00"],
    ["seed", "--demo"],
])
def test_production_back_dates_nothing_from_the_command_line(production, monkeypatch, words):
    from click.testing import CliRunner
    from sqlalchemy import create_engine, text

    from cli import main
    engine = create_engine(production)
    with engine.connect() as connection:
        before = connection.execute(text("select count(*) from audit_log")).scalar()
    result = CliRunner().invoke(main, ["--database-url", production, *words])
    assert result.exit_code == 2 and "production" in result.output, result.output
    with engine.connect() as connection:
        assert connection.execute(text("select count(*) from audit_log")).scalar() == before
    engine.dispose()
