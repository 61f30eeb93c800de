"""The reporting regime and ad-hoc report requests over HTTP, as a coordinator and the agencies see them."""
from __future__ import annotations

import pytest


@pytest.fixture
def plan(as_user):
    response = as_user("dieuphoi").post("/api/v1/plans", json={"template": "qng-249-kh-bcd138",
                                                               "parameters": {"relevant_units": ["QNG-STTTT"]}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def ask(as_user, plan, username="dieuphoi", **body):
    request = {"agencies": ["QNG-CA", "QNG-STTTT"], "due": "2022-06-20",
               "subject": "Báo cáo tình hình tin giả trên mạng xã hội", "content": "Số vụ việc, biện pháp xử lý."}
    return as_user(username).post(f"/api/v1/plans/{plan['id']}/report-requests", json={**request, **body})


def worklist(as_user, username, plan):
    page = as_user(username).get(f"/api/v1/tasks?plan={plan['id']}&per_page=200").get_json()
    return [task for task in page["tasks"] if task["item_number"] == "ĐX.1"]


def test_an_ad_hoc_request_reaches_exactly_the_chosen_agencies(as_user, plan):
    response = ask(as_user, plan)
    assert response.status_code == 201, response.get_json()
    asked = response.get_json()
    assert asked["item_number"] == "ĐX.1" and asked["due_at"] == "2022-06-20T23:59:59+07:00"
    assert asked["missing"] == ["QNG-CA", "QNG-STTTT"]
    assert [len(worklist(as_user, name, plan)) for name in ("congan", "stttt", "sgddt", "binhson")] == [1, 1, 0, 0]
    task = worklist(as_user, "congan", plan)[0]
    assert task["due_at"] == "2022-06-20T23:59:59+07:00"

    shown = as_user("dieuphoi").get(f"/api/v1/plans/{plan['id']}").get_json()
    item = next(item for item in shown["items"] if item["number"] == "ĐX.1")
    assert item["performers"] == ["QNG-CA", "QNG-STTTT"] and item["status"] == "in_progress"
    assert item["title"] == "Báo cáo tình hình tin giả trên mạng xã hội"


def test_a_submitted_ad_hoc_report_leaves_only_the_agency_still_missing(as_user, plan):
    ask(as_user, plan)
    task = worklist(as_user, "congan", plan)[0]
    done = as_user("congan").post(f"/api/v1/tasks/{task['id']}/complete",
                                  json={"data": {"summary": "03 vụ việc, đã xử lý 02"}})
    assert done.status_code == 200, done.get_json()
    view = as_user("dieuphoi").get(f"/api/v1/plans/{plan['id']}/reporting").get_json()
    request = view["ad_hoc"][0]
    assert request["missing"] == ["QNG-STTTT"]
    assert [(s["agency"], s["status"], s["on_time"]) for s in request["submissions"]] == [
        ("QNG-CA", "submitted", True), ("QNG-STTTT", "missing", None)]
    assert view["regime"]["to"] == "QNG-CA" and view["regime"]["ad_hoc"] is True

    review = worklist(as_user, "pheduyet", plan)[0]  # the standing body reviews what came in
    decided = as_user("pheduyet").post(f"/api/v1/tasks/{review['id']}/complete", json={"data": {"approved": True}})
    assert decided.status_code == 200, decided.get_json()
    request = as_user("dieuphoi").get(f"/api/v1/plans/{plan['id']}/reporting").get_json()["ad_hoc"][0]
    assert [s["status"] for s in request["submissions"]] == ["approved", "missing"]


def test_a_second_request_is_numbered_after_the_first(as_user, plan):
    ask(as_user, plan)
    second = ask(as_user, plan, agencies=["QNG-SGDDT"], subject="Báo cáo nhanh")
    assert second.get_json()["item_number"] == "ĐX.2"
    assert [len(worklist(as_user, "sgddt", plan))] == [0]  # ĐX.2 is not ĐX.1


@pytest.mark.parametrize("body, field", [
    ({"agencies": []}, "agencies"),
    ({"agencies": ["QNG-NOPE"]}, "agencies"),
    ({"agencies": ["TGG-CA"]}, "agencies"),  # an agency of Tiền Giang, not of Quảng Ngãi
    ({"due": "2022-05-01"}, "due"),  # passed already (the clock reads 1 June 2022)
    ({"due": "2022-06-31"}, "due"),
    ({"due": "2030-01-01"}, "due"),
    ({"subject": ""}, "subject"),
])
def test_a_request_that_cannot_be_sent_is_refused_at_its_field(as_user, plan, body, field):
    response = ask(as_user, plan, **body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]
    assert worklist(as_user, "congan", plan) == []  # nothing was asked


def test_only_coordinators_ask_for_ad_hoc_reports(as_user, plan):
    for username in ("congan", "pheduyet", "kiemtra"):
        assert ask(as_user, plan, username=username).status_code == 403
    assert worklist(as_user, "congan", plan) == []


def test_the_reporting_view_of_a_plan_with_no_periodic_report_says_so(as_user, plan):
    view = as_user("congan").get(f"/api/v1/plans/{plan['id']}/reporting").get_json()
    assert view["periods"] == [] and view["regime"]["periodic"] == []
    assert view["regime"]["submission"] == {"working_days": 5} and view["regime"]["submission_is_default"]


def test_the_dashboard_serves_the_counts_as_json(as_user, plan):
    board = as_user("congan").get(f"/api/v1/plans/{plan['id']}/dashboard")
    assert board.status_code == 200, board.get_json()
    body = board.get_json()
    assert set(body["counts"]) == {"done_on_time", "done_late", "in_progress", "report_late", "overdue", "due_soon",
                                   "not_yet_due", "total"}
    assert body["counts"]["total"] == sum(agency["counts"]["total"] for agency in body["by_agency"])
    assert body["weeks"][0]["start"] == "2022-05-30"  # launched on 1 June 2022, a Wednesday
    province = as_user("dieuphoi").get("/api/v1/dashboard").get_json()
    assert [entry["symbol"] for entry in province["plans"]] == [plan["symbol"]]
    assert province["province"] == "QNG"
