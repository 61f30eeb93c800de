"""A periodic report three months late, over HTTP and on the plan page: the item reads "chậm báo cáo" in the plan,
the dashboards, the matrix and the progress report, before the worker has run once."""
from __future__ import annotations

import re

import pytest

from engine.model.actors import SYSTEM
from engine.model.clock import parse_instant
from engine.services import templates
from engine.store import UnitOfWork
from tests.unit.test_reporting_gates import quarterly_249


@pytest.fixture
def plan(as_user, app, clock):
    uow = UnitOfWork(app.extensions["planflow"].database.sessions)
    templates.register_template(uow, clock, SYSTEM, quarterly_249().encode(), "qng-249-kh-bcd138.yaml")
    response = as_user("dieuphoi").post("/api/v1/plans", json={"template": "qng-249-kh-bcd138",
                                                               "parameters": {"relevant_units": ["QNG-STTTT"]}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def item_3(as_user, plan) -> dict:
    shown = as_user("dieuphoi").get(f"/api/v1/plans/{plan['id']}").get_json()
    return next(item for item in shown["items"] if item["number"] == "3")


def test_a_report_three_months_late_is_late_in_every_answer_though_no_worker_ran(as_user, plan, clock):
    assert item_3(as_user, plan)["status"] == "in_progress"
    clock.set(parse_instant("2022-09-25T08:00+07:00"))
    item = item_3(as_user, plan)
    assert item["status"] == "report_late" and item["status_label"] == "late in reporting"
    board = as_user("dieuphoi").get(f"/api/v1/plans/{plan['id']}/dashboard").get_json()
    assert board["counts"]["report_late"] == 1
    assert board["counts"]["total"] == sum(board["counts"][name] for name in (
        "done_on_time", "done_late", "in_progress", "report_late", "overdue"))
    province = as_user("dieuphoi").get("/api/v1/dashboard").get_json()
    assert province["counts"]["report_late"] == 1
    report = as_user("dieuphoi").get(f"/api/v1/plans/{plan['id']}/report?format=json").get_json()
    assert report["report_late"] == ["3"] and report["counts"]["report_late"] == 1
    gates = as_user("dieuphoi").get(f"/api/v1/plans/{plan['id']}/reporting").get_json()
    june = gates["periods"][0]["gates"][0]
    assert [(s["agency"], s["late"]) for s in june["submissions"]] == [("QNG-STTTT", True), ("QNG-CA", True)]


def test_the_plan_page_shows_the_late_report_in_the_row_the_counts_and_the_matrix(as_user, plan, clock):
    clock.set(parse_instant("2022-09-25T08:00+07:00"))
    client = as_user("dieuphoi", session=True)
    client.headers.pop("Accept-Language", None)
    page = client.get(f"/plans/{plan['id']}").get_data(as_text=True)
    assert page.count("chậm báo cáo") >= 3  # the count, the item's badge, the matrix cell
    assert '<span class="badge report-late">chậm báo cáo</span>' in page
    assert '<td class="report-late"><span class="sr-only">chậm báo cáo</span>' in page
    assert '<div class="count report-late"><strong>1</strong> chậm báo cáo</div>' in page
    assert re.findall(r'<small class="late-report">([^<]*)</small>', page) == [
        "Chậm báo cáo kỳ Quý II/2022: Sở Thông tin và Truyền thông tỉnh Quảng Ngãi, Công an tỉnh Quảng Ngãi",
        "Chậm báo cáo kỳ Quý III/2022: Sở Thông tin và Truyền thông tỉnh Quảng Ngãi, Công an tỉnh Quảng Ngãi"]


def test_a_missed_gate_reaches_the_inbox_of_the_missing_agency_and_the_coordinator(as_user, app, plan, clock):
    from engine.services import processes, reminders
    uow = UnitOfWork(app.extensions["planflow"].database.sessions)
    for when in ("2022-06-15T08:00+07:00", "2022-06-21T08:00+07:00", "2022-06-22T08:00+07:00"):
        clock.set(parse_instant(when))
        processes.fire_due_timers(uow, clock, limit=500)
        reminders.send_reminders(uow, clock)
    for username in ("stttt", "congan", "dieuphoi"):
        inbox = as_user(username, language=None).get("/api/v1/notifications").get_json()["notifications"]
        missed = [notice for notice in inbox if notice["kind"] == "gate_missed"]
        assert len(missed) == 1, username
        assert "Chậm báo cáo" in missed[0]["text"] and "Quý II/2022" in missed[0]["text"]
    settings = as_user("congan").get("/api/v1/notifications/mail")
    assert settings.status_code == 200 and "gate_missed" in str(settings.get_json())
