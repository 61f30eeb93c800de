"""Every route × every role (and another agency's member): exactly the answer it should get.

Users (seed/loader.py): dieuphoi coordinator; congan member of Công an tỉnh (the lead); stttt member of
Sở TT&TT (coordinating); sgddt member of Sở GD&ĐT (not involved); pheduyet approver of Công an tỉnh (the
standing body); kiemtra auditor; quantri admin; None: not signed in.
"""
import io

import pytest

from engine.model.actors import SYSTEM
from engine.services import templates

USERS = [None, "dieuphoi", "congan", "stttt", "sgddt", "pheduyet", "kiemtra", "quantri"]
SMALL_PLAN = """
key: authz-plan
name: Kế hoạch kiểm tra phân quyền
document_type: plan
province: QNG
issuer: QNG-BCD138
symbol: "{number}/KH"
standing_body: QNG-CA
parameters:
  number: {type: string, default: "1"}
items:
  - number: 1
    title: Việc của Công an tỉnh, Sở TT&TT phối hợp
    process: plan_item
    lead: QNG-CA
    coordinating: [QNG-STTTT]
    schedule: {text: "trong tháng 9/2022", window: {month: 9, year: "2022"}}
  - number: 2
    title: Mỗi sở xây dựng kế hoạch riêng
    process: plan_item
    performers: [QNG-STTTT, QNG-CA]
    sub_plan: {required: true, template: qng-ke-hoach-trien-khai}
    schedule: {text: "trong năm 2022", year: "2022"}
"""
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(scope="module")
def world_database(databases, seeded_database, tmp_path_factory):
    """A launched plan with the lead's task, the contribution task, an evidence file: built once, copied per test."""
    from engine.model.clock import FixedClock, parse_instant
    from frontdoor.context import unit_of_work

    from .conftest import Client, make_app
    folder = tmp_path_factory.mktemp("authz")
    url = databases.copy(seeded_database, folder, "world")
    app = make_app(url, folder / "evidence", FixedClock(parse_instant("2022-06-01T08:00+07:00")))
    with app.app_context():
        templates.register_template(unit_of_work(), app.extensions["planflow"].clock, SYSTEM, SMALL_PLAN,
                                    "authz.yaml")
    plan = Client(app, "dieuphoi").post("/api/v1/plans", json={"template": "authz-plan"}).get_json()
    tasks = {t["lane"]: t for t in Client(app, "quantri").get(f"/api/v1/tasks?plan={plan['id']}").get_json()["tasks"]
             if t["instance_id"] == plan["items"][0]["instances"][0]["id"]}
    evidence = Client(app, "congan").post(f"/api/v1/tasks/{tasks['lead']['id']}/evidence",
                                          data={"file": (io.BytesIO(PDF), "a.pdf", "application/pdf")},
                                          content_type="multipart/form-data").get_json()
    app.extensions["planflow"].database.dispose()
    world = {"plan": plan["id"], "lead_task": tasks["lead"]["id"], "contribution": tasks["coordinating"]["id"],
             "evidence": evidence["id"], "instance": plan["items"][0]["instances"][0]["id"],
             "sub_plan_item": plan["items"][1]["id"]}
    return url, folder / "evidence", world


@pytest.fixture
def database_source(world_database):
    return world_database[0], world_database[1]


@pytest.fixture
def world(world_database):
    return world_database[2]


@pytest.fixture(scope="module")
def reading(databases, world_database, tmp_path_factory):
    """One copy of the world for the tests that only read: a read changes nothing another read would see, so
    they share it (each test that changes something has a copy of its own)."""
    import shutil

    from engine.model.clock import FixedClock, parse_instant

    from .conftest import Client, make_app
    url, evidence, _ = world_database
    folder = tmp_path_factory.mktemp("reads")
    copy = databases.copy(url, folder, "reads")
    shutil.copytree(evidence, folder / "evidence")
    app = make_app(copy, folder / "evidence", FixedClock(parse_instant("2022-06-01T08:00+07:00")))
    yield lambda username=None: Client(app, username)
    app.extensions["planflow"].database.dispose()


READS = {  # route → the users who get 200 (everyone else signed in: 404; not signed in: 401)
    "/api/v1/tasks/{lead_task}": {"dieuphoi", "congan", "pheduyet", "kiemtra", "quantri"},
    "/api/v1/evidence/{evidence}": {"dieuphoi", "congan", "pheduyet", "kiemtra", "quantri"},
    "/api/v1/instances/{instance}": {"dieuphoi", "congan", "stttt", "pheduyet", "kiemtra", "quantri"},
    "/api/v1/instances/{instance}/history": {"dieuphoi", "congan", "stttt", "pheduyet", "kiemtra", "quantri"},
}
OPEN_READS = ["/api/v1/me", "/api/v1/agencies", "/api/v1/templates", "/api/v1/templates/qng-249-kh-bcd138",
              "/api/v1/plans", "/api/v1/plans/{plan}", "/api/v1/tasks", "/api/v1/processes"]


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("route", OPEN_READS)
def test_reads_everyone_signed_in_may_make(world, reading, route, user):
    response = reading(user).get(route.format(**world))
    assert response.status_code == (401 if user is None else 200), response.get_json()


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("route", list(READS))
def test_reads_of_one_agencys_work_are_not_found_for_others(world, reading, route, user):
    response = reading(user).get(route.format(**world))
    expected = 401 if user is None else 200 if user in READS[route] else 404
    assert response.status_code == expected, response.get_json()


WRITES = {  # action → expected status by user (not signed in is always 401)
    "claim lead task": {"congan": 200, "pheduyet": 200, "stttt": 404, "sgddt": 404, "dieuphoi": 403,
                        "kiemtra": 403, "quantri": 403},
    "complete lead task": {"congan": 200, "pheduyet": 200, "stttt": 404, "sgddt": 404, "dieuphoi": 403,
                           "kiemtra": 403, "quantri": 403},
    "complete contribution": {"stttt": 200, "congan": 404, "pheduyet": 404, "sgddt": 404, "dieuphoi": 403,
                              "kiemtra": 403, "quantri": 403},
    "unclaim lead task": {"congan": 200, "pheduyet": 200, "stttt": 404, "sgddt": 404, "dieuphoi": 403,
                          "kiemtra": 403, "quantri": 403},
    "hand lead task to the approver": {"congan": 200, "pheduyet": 200, "stttt": 404, "sgddt": 404,
                                       "dieuphoi": 403, "kiemtra": 403, "quantri": 403},
    "waive contribution": {"dieuphoi": 200, "quantri": 200, "congan": 403, "stttt": 403, "sgddt": 404,
                           "pheduyet": 403, "kiemtra": 403},
    "upload evidence": {"congan": 201, "pheduyet": 201, "stttt": 404, "sgddt": 404, "dieuphoi": 403,
                        "kiemtra": 403, "quantri": 403},
    "launch plan": {"dieuphoi": 201, "quantri": 201, "congan": 403, "stttt": 403, "sgddt": 403, "pheduyet": 403,
                    "kiemtra": 403},
    "launch own sub-plan": {"stttt": 201, "dieuphoi": 201, "quantri": 201, "congan": 403, "sgddt": 403,
                            "pheduyet": 403, "kiemtra": 403},
    "create token": {"dieuphoi": 201, "congan": 201, "stttt": 201, "sgddt": 201, "pheduyet": 201, "kiemtra": 201,
                     "quantri": 201},
    "sign out": {"dieuphoi": 204, "congan": 204, "stttt": 204, "sgddt": 204, "pheduyet": 204, "kiemtra": 204,
                 "quantri": 204},
}


def write(client, action, world):
    if action == "claim lead task":
        return client.post(f"/api/v1/tasks/{world['lead_task']}/claim")
    if action == "complete lead task":
        return client.post(f"/api/v1/tasks/{world['lead_task']}/complete", json={"data": {"summary": "Xong"}})
    if action == "complete contribution":
        return client.post(f"/api/v1/tasks/{world['contribution']}/complete",
                           json={"data": {"contribution": {"summary": "Đã phối hợp"}}})
    if action == "unclaim lead task":
        return client.post(f"/api/v1/tasks/{world['lead_task']}/unclaim")
    if action == "hand lead task to the approver":
        return client.post(f"/api/v1/tasks/{world['lead_task']}/hand-over", json={"to": "pheduyet"})
    if action == "waive contribution":
        return client.post(f"/api/v1/tasks/{world['contribution']}/waive", json={"reason": "Không có người dùng"})
    if action == "upload evidence":
        return client.post(f"/api/v1/tasks/{world['lead_task']}/evidence",
                           data={"file": (io.BytesIO(PDF), "b.pdf", "application/pdf")},
                           content_type="multipart/form-data")
    if action == "launch plan":
        return client.post("/api/v1/plans", json={"template": "authz-plan", "parameters": {"number": "2"}})
    if action == "launch own sub-plan":
        return client.post(f"/api/v1/plans/items/{world['sub_plan_item']}/sub-plans",
                           json={"agency": "QNG-STTTT", "parameters": {"number": "7"}})
    if action == "create token":
        return client.post("/api/v1/tokens", json={"name": "script"})
    return client.post("/api/v1/logout")


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("action", list(WRITES))
def test_changes_only_the_right_role_and_agency_may_make(world, as_user, action, user):
    response = write(as_user(user), action, world)
    expected = 401 if user is None else WRITES[action][user]
    assert response.status_code == expected, response.get_json()


def test_a_session_change_with_its_csrf_token_is_accepted(world, as_user):
    response = as_user("congan", session=True).post(f"/api/v1/tasks/{world['lead_task']}/claim")
    assert response.status_code == 200


def test_a_change_with_the_session_but_without_its_csrf_token_is_refused(world, as_user):
    client = as_user("congan", session=True)
    client.csrf = "not-the-token"
    response = client.post(f"/api/v1/tasks/{world['lead_task']}/claim")
    assert response.status_code == 403
    assert "X-CSRF-Token" in response.get_json()["detail"]


def test_a_personal_token_works_without_cookie_or_csrf(world, as_user, app):
    token = as_user("congan", session=True).post("/api/v1/tokens", json={"name": "script"}).get_json()["token"]
    script = app.test_client()
    response = script.post(f"/api/v1/tasks/{world['lead_task']}/claim", base_url="https://localhost",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json()["claimed_by"] == "congan"


def test_the_session_cookie_is_http_only_same_site_and_secure(app):
    response = app.test_client().post("/api/v1/login", json={"username": "congan", "password": "planflow-demo-2022"},
                                      base_url="https://localhost")
    cookie = next(each for each in response.headers.getlist("Set-Cookie") if each.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
