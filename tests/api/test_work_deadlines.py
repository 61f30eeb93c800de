"""Contributions and approvals carry deadlines over HTTP, and the plan page's matrix shows the agencies that
only coordinate."""
from __future__ import annotations

from engine.model.clock import parse_instant


def launch(as_user) -> dict:
    response = as_user("dieuphoi").post("/api/v1/plans", json={"template": "qng-249-kh-bcd138",
                                                               "parameters": {"relevant_units": ["QNG-STTTT"]}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def tasks_of(as_user, username: str, plan: dict, number: str) -> list[dict]:
    page = as_user(username).get(f"/api/v1/tasks?plan={plan['id']}&per_page=200").get_json()
    return [task for task in page["tasks"] if task["item_number"] == number]


def test_a_contribution_and_an_approval_come_with_their_deadlines(as_user, clock):
    plan = launch(as_user)
    [contribution] = tasks_of(as_user, "stttt", plan, "4")
    assert contribution["due_at"] == "2022-09-27T23:59:59+07:00"  # 3 working days before 30 September
    clock.set(parse_instant("2022-09-19T15:00+07:00"))
    [report] = tasks_of(as_user, "congan", plan, "4")
    done = as_user("congan").post(f"/api/v1/tasks/{report['id']}/complete", json={"data": {"summary": "Xong"}})
    assert done.status_code == 200, done.get_json()
    [review] = tasks_of(as_user, "pheduyet", plan, "4")
    assert review["due_at"] == "2022-09-26T23:59:59+07:00"  # 5 working days from Monday 19 September


def test_the_matrix_has_a_row_for_an_agency_that_only_coordinates(as_user, clock):
    plan = launch(as_user)
    clock.set(parse_instant("2022-08-01T08:00+07:00"))
    client = as_user("dieuphoi", session=True)
    client.headers.pop("Accept-Language", None)
    page = client.get(f"/plans/{plan['id']}").get_data(as_text=True)
    matrix = page[page.index('<table class="matrix">'):]
    row = matrix[matrix.index('<th scope="row">Đài Phát thanh và Truyền hình Quảng Ngãi</th>'):]
    row = row[:row.index("</tr>")]
    assert '<td class="late"><span class="sr-only">quá hạn chưa hoàn thành</span>' in row
