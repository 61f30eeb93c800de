"""A worklist as people scan it: searched, filtered by what needs them (approvals waiting, reports returned,
overdue, due soon), by plan and agency, and paged; an approver's approvals first; and nobody is listed an
approval the four-eyes rule forbids them: in the API and on the page."""
from __future__ import annotations

import pytest

from engine.model.actors import SYSTEM
from engine.model.clock import parse_instant
from engine.services import users

from .conftest import PASSWORD, Client

FLAGS = ("awaiting_approval", "returned", "overdue", "due_soon")


def worklist(client: Client, query: str = "") -> dict:
    response = client.get(f"/api/v1/tasks?per_page=200&{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def open_task(watcher: Client, plan_id: int, item: dict, lane: str) -> str:
    """The open task of ``item`` in ``lane``, found by one who watches every agency's work."""
    instance = item["instances"][0]["id"]
    rows = worklist(watcher, f"plan={plan_id}")["tasks"]
    return next(row["id"] for row in rows if row["instance_id"] == instance and row["lane"] == lane)


def complete(client: Client, task_id: str, data: dict) -> None:
    response = client.post(f"/api/v1/tasks/{task_id}/complete", json={"data": data})
    assert response.status_code == 200, response.get_json()


@pytest.fixture
def reviewed(app, as_user, clock):
    """Plan 249 launched on 1 June 2022; Công an tỉnh reported item 4 (its approval waits), reported item 5 and
    had it returned, and its officer who is also an approver ("hai_vai") reported item 6 himself."""
    from frontdoor.context import unit_of_work
    with app.app_context():
        users.add_user(unit_of_work(), clock, SYSTEM, "hai_vai", PASSWORD, ["agency_member", "approver"], "QNG-CA")
    coordinator, lead, approver = as_user("dieuphoi"), as_user("congan"), as_user("pheduyet")
    launched = coordinator.post("/api/v1/plans", json={
        "template": "qng-249-kh-bcd138", "parameters": {"relevant_units": ["QNG-STTTT"]},
        "idempotency_key": "qng-249-worklist-filters"})
    assert launched.status_code == 201, launched.get_json()
    plan = launched.get_json()
    items = {item["number"]: item for item in plan["items"]}
    complete(lead, open_task(coordinator, plan["id"], items["4"], "lead"), {"summary": "Đã tổ chức tọa đàm"})
    complete(lead, open_task(coordinator, plan["id"], items["5"], "lead"), {"summary": "Đã bố trí cán bộ"})
    complete(approver, open_task(coordinator, plan["id"], items["5"], "standing_body"),
             {"approved": False, "return_reason": "Nêu rõ nguồn kinh phí"})
    both = as_user("hai_vai", session=True)
    complete(both, open_task(coordinator, plan["id"], items["6"], "lead"), {"summary": "Tự báo cáo hội thảo"})
    return {"plan": plan, "items": items, "both": both,
            "approval_6": open_task(coordinator, plan["id"], items["6"], "standing_body")}


def numbers(rows: list[dict]) -> list[str]:
    return [row["item_number"] for row in rows]


def test_an_approver_sees_the_approvals_first_each_marked(as_user, reviewed):
    page = worklist(as_user("pheduyet"), f"plan={reviewed['plan']['id']}")
    assert page["approvals_first"] is True
    marks = [row["mark"] for row in page["tasks"]]
    assert marks[:2] == ["awaiting_approval", "awaiting_approval"] and "awaiting_approval" not in marks[2:]
    assert sorted(numbers(page["tasks"][:2])) == ["4", "6"]
    assert page["tasks"][0]["mark_label"] == "awaiting approval"
    assert {"5": "returned"}.items() <= {row["item_number"]: row["mark"] for row in page["tasks"]}.items()


def test_an_officer_who_is_no_approver_is_not_listed_the_approvals(as_user, reviewed):
    page = worklist(as_user("congan"), f"plan={reviewed['plan']['id']}")
    assert page["approvals_first"] is False
    assert all(row["lane"] != "standing_body" for row in page["tasks"])
    assert worklist(as_user("congan"), "flag=awaiting_approval")["total"] == 0
    returned = worklist(as_user("congan"), "flag=returned")["tasks"]
    assert numbers(returned) == ["5"] and returned[0]["mark"] == "returned"
    assert returned[0]["mark_label"] == "returned for rework"


def test_nobody_is_listed_an_approval_of_a_report_they_submitted(as_user, reviewed):
    both = reviewed["both"]
    listed = {row["id"] for row in worklist(both, f"plan={reviewed['plan']['id']}")["tasks"]}
    assert reviewed["approval_6"] not in listed
    assert numbers(worklist(both, "flag=awaiting_approval")["tasks"]) == ["4"]  # Công an's report, not his
    # … and the rule is real: deciding it is refused; the other approver, who did not submit it, sees and decides it
    assert both.post(f"/api/v1/tasks/{reviewed['approval_6']}/complete",
                     json={"data": {"approved": True}}).status_code == 403
    assert reviewed["approval_6"] in {row["id"] for row in worklist(as_user("pheduyet"), "flag=awaiting_approval")[
        "tasks"]}


def test_nobody_is_shown_on_the_page_an_approval_they_may_not_take(as_user, reviewed):
    html = reviewed["both"].get("/work").get_data(as_text=True)
    assert "Chờ tôi phê duyệt" in html and reviewed["approval_6"] not in html
    assert f"/tasks/{reviewed['approval_6']}" in as_user("pheduyet", session=True).get("/work").get_data(as_text=True)
    officer = as_user("congan", session=True).get("/work").get_data(as_text=True)
    assert "Chờ tôi phê duyệt" not in officer and reviewed["approval_6"] not in officer


def test_a_watcher_sees_every_approval_marked_but_none_as_their_own(as_user, reviewed):
    page = worklist(as_user("dieuphoi"), "flag=awaiting_approval")
    assert page["approvals_first"] is False
    assert sorted(numbers(page["tasks"])) == ["4", "6"]
    assert {row["assigned_agency"] for row in page["tasks"]} == {"QNG-CA"}


@pytest.mark.parametrize("day", ["2022-10-27T08:00+07:00", "2022-11-02T08:00+07:00", "2022-12-28T08:00+07:00"])
def test_overdue_and_due_soon_list_exactly_the_rows_so_marked(as_user, reviewed, clock, day):
    clock.set(parse_instant(day))
    everyone = worklist(as_user("dieuphoi"))["tasks"]
    for flag in ("overdue", "due_soon"):
        expected = {row["id"] for row in everyone if row["deadline_status"] == flag}
        assert {row["id"] for row in worklist(as_user("dieuphoi"), f"flag={flag}")["tasks"]} == expected, flag
    assert any(row["deadline_status"] in ("overdue", "due_soon") for row in everyone)


def test_due_soon_counts_working_days(as_user, reviewed, clock):
    """Item 5's report is due on Monday 31 October 2022: on Wednesday 26 October three working days are left (due
    soon), on Tuesday 25 October four (not yet); on 1 November it is overdue."""
    def item_5(flag: str) -> bool:
        return "5" in numbers(worklist(as_user("congan"), f"flag={flag}")["tasks"])
    clock.set(parse_instant("2022-10-26T08:00+07:00"))
    assert item_5("due_soon") and not item_5("overdue")
    clock.set(parse_instant("2022-10-25T08:00+07:00"))
    assert not item_5("due_soon")
    clock.set(parse_instant("2022-11-01T08:00+07:00"))
    assert item_5("overdue") and not item_5("due_soon")


def test_filters_combine_with_search_plan_and_agency(as_user, reviewed):
    coordinator = as_user("dieuphoi")
    plan = reviewed["plan"]["id"]
    assert numbers(worklist(coordinator, f"flag=returned&plan={plan}&agency=QNG-CA&q=NGUON LUC")["tasks"]) == ["5"]
    assert worklist(coordinator, f"flag=returned&plan={plan}&agency=QNG-STTTT")["total"] == 0
    assert worklist(coordinator, "flag=returned&q=hội thảo")["total"] == 0  # item 6 is not returned
    assert worklist(coordinator, "flag=awaiting_approval&q=hội thảo")["total"] == 1


def test_an_unknown_flag_is_refused_naming_the_field(as_user):
    response = as_user("congan").get("/api/v1/tasks?flag=urgent")
    assert response.status_code == 422 and "flag" in response.get_json()["errors"]


def test_pages_cover_every_row_once_in_order(as_user, reviewed):
    coordinator = as_user("dieuphoi")
    whole = worklist(coordinator)
    seen = []
    for number in range(1, 100):
        page = coordinator.get(f"/api/v1/tasks?per_page=7&page={number}").get_json()
        assert page["pages"] == -(-whole["total"] // 7)
        if not page["tasks"]:
            break
        seen += [row["id"] for row in page["tasks"]]
    assert seen == [row["id"] for row in whole["tasks"]] and len(seen) == whole["total"] > 7


def test_the_openapi_document_names_the_flag_and_the_mark(as_user):
    document = as_user("congan").get("/api/v1/openapi.json").get_json()
    parameters = {parameter["name"]: parameter for parameter in document["paths"]["/api/v1/tasks"]["get"]["parameters"]}
    assert parameters["flag"]["schema"]["enum"] == list(FLAGS)
    assert {"q", "status", "plan", "agency", "page", "per_page"} <= set(parameters)


def test_the_task_page_offers_no_form_to_whoever_may_not_take_it_and_says_why(as_user, reviewed):
    approval = reviewed["approval_6"]
    refused = reviewed["both"].get(f"/tasks/{approval}").get_data(as_text=True)
    assert 'id="task-form"' not in refused and "theo nguyên tắc bốn mắt" in refused
    assert 'id="task-form"' in as_user("pheduyet", session=True).get(f"/tasks/{approval}").get_data(as_text=True)
    watched = as_user("dieuphoi", session=True).get(f"/tasks/{approval}").get_data(as_text=True)
    assert 'id="task-form"' not in watched
    detail = reviewed["both"].get(f"/api/v1/tasks/{approval}").get_json()
    assert detail["may_act"] is False and "four-eyes" in detail["refusal"]
    assert as_user("pheduyet").get(f"/api/v1/tasks/{approval}").get_json()["may_act"] is True
