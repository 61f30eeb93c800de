"""Who is told what as plan 249's item 4 moves: the coordinating agency of its contribution, the approver of a
result to approve, the lead of a result returned (with the reason); each person's inbox page, its bell, the
notice leading to its task; mail at once, in the digest or not at all, as each person chose."""
import re

from engine.services import digests

from .test_review_loop import item_4, launch_249, task_of  # noqa: F401 - the fixture is used by name
from .test_web_pages import page_client


def kinds(client, **query) -> list[tuple[str, str]]:
    inbox = client.get("/api/v1/notifications", query_string=query).get_json()
    return [(notice["kind"], notice["text"]) for notice in inbox["notifications"]]


def test_each_step_tells_the_people_of_the_next(as_user, item_4):  # noqa: F811
    plan_id, instance = item_4["plan"], item_4["instance"]
    partner, approver, lead = (as_user(name, language=None) for name in ("stttt", "pheduyet", "congan"))
    asked = [text for kind, text in kinds(partner) if kind == "contribution"]
    assert any(text.startswith("Đề nghị Sở TT&TT phối hợp:") and "nội dung 4" in text
               and "cơ quan chủ trì: Công an tỉnh" in text for text in asked), asked
    waiting = [text for kind, text in kinds(approver) if kind == "approval"]
    assert len(waiting) == 1 and waiting[0].startswith("Chờ phê duyệt: ") and "nội dung 4, do Công an tỉnh gửi" \
        in waiting[0]

    review = task_of(approver, plan_id, instance, "standing_body")
    assert approver.post(f"/api/v1/tasks/{review['id']}/complete", json={"data": {
        "approved": False, "return_reason": "Thiếu danh sách đơn vị tham gia"}}).status_code == 200
    returned = [text for kind, text in kinds(lead) if kind == "returned"]
    assert returned == ["Bị trả lại để làm lại: 'Thực hiện nội dung và báo cáo kết quả' thuộc kế hoạch "
                        "249/KH-BCD138, nội dung 4. Lý do: Thiếu danh sách đơn vị tham gia"]
    # The person who acted is not told of the step they took; the lead's notice leads to the new round's task.
    assert not any(kind == "returned" for kind, _ in kinds(approver))
    redo = task_of(lead, plan_id, instance, "lead")
    inbox = lead.get("/api/v1/notifications").get_json()["notifications"]
    assert next(notice for notice in inbox if notice["kind"] == "returned")["task_id"] == redo["id"]


def test_the_bell_counts_the_unread_and_a_notice_leads_to_its_task(as_user, item_4):  # noqa: F811
    plan_id, instance = item_4["plan"], item_4["instance"]
    page = page_client(as_user, "pheduyet")
    unread = page.get("/api/v1/notifications?unread=true").get_json()["total"]
    assert unread >= 1
    home = page.get("/work").get_data(as_text=True)
    assert 'class="bell"' in home and f'<span class="count">{unread}</span>' in home
    assert f"{unread} thông báo chưa đọc" in home
    listing = page.get("/notices").get_data(as_text=True)
    assert "Chờ phê duyệt: " in listing and "Thư điện tử" in listing and "Đánh dấu tất cả đã đọc" in listing
    approval = next(notice for notice in page.get("/api/v1/notifications").get_json()["notifications"]
                    if notice["kind"] == "approval")
    token = page.csrf
    opened = page.http.post(f"/notices/{approval['id']}/open", data={"csrf_token": token},
                            base_url="https://localhost")
    assert opened.status_code == 302 and opened.headers["Location"] == f"/tasks/{approval['task_id']}"
    assert page.get("/api/v1/notifications?unread=true").get_json()["total"] == unread - 1
    # Another person's notice is not theirs to open: the same answer as a notice that does not exist.
    other = page_client(as_user, "congan")
    assert other.http.post(f"/notices/{approval['id']}/open", data={"csrf_token": other.csrf},
                           base_url="https://localhost").status_code == 404
    read_all = page.http.post("/notices/read", data={"csrf_token": token}, base_url="https://localhost")
    assert read_all.status_code == 302 and "marked=" in read_all.headers["Location"]
    assert page.get("/api/v1/notifications?unread=true").get_json()["total"] == 0
    assert 'class="count"' not in page.get("/work").get_data(as_text=True)


def test_each_person_chooses_how_each_kind_comes_by_mail(app, as_user, clock):
    from frontdoor.context import unit_of_work
    lead = as_user("congan", language=None)
    settings = lead.get("/api/v1/notifications/mail").get_json()
    assert settings["address"] == "congan@planflow.example"
    modes = {choice["kind"]: choice["mail"] for choice in settings["choices"]}
    assert modes["returned"] == "immediate" and modes["assigned"] == "digest"
    refused = lead.send("put", "/api/v1/notifications/mail", json={"choices": {"returned": "sometimes"}})
    assert refused.status_code == 422 and "không phải là cách gửi thư" in refused.get_json()["detail"]
    assert lead.send("put", "/api/v1/notifications/mail", json={"choices": {"bogus": "digest"}}).status_code == 422
    chosen = lead.send("put", "/api/v1/notifications/mail", json={"choices": {"assigned": "none", "overdue": "digest"}})
    assert chosen.status_code == 200
    after = {choice["kind"]: (choice["mail"], choice["chosen"]) for choice in chosen.get_json()["choices"]}
    assert after["assigned"] == ("none", True) and after["overdue"] == ("digest", True)
    assert after["returned"] == ("immediate", False)

    launch_249(as_user("dieuphoi"), key="qng-249-mail-choices")
    with app.app_context():
        uow = unit_of_work()
    with uow:
        mine = [row for row in uow.notifications.inbox("congan", False, 100, 0) if row.kind == "assigned"]
        others = [row for row in uow.notifications.inbox("pheduyet", False, 100, 0) if row.kind == "assigned"]
        queued = [mail.to_address for mail in uow.outbox.all()]
    assert mine and all(row.mail is None for row in mine)  # in the inbox, never mailed
    assert others and all(row.mail == "digest" for row in others)
    assert "congan@planflow.example" not in queued
    clock.advance(days=1)
    assert digests.send_digests(uow, clock) >= 1
    with uow:
        assert not [mail for mail in uow.outbox.all() if mail.to_address == "congan@planflow.example"]
        assert [mail for mail in uow.outbox.all() if mail.to_address == "pheduyet@planflow.example"]


def test_the_inbox_page_saves_mail_choices(as_user):
    page = page_client(as_user, "stttt")
    listing = page.get("/notices").get_data(as_text=True)
    assert re.search(r'name="mail-assigned">\s*<option value="immediate" >[^<]+</option><option value="digest" '
                     r'selected>gộp vào thư tổng hợp hằng ngày<', listing)
    saved = page.http.post("/notices/mail", data={"csrf_token": page.csrf, "mail-assigned": "immediate"},
                           base_url="https://localhost")
    assert saved.status_code == 302
    assert re.search(r'name="mail-assigned">\s*<option value="immediate" selected>gửi ngay<',
                     page.get("/notices").get_data(as_text=True))
    assert page.http.post("/notices/mail", data={"csrf_token": page.csrf, "mail-assigned": "often"},
                          base_url="https://localhost").status_code == 422
