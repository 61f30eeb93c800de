"""The everyday actions of a task's page, driven through its forms as a browser sends them: each offered only
to whom may take it, each said back on the page, each refusal shown above its form in Vietnamese."""
from __future__ import annotations

import re

from .test_colleagues import item_4  # noqa: F401  (plan 249 launched, item 4's lead task and contributions)
from .test_web_pages import page_client


def page(client, task_id: str) -> str:
    response = client.get(f"/tasks/{task_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def post(client, url: str, **form):
    return client.post(url, data={"csrf_token": client.csrf, **form})


def said(client, response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_officer_takes_a_task_gives_it_back_and_hands_it_to_a_colleague(as_user, item_4):  # noqa: F811
    officer, task = page_client(as_user, "congan"), item_4["lead"]["id"]
    html = page(officer, task)
    assert "Nhận xử lý" in html and "Trả lại cho cơ quan" not in html
    html = said(officer, post(officer, f"/tasks/{task}/claim"))
    assert "Bạn đã nhận xử lý nhiệm vụ" in html and "Đang do congan xử lý" in html
    assert "Trả lại cho cơ quan" in html and "Nhận xử lý</button>" not in html
    html = said(officer, post(officer, f"/tasks/{task}/unclaim"))
    assert "Nhiệm vụ đã trở lại danh sách việc của cơ quan." in html and "Đang do" not in html
    assert re.search(r'<option value="pheduyet"[^>]*>Lãnh đạo Công an tỉnh', html)  # the colleagues to hand to
    refused = post(officer, f"/tasks/{task}/hand-over", to="kiemtra")
    assert refused.status_code == 422
    assert "kiemtra không thể xử lý nhiệm vụ này" in refused.get_data(as_text=True)
    html = said(officer, post(officer, f"/tasks/{task}/hand-over", to="pheduyet"))
    assert "Đã chuyển nhiệm vụ." in html and "Đang do pheduyet xử lý" in html
    assert "Nhận xử lý</button>" not in html  # held by a colleague: nothing left for congan to take


def test_nobody_is_offered_what_they_may_not_do(as_user, item_4):  # noqa: F811
    task = item_4["lead"]["id"]
    auditor = page(page_client(as_user, "kiemtra"), task)
    assert not any(words in auditor for words in ("Nhận xử lý", "Xin gia hạn", "Nhắc Sở", "Miễn ý kiến"))
    partner = page(page_client(as_user, "stttt"), item_4["contributions"]["QNG-STTTT"]["id"])
    assert "Nhắc Sở GD" not in partner and "Miễn ý kiến phối hợp" not in partner  # a fellow partner
    coordinator = page(page_client(as_user, "dieuphoi"), task)
    assert "Miễn ý kiến phối hợp của" in coordinator and "Nhắc Sở" in coordinator
    assert "Nhận xử lý" not in coordinator  # coordinators watch the agencies' work, they do not do it
    lead = page(page_client(as_user, "congan"), task)
    assert "Nhắc Sở" in lead and "Miễn ý kiến phối hợp của" not in lead
    assert as_user("kiemtra", session=True).post(f"/tasks/{task}/claim",
                                                 data={"csrf_token": "x"}).status_code in (400, 403)


def test_an_extension_is_asked_and_granted_from_the_pages(as_user, item_4):  # noqa: F811
    officer, approver, task = page_client(as_user, "congan"), page_client(as_user, "pheduyet"), item_4["lead"]["id"]
    refused = post(officer, f"/tasks/{task}/extension", until="2022-10-20", reason=" ")
    assert refused.status_code == 422 and "hãy nêu lý do" in refused.get_data(as_text=True).lower()
    html = said(officer, post(officer, f"/tasks/{task}/extension", until="2023-01-15",
                              reason="Chờ số liệu của các huyện"))
    assert "Đề nghị gia hạn của bạn đã được gửi cơ quan thường trực." in html
    assert "Chờ số liệu của các huyện" in html and "Gửi đề nghị" not in html  # one request waits at a time
    assert "Đồng ý gia hạn" not in html  # who asked does not decide
    review = page(approver, task)
    assert "Quyết định về đề nghị gia hạn" in review
    too_far = post(approver, f"/tasks/{task}/extension/{_request_id(review)}", decision="grant", until="2023-02-01")
    assert too_far.status_code == 422 and "không muộn hơn" in too_far.get_data(as_text=True)
    html = said(approver, post(approver, f"/tasks/{task}/extension/{_request_id(review)}", decision="grant",
                               until="2022-12-31"))
    assert "Đã đồng ý gia hạn: thời hạn đã được lùi." in html and "31/12/2022" in html
    detail = as_user("congan").get(f"/api/v1/tasks/{task}").get_json()
    assert detail["due_at"].startswith("2022-12-31T23:59:59")
    assert "Xin gia hạn" in page(officer, task)  # decided: another may be asked


def test_an_extension_is_refused_with_a_reason_and_the_agency_is_told(as_user, item_4):  # noqa: F811
    officer, coordinator, task = page_client(as_user, "congan"), page_client(as_user, "dieuphoi"), item_4["lead"]["id"]
    said(officer, post(officer, f"/tasks/{task}/extension", until="2023-01-15", reason="Thiếu kinh phí"))
    review = page(coordinator, task)
    without_reason = post(coordinator, f"/tasks/{task}/extension/{_request_id(review)}", decision="refuse")
    assert without_reason.status_code == 422
    html = said(coordinator, post(coordinator, f"/tasks/{task}/extension/{_request_id(review)}", decision="refuse",
                                  reason="Đề nghị hoàn thành đúng hạn"))
    assert "Đã không đồng ý gia hạn" in html and "Đề nghị hoàn thành đúng hạn" in html
    told = as_user("congan").get("/api/v1/notifications").get_json()["notifications"]
    assert told[0]["kind"] == "extension_refused"


def test_the_lead_reminds_and_the_coordinator_waives_a_silent_partner(as_user, item_4):  # noqa: F811
    lead, coordinator, task = page_client(as_user, "congan"), page_client(as_user, "dieuphoi"), item_4["lead"]["id"]
    owed = item_4["contributions"]["QNG-SGDDT"]["id"]
    empty = post(lead, f"/tasks/{task}/contributions/{owed}/remind", reason="")
    assert empty.status_code == 422 and "hãy ghi nội dung nhắc" in empty.get_data(as_text=True)
    html = said(lead, post(lead, f"/tasks/{task}/contributions/{owed}/remind", reason="Đề nghị gửi ý kiến trước 20/9"))
    assert "Đã nhắc cơ quan; cán bộ của cơ quan đã nhận được thông báo." in html
    [notice] = [n for n in as_user("sgddt").get("/api/v1/notifications").get_json()["notifications"]
                if n["kind"] == "coordinating_reminded"]
    assert "Đề nghị gửi ý kiến trước 20/9" in notice["text"] and notice["task_id"] == owed
    html = said(coordinator, post(coordinator, f"/tasks/{task}/contributions/{owed}/waive",
                                  reason="Sở GD&ĐT không có nội dung liên quan"))
    assert "Đã miễn ý kiến phối hợp" in html
    history = as_user("kiemtra").get(f"/api/v1/instances/{item_4['instance']}/history").get_json()
    assert {e["action"]: e["data"]["reason"] for e in history if e["action"] in ("task.reminded", "task.waived")} == {
        "task.reminded": "Đề nghị gửi ý kiến trước 20/9", "task.waived": "Sở GD&ĐT không có nội dung liên quan"}


def _request_id(html: str) -> str:
    return re.search(r'action="/tasks/[^/"]+/extension/(\d+)"', html).group(1)



def test_the_extensions_page_lists_the_waiting_requests_for_those_who_decide(as_user, item_4):  # noqa: F811
    officer, approver, task = page_client(as_user, "congan"), page_client(as_user, "pheduyet"), item_4["lead"]["id"]
    said(officer, post(officer, f"/tasks/{task}/extension", until="2023-01-15", reason="Chờ số liệu các huyện"))
    waiting = approver.get("/extensions").get_data(as_text=True)
    rows = waiting.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr") == 1 and "Chờ số liệu các huyện" in rows and "30/09/2022 → 15/01/2023" in rows
    assert f'href="/tasks/{task}#actions"' in rows and "đang chờ quyết định" in rows
    assert "Không có đề nghị gia hạn nào." in approver.get("/extensions?status=granted").get_data(as_text=True)
    assert "Chờ số liệu các huyện" not in page_client(as_user, "stttt").get("/extensions?status=all").get_data(
        as_text=True)  # another agency's request


def test_the_instance_page_leads_to_each_open_step(as_user, item_4):  # noqa: F811
    html = page_client(as_user, "dieuphoi").get(f"/instances/{item_4['instance']}").get_data(as_text=True)
    steps = html.split('id="open-title"')[1].split("</section>")[0]
    assert f'href="/tasks/{item_4["lead"]["id"]}"' in steps
    assert all(f'href="/tasks/{task["id"]}"' in steps for task in item_4["contributions"].values())
