"""Worklists carry what a person scans for, and filter and sort the way they ask; plan lists page."""
import pytest

from .conftest import Client

#: Công an tỉnh's open tasks in plan 249 on 1 June 2022: it leads 4–7 and, as a department, owes its own
#: plan for IV.3; its continuous duties (1, 2, 3) ask for nothing before their first reporting cut-off.
ITEMS_OF_CONG_AN = {"4", "5", "6", "7", "IV.3"}


@pytest.fixture
def plan_249(as_user):
    response = as_user("dieuphoi").post("/api/v1/plans", json={
        "template": "qng-249-kh-bcd138", "parameters": {"relevant_units": ["QNG-STTTT"]},
        "idempotency_key": "qng-249-worklists"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def worklist(client: Client, query: str = "") -> dict:
    response = client.get(f"/api/v1/tasks?per_page=200&{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_row_says_which_plan_and_item_who_leads_and_how_the_deadline_stands(as_user, plan_249):
    rows = worklist(as_user("congan"), f"plan={plan_249['id']}")["tasks"]
    item_4 = next(row for row in rows if row["item_number"] == "4")
    assert item_4["plan_symbol"] == "249/KH-BCD138" and item_4["plan_id"] == plan_249["id"]
    assert item_4["item_title"].startswith("Xây dựng và nhân rộng các mô hình")
    assert item_4["lead_agency"] == "QNG-CA" and item_4["claimed_by"] is None
    assert item_4["due_at"] == "2022-09-30T23:59:59+07:00"
    assert item_4["deadline_status"] == "not_yet_due"  # the test clock reads 1 June 2022; item 4 is September's
    assert {row["item_number"] for row in rows} == ITEMS_OF_CONG_AN


def test_rows_come_soonest_due_first_or_by_plan(as_user, plan_249):
    rows = worklist(as_user("congan"))["tasks"]
    dues = [row["due_at"] for row in rows if row["due_at"]]
    assert dues == sorted(dues) and len(dues) > 3
    by_plan = worklist(as_user("congan"), "sort=plan")["tasks"]
    assert {row["id"] for row in by_plan} == {row["id"] for row in rows}
    numbers = [row["item_number"] for row in by_plan]
    assert numbers == ["4", "5", "6", "7", "IV.3"]  # the plan's order, not the deadlines' (6 is due first)


def test_an_unknown_sort_is_refused(as_user):
    response = as_user("congan").get("/api/v1/tasks?sort=random")
    assert response.status_code == 422 and "sort" in response.get_json()["errors"]


def test_a_due_window_of_plain_days_means_those_local_days(as_user, plan_249):
    september = worklist(as_user("congan"), "due_after=2022-09-01&due_before=2022-09-30")["tasks"]
    assert [row["item_number"] for row in september] == ["4"]
    assert september[0]["due_at"] == "2022-09-30T23:59:59+07:00"  # the last second of the day is inside it


def test_text_search_ignores_case_and_diacritics(as_user, plan_249):
    rows = worklist(as_user("congan"), "q=HOI THAO chuyen de")["tasks"]
    assert [row["item_number"] for row in rows] == ["6"]
    assert [row["item_number"] for row in worklist(as_user("congan"), "q=Hội thảo")["tasks"]] == ["6"]
    assert worklist(as_user("congan"), "q=249/KH-BCD138")["total"] == worklist(as_user("congan"))["total"]
    assert worklist(as_user("congan"), "q=không có việc nào như thế")["total"] == 0


def test_those_who_see_every_agency_filter_by_one_and_members_see_only_their_own(as_user, plan_249):
    coordinator = worklist(as_user("dieuphoi"), "agency=QNG-STTTT")["tasks"]
    assert coordinator and {row["assigned_agency"] for row in coordinator} == {"QNG-STTTT"}
    refused = as_user("congan").get("/api/v1/tasks?agency=QNG-STTTT")
    assert refused.status_code == 403 and "QNG-CA" in refused.get_json()["detail"]
    assert worklist(as_user("congan"), "agency=QNG-CA")["total"] == worklist(as_user("congan"))["total"]


def test_plans_page_like_tasks_with_their_total(as_user, plan_249):
    coordinator = as_user("dieuphoi")
    second = coordinator.post("/api/v1/plans", json={"template": "qng-ke-hoach-trien-khai", "parameters": {
        "issuer": ["QNG-STTTT"], "number": "45"}, "idempotency_key": "qng-45-worklists"}).get_json()
    page = coordinator.get("/api/v1/plans?per_page=1").get_json()
    assert (page["total"], page["page"], page["per_page"]) == (2, 1, 1)
    assert [plan["id"] for plan in page["plans"]] == [second["id"]]
    assert [plan["id"] for plan in coordinator.get("/api/v1/plans?per_page=1&page=2").get_json()["plans"]] == [
        plan_249["id"]]
