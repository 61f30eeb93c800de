"""Signing in as an attacker would try it: guessing passwords, replaying a cookie after sign-out, fixing a
session before sign-in, keeping a token forever."""
from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from engine.services import sign_in

from .conftest import PASSWORD

HTTPS = "https://localhost"


def attempt(http, password: str, username: str = "congan", address: str = "203.0.113.7"):
    return http.post("/api/v1/login", json={"username": username, "password": password}, base_url=HTTPS,
                     environ_base={"REMOTE_ADDR": address})


def session_cookie(http) -> str | None:
    cookie = http.get_cookie("session", domain="localhost")
    return cookie.value if cookie else None


def me_with(app, cookie: str | None):
    http = app.test_client()
    if cookie:
        http.set_cookie("session", cookie, domain="localhost")
    return http.get("/api/v1/me", base_url=HTTPS)


def audit_actions(as_user, action: str) -> list[dict]:
    return as_user("kiemtra").get(f"/api/v1/audit?action={action}").get_json()["events"]


def test_a_copied_session_cookie_signs_nobody_in_after_sign_out(app):
    http = app.test_client()
    signed = attempt(http, PASSWORD)
    assert signed.status_code == 200
    copied = session_cookie(http)
    assert me_with(app, copied).status_code == 200
    assert http.post("/api/v1/logout", base_url=HTTPS,
                     headers={"X-CSRF-Token": signed.get_json()["csrf_token"]}).status_code == 204
    assert me_with(app, copied).status_code == 401  # the session ended in the database, not only in the browser


def test_a_session_ends_by_itself_after_eight_hours(app, clock):
    http = app.test_client()
    assert attempt(http, PASSWORD).status_code == 200
    cookie = session_cookie(http)
    clock.set(clock.now() + timedelta(hours=sign_in.SESSION_HOURS, seconds=-1))
    assert me_with(app, cookie).status_code == 200
    clock.set(clock.now() + timedelta(seconds=1))
    assert me_with(app, cookie).status_code == 401


def test_a_cookie_from_before_sign_in_is_not_the_signed_in_session(app):
    """Session fixation: whoever handed the victim a cookie before sign-in does not share the session after."""
    http = app.test_client()
    http.get("/login", base_url=HTTPS)  # the sign-in page sets a cookie (its form token)
    planted = session_cookie(http)
    assert planted
    assert attempt(http, PASSWORD).status_code == 200
    assert session_cookie(http) != planted
    assert me_with(app, planted).status_code == 401
    assert me_with(app, session_cookie(http)).status_code == 200


def test_a_disabled_user_s_open_session_stops_working(app):
    from sqlalchemy import update

    from engine.store.people.tables import UserRow
    from frontdoor.context import unit_of_work
    http = app.test_client()
    assert attempt(http, PASSWORD).status_code == 200
    with app.app_context():
        uow = unit_of_work()
        with uow:
            uow.session.execute(update(UserRow).where(UserRow.username == "congan").values(active=False))
            uow.session.commit()
    assert me_with(app, session_cookie(http)).status_code == 401


def test_repeated_wrong_passwords_lock_that_name_from_that_address_until_the_window_passes(app, clock, as_user):
    http = app.test_client()
    for _ in range(sign_in.PER_ACCOUNT_AND_ADDRESS):
        assert attempt(http, "đoán-sai-mật-khẩu").status_code == 401
    refused = attempt(http, PASSWORD)  # even the right password waits: nothing is checked
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    wait = int(refused.headers["Retry-After"])
    assert 0 < wait <= sign_in.WINDOW.total_seconds()
    assert attempt(http, PASSWORD).get_json()["detail"] == "đăng nhập sai quá nhiều lần; hãy thử lại sau 15 phút"
    # Another person at another address is not locked out by this.
    assert attempt(app.test_client(), PASSWORD, address="198.51.100.20").status_code == 200
    clock.set(clock.now() + timedelta(seconds=wait))
    assert attempt(http, PASSWORD).status_code == 200
    locked = audit_actions(as_user, "auth.locked")
    assert [event["data"]["username"] for event in locked] == ["congan"]
    assert len(audit_actions(as_user, "auth.sign_in_failed")) == sign_in.PER_ACCOUNT_AND_ADDRESS


def test_a_refused_try_does_not_keep_the_lock_going(app, clock):
    http = app.test_client()
    for _ in range(sign_in.PER_ACCOUNT_AND_ADDRESS):
        attempt(http, "sai")
    start = clock.now()
    for minute in range(0, 15, 3):  # an attacker keeps trying through the window
        clock.set(start + timedelta(minutes=minute))
        assert attempt(http, "sai").status_code == 429
    clock.set(start + sign_in.WINDOW)
    assert attempt(http, PASSWORD).status_code == 200


def test_a_guess_spread_over_many_addresses_locks_the_name_for_every_browser_not_known_for_it(app, monkeypatch):
    monkeypatch.setattr(sign_in, "PER_ACCOUNT", 4)  # the same rule, fewer slow password checks
    for n in range(4):
        assert attempt(app.test_client(), "sai", address=f"192.0.2.{n}").status_code == 401
    assert attempt(app.test_client(), PASSWORD, address="192.0.2.200").status_code == 429
    assert attempt(app.test_client(), PASSWORD, username="dieuphoi", address="192.0.2.200").status_code == 200


def test_the_owner_s_usual_browser_signs_in_while_a_stranger_s_guesses_lock_the_name(app, monkeypatch):
    monkeypatch.setattr(sign_in, "PER_ACCOUNT", 4)
    owner = app.test_client()
    signed = attempt(owner, PASSWORD)
    assert owner.post("/api/v1/logout", base_url=HTTPS,
                      headers={"X-CSRF-Token": signed.get_json()["csrf_token"]}).status_code == 204
    for n in range(4):  # a stranger who knows the name, from many addresses
        assert attempt(app.test_client(), "sai", address=f"192.0.2.{n}").status_code == 401
    assert attempt(app.test_client(), "sai", address="192.0.2.99").status_code == 429  # no fifth guess
    assert attempt(owner, PASSWORD).status_code == 200  # the device cookie outlives the session


def device_cookie_set_by(response) -> str:
    return next(header for header in response.headers.getlist("Set-Cookie") if header.startswith("planflow_device="))


def test_a_sign_in_by_the_api_or_the_page_keeps_the_browser_s_device_token_out_of_scripts_reach(app):
    import re
    by_api = device_cookie_set_by(attempt(app.test_client(), PASSWORD))
    http = app.test_client()
    page = http.get("/login", base_url=HTTPS).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    by_page = device_cookie_set_by(http.post("/login", data={"csrf_token": token, "username": "congan",
                                                             "password": PASSWORD}, base_url=HTTPS))
    for cookie in (by_api, by_page):
        assert {"HttpOnly", "Secure", "SameSite=Strict", f"Max-Age={sign_in.DEVICE_DAYS * 24 * 3600}"} \
            <= {part.strip() for part in cookie.split(";")}
    assert by_api.split(";")[0] != by_page.split(";")[0]  # two browsers, two tokens


def test_one_address_trying_many_names_is_slowed_down(app, monkeypatch):
    monkeypatch.setattr(sign_in, "PER_ADDRESS", 3)
    for name in ("a.nguyen", "b.tran", "c.le"):
        assert attempt(app.test_client(), "sai", username=name).status_code == 401
    assert attempt(app.test_client(), PASSWORD, username="dieuphoi").status_code == 429


def test_the_sign_in_page_says_how_long_to_wait(app):
    import re
    http = app.test_client()
    for _ in range(sign_in.PER_ACCOUNT_AND_ADDRESS):
        attempt(http, "sai")
    page = http.get("/login", base_url=HTTPS, environ_base={"REMOTE_ADDR": "203.0.113.7"}).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    refused = http.post("/login", data={"csrf_token": token, "username": "congan", "password": PASSWORD},
                        base_url=HTTPS, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert refused.status_code == 429
    assert "Đăng nhập sai quá nhiều lần; hãy thử lại sau 15 phút." in refused.get_data(as_text=True)


def test_a_token_ends_on_its_day_and_when_revoked(app, as_user, clock):
    from datetime import datetime
    officer = as_user("congan", session=True)
    made = officer.post("/api/v1/tokens", json={"name": "báo cáo tự động", "days": 2})
    assert made.status_code == 201
    token = made.get_json()["token"]
    assert datetime.fromisoformat(made.get_json()["expires_at"]) == clock.now() + timedelta(days=2)
    assert made.get_json()["expires_at"].endswith("+07:00")  # in Vietnam's time, as every time the API gives
    listed = officer.get("/api/v1/tokens").get_json()
    assert [each["name"] for each in listed][:1] == ["báo cáo tự động"]
    assert all("token" not in each and "token_hash" not in each for each in listed)
    bearer = {"Authorization": f"Bearer {token}"}
    http = app.test_client()
    assert http.get("/api/v1/me", base_url=HTTPS, headers=bearer).status_code == 200
    started = clock.now()
    clock.set(started + timedelta(days=2, seconds=-1))
    assert http.get("/api/v1/me", base_url=HTTPS, headers=bearer).status_code == 200
    clock.set(started + timedelta(days=2))
    assert http.get("/api/v1/me", base_url=HTTPS, headers=bearer).status_code == 401

    officer = as_user("congan", session=True)  # the first session has ended meanwhile
    second = officer.post("/api/v1/tokens", json={"name": "thử thu hồi"}).get_json()
    assert http.get("/api/v1/me", base_url=HTTPS, headers={"Authorization": f"Bearer {second['token']}"}) \
        .status_code == 200
    second_id = officer.get("/api/v1/tokens").get_json()[0]["id"]
    revoked = officer.delete(f"/api/v1/tokens/{second_id}")
    assert revoked.status_code == 200 and revoked.get_json()["revoked"] is True
    assert http.get("/api/v1/me", base_url=HTTPS, headers={"Authorization": f"Bearer {second['token']}"}) \
        .status_code == 401
    assert as_user("dieuphoi").delete(f"/api/v1/tokens/{second_id}").status_code == 404  # not theirs


@pytest.mark.parametrize("days", [0, 366, "30", True])
def test_a_token_lasts_a_year_at_most(as_user, days):
    response = as_user("congan", session=True).post("/api/v1/tokens", json={"days": days})
    assert response.status_code == 422
    assert "days" in response.get_json()["errors"]


def test_passwords_are_never_logged_nor_audited(app, as_user, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "mật-khẩu-không-được-ghi"
    attempt(app.test_client(), secret)
    attempt(app.test_client(), PASSWORD)
    assert secret not in caplog.text and PASSWORD not in caplog.text
    events = audit_actions(as_user, "auth.")
    assert events and not [event for event in events if secret in str(event) or PASSWORD in str(event)]


def test_behind_a_proxy_the_throttle_counts_by_the_forwarded_address(databases, database_source, tmp_path, clock):
    from server import create_app
    url = databases.copy(database_source[0], tmp_path, "proxied")
    proxied = create_app({"DATABASE_URL": url, "SECRET_KEY": "test-secret", "CLOCK": clock, "TESTING": True,
                          "EVIDENCE_DIR": str(tmp_path / "evidence"), "PROXY_HOPS": 1})
    try:
        def through_proxy(client_address: str, password: str):
            return proxied.test_client().post(
                "/api/v1/login", json={"username": "congan", "password": password}, base_url=HTTPS,
                environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={"X-Forwarded-For": client_address})
        for _ in range(sign_in.PER_ACCOUNT_AND_ADDRESS):
            assert through_proxy("203.0.113.9", "sai").status_code == 401
        assert through_proxy("203.0.113.9", PASSWORD).status_code == 429
        assert through_proxy("198.51.100.4", PASSWORD).status_code == 200  # another client, same proxy
    finally:
        proxied.extensions["planflow"].database.dispose()
        databases.drop(url)


@pytest.mark.parametrize("hops", ["two", "-1", "9"])
def test_a_mistyped_proxy_setting_stops_the_start_naming_it(database_source, hops):
    from server import create_app
    with pytest.raises(ValueError, match="PLANFLOW_PROXY_HOPS"):
        create_app({"DATABASE_URL": database_source[0], "SECRET_KEY": "x", "PROXY_HOPS": hops})


def test_attempts_older_than_a_day_are_forgotten_and_refused_tries_are_not_kept(app, clock):
    from sqlalchemy import func, select

    from engine.store.people.tables import SignInAttemptRow
    from frontdoor.context import unit_of_work

    def kept() -> int:
        with app.app_context():
            with unit_of_work() as uow:
                return uow.session.scalar(select(func.count()).select_from(SignInAttemptRow))

    http = app.test_client()
    for _ in range(sign_in.PER_ACCOUNT_AND_ADDRESS):
        attempt(http, "sai")
    for _ in range(20):
        assert attempt(http, "sai").status_code == 429
    assert kept() == sign_in.PER_ACCOUNT_AND_ADDRESS
    clock.set(clock.now() + sign_in.KEEP_ATTEMPTS + timedelta(minutes=1))
    assert attempt(http, PASSWORD).status_code == 200
    assert kept() == 1  # the day-old failures went; the sign-in itself is kept
