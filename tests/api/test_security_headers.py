"""Every answer tells the browser how to treat it: data is not sniffed, framed or cached; pages run only
planflow's own scripts; HTTPS is remembered."""
from __future__ import annotations

import io

import pytest

from frontdoor.security_headers import DATA_POLICY, HSTS, PAGE_POLICY

from .test_review_loop import launch_249, task_of


def test_json_with_personal_data_is_neither_sniffed_framed_nor_cached(as_user):
    response = as_user("congan").get("/api/v1/tasks")
    assert response.status_code == 200
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == DATA_POLICY
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Cache-Control"] == "no-store"
    assert headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/tasks/not-a-task", "/api/v1/me"])
def test_errors_and_refusals_carry_the_same_headers(app, path):
    response = app.test_client().get(path, base_url="https://localhost")
    assert response.status_code in (401, 404)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == DATA_POLICY
    assert response.headers["Cache-Control"] == "no-store"


def test_a_page_runs_only_planflow_s_own_scripts_and_is_framed_by_nobody_else(as_user):
    client = as_user("congan", session=True)
    response = client.get("/work")
    assert response.status_code == 200 and response.mimetype == "text/html"
    policy = response.headers["Content-Security-Policy"]
    assert policy == PAGE_POLICY
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    assert response.headers["Cache-Control"] == "no-store"
    # Nothing in the page needs what the policy forbids: no inline script, no handler attribute.
    html = response.get_data(as_text=True)
    assert "<script>" not in html and " onclick=" not in html


def test_https_is_remembered_and_plain_http_is_not_told_to(app):
    secure = app.test_client().get("/api/v1/health", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == HSTS
    plain = app.test_client().get("/api/v1/health", base_url="http://localhost")
    assert "Strict-Transport-Security" not in plain.headers


def test_static_assets_may_be_cached(app):
    response = app.test_client().get("/static/app.css", base_url="https://localhost")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_evidence_file_keeps_its_own_sandbox_and_is_framed_only_by_planflow(as_user):
    plan, instance_id = launch_249(as_user("dieuphoi"))
    officer = as_user("congan")
    task = task_of(officer, plan["id"], instance_id, "lead")
    uploaded = officer.post(f"/api/v1/tasks/{task['id']}/evidence",
                            data={"file": (io.BytesIO("Ghi chú họp giao ban".encode()), "ghi-chu.txt", "text/plain")},
                            content_type="multipart/form-data")
    assert uploaded.status_code == 201, uploaded.get_json()
    evidence_id = uploaded.get_json()["id"]
    response = officer.get(f"/api/v1/evidence/{evidence_id}")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "sandbox" in policy and "frame-ancestors 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
