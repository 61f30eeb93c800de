"""The OpenAPI document validates and lists every route; bad input gets problem details, never a 500."""
import io

import pytest
from openapi_spec_validator import validate

ROUTES = {
    "/api/v1/login": {"post"}, "/api/v1/logout": {"post"}, "/api/v1/me": {"get"}, "/api/v1/tokens": {"get", "post"},
    "/api/v1/tokens/{token_id}": {"delete"},
    "/api/v1/templates": {"get"}, "/api/v1/templates/{key}": {"get"},
    "/api/v1/templates/drafts": {"post"},
    "/api/v1/plans": {"get", "post"}, "/api/v1/plans/{plan_id}": {"get"}, "/api/v1/plans/{plan_id}/report": {"get"},
    "/api/v1/plans/{plan_id}/report/sections": {"get", "put"}, "/api/v1/agencies/{code}/signer": {"put"},
    "/api/v1/plans/{plan_id}/reporting": {"get"}, "/api/v1/plans/{plan_id}/dashboard": {"get"},
    "/api/v1/dashboard": {"get"}, "/api/v1/plans/{plan_id}/report-requests": {"post"},
    "/api/v1/plans/items/{item_id}/sub-plans": {"post"},
    "/api/v1/tasks": {"get"}, "/api/v1/tasks/{task_id}": {"get"}, "/api/v1/tasks/{task_id}/claim": {"post"},
    "/api/v1/tasks/{task_id}/complete": {"post"}, "/api/v1/tasks/{task_id}/evidence": {"post"},
    "/api/v1/tasks/{task_id}/unclaim": {"post"}, "/api/v1/tasks/{task_id}/hand-over": {"post"},
    "/api/v1/tasks/{task_id}/waive": {"post"}, "/api/v1/tasks/{task_id}/remind": {"post"},
    "/api/v1/tasks/{task_id}/extension-requests": {"post"},
    "/api/v1/extension-requests": {"get"}, "/api/v1/extension-requests/{request_id}/decision": {"post"},
    "/api/v1/notifications": {"get"}, "/api/v1/notifications/{notification_id}/read": {"post"},
    "/api/v1/notifications/read": {"post"}, "/api/v1/notifications/mail": {"get", "put"},
    "/api/v1/evidence/{evidence_id}": {"get"}, "/api/v1/instances/{instance_id}": {"get"},
    "/api/v1/instances/{instance_id}/history": {"get"},
    "/api/v1/audit": {"get"}, "/api/v1/audit/export": {"get"}, "/api/v1/audit/verify": {"get"}, "/api/v1/health": {"get"}, "/api/v1/processes": {"get"},
    "/api/v1/agencies": {"get", "post"}, "/api/v1/agencies/{code}/rename": {"post"},
    "/api/v1/agencies/{code}/merge": {"post"}, "/api/v1/agencies/{code}/retire": {"post"},
    "/api/v1/agencies/{code}/history": {"get"}, "/api/v1/provinces": {"get", "post"},
    "/api/v1/provinces/{province}": {"get"}, "/api/v1/people": {"get", "post"}, "/api/v1/people/{username}": {"patch"},
    "/api/v1/people/{username}/disable": {"post"}, "/api/v1/people/{username}/enable": {"post"},
    "/api/v1/people/{username}/reset-password": {"post"}, "/api/v1/invitations/{token}": {"get", "post"},
    "/api/v1/people/import": {"post"}, "/api/v1/people/export": {"get"}, "/api/v1/agencies/import": {"post"},
    "/api/v1/agencies/export": {"get"},
}


def test_the_openapi_document_is_valid_and_lists_every_route(as_user):
    document = as_user().get("/api/v1/openapi.json").get_json()
    validate(document)
    listed = {path: {method for method in ops if method in {"get", "post", "put", "delete", "patch"}}
              for path, ops in document["paths"].items()}
    assert listed == ROUTES


@pytest.fixture
def lead_task(as_user):
    plan = as_user("dieuphoi").post("/api/v1/plans", json={"template": "qng-249-kh-bcd138"}).get_json()
    instance = plan["items"][3]["instances"][0]["id"]
    page = as_user("congan").get(f"/api/v1/tasks?plan={plan['id']}&per_page=200").get_json()
    return next(task["id"] for task in page["tasks"] if task["instance_id"] == instance)


BAD_INPUTS = [
    ("dieuphoi", "/api/v1/plans", {"json": {"template": 42}}, 422),
    ("dieuphoi", "/api/v1/plans", {"json": {"template": "no-such-template"}}, 404),
    ("dieuphoi", "/api/v1/plans", {"json": {"template": "qng-249-kh-bcd138", "parameters": {"year": "abc"}}}, 422),
    ("dieuphoi", "/api/v1/plans", {"data": "not json", "content_type": "application/json"}, 400),
    ("dieuphoi", "/api/v1/plans", {"json": {"template": "qng-249-kh-bcd138", "colour": "red"}}, 422),
    ("congan", "/api/v1/tasks/{task}/complete", {"json": {"data": {"summary": ""}}}, 422),
    ("congan", "/api/v1/tasks/{task}/complete", {"json": {"data": {"summary": "x", "evidence": ["nope"]}}}, 422),
    ("congan", "/api/v1/tasks/{task}/complete",
     {"json": {"data": {"summary": "x", "evidence": ["0" * 32]}}}, 422),
    ("congan", "/api/v1/tasks/{task}/complete", {"json": {"data": "text"}}, 422),
    ("congan", "/api/v1/tasks/{task}/complete", {"json": {}}, 422),
    ("congan", "/api/v1/tasks/no-such-task/complete", {"json": {"data": {"summary": "x"}}}, 404),
    ("congan", "/api/v1/tasks/{task}/evidence", {"data": {}, "content_type": "multipart/form-data"}, 422),
    ("congan", "/api/v1/tasks/{task}/evidence",
     {"data": {"file": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "x.pdf", "application/pdf")},
      "content_type": "multipart/form-data"}, 422),
    ("congan", "/api/v1/tasks/{task}/evidence",
     {"data": {"file": (io.BytesIO(b""), "empty.pdf", "application/pdf")}, "content_type": "multipart/form-data"},
     422),
    ("congan", "/api/v1/tokens", {"json": {"name": "x" * 300}}, 422),
    ("congan", "/api/v1/plans/items/999999/sub-plans", {"json": {"agency": "QNG-CA"}}, 404),
    (None, "/api/v1/login", {"json": {"username": "congan"}}, 422),
    (None, "/api/v1/login", {"json": {"username": "congan", "password": "wrong password"}}, 401),
]


@pytest.mark.parametrize("user, route, request_kwargs, status", BAD_INPUTS,
                         ids=[f"{route}-{status}-{index}" for index, (_, route, _, status) in enumerate(BAD_INPUTS)])
def test_bad_input_on_a_write_route_gets_problem_details(as_user, lead_task, user, route, request_kwargs, status):
    response = as_user(user).post(route.format(task=lead_task), **request_kwargs)
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["detail"]


def test_form_errors_name_each_field_in_the_users_language(as_user, lead_task):
    response = as_user("congan", language=None).post(f"/api/v1/tasks/{lead_task}/complete",
                                                     json={"data": {"summary": " "}})
    assert response.get_json()["errors"]["summary"]
    english = as_user("congan").post(f"/api/v1/tasks/{lead_task}/complete", json={"data": {"summary": " "}},
                                     headers={"Accept-Language": "en"})
    assert english.get_json()["errors"] != response.get_json()["errors"]


@pytest.mark.parametrize("query", ["status=bogus", "page=0", "per_page=1000", "plan=abc", "due_before=yesterday"])
def test_bad_worklist_filters_get_problem_details(as_user, query):
    response = as_user("congan").get(f"/api/v1/tasks?{query}")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"


@pytest.mark.parametrize("failure, status", [
    ("integrity", 409),
    ("operational", 503),
])
def test_a_write_that_collides_or_a_busy_database_gets_problem_details(as_user, monkeypatch, failure, status):
    from sqlalchemy.exc import IntegrityError, OperationalError
    from sqlalchemy.orm import Session

    client = as_user("congan")

    def collide(self):
        cls = IntegrityError if failure == "integrity" else OperationalError
        raise cls("INSERT …", {}, Exception("database says no"))

    monkeypatch.setattr(Session, "commit", collide)  # the database refuses the token's row as it is written
    response = client.post("/api/v1/tokens", json={"name": "x"})
    assert response.status_code == status and response.mimetype == "application/problem+json"
    assert "database says no" not in response.get_json()["detail"]  # no internals leak


def test_an_evidence_refusal_reads_in_the_users_language(as_user, lead_task):
    """A text file named .pdf: the refusal says why in Vietnamese (the language the API answers in by default),
    naming the kind of content in Vietnamese too."""
    sent = {"file": (io.BytesIO(b"bien ban hop ngay 12/5"), "bien-ban.pdf", "application/pdf")}
    response = as_user("congan", language=None).post(f"/api/v1/tasks/{lead_task}/evidence", data=sent,
                                                       content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Tên tệp ghi đuôi .pdf nhưng nội dung là văn bản thuần" in response.get_json()["detail"]


def test_a_launch_whose_year_makes_no_date_says_so_in_vietnamese_at_the_item(as_user):
    response = as_user("dieuphoi", language=None).post("/api/v1/plans", json={
        "template": "qng-249-kh-bcd138", "parameters": {"year": 0, "relevant_units": ["QNG-STTTT"]}})
    assert response.status_code == 422
    body = response.get_json()
    assert "'0-12-31' không phải là một ngày (ví dụ 2022-12-31)" in body["detail"]
    assert any("không phải là một ngày" in message for messages in body["errors"].values() for message in messages)
