"""The inbox: what the worker's deadline round told a person, in their language, marked read one by one."""
from engine.model.clock import parse_instant
from engine.services import reminders


def test_a_reminder_reaches_the_inbox_and_is_marked_read(app, as_user, clock):
    from frontdoor.context import unit_of_work
    coordinator = as_user("dieuphoi")
    assert coordinator.post("/api/v1/plans", json={"template": "qng-249-kh-bcd138",
                                                    "idempotency_key": "qng-249-inbox"}).status_code == 201
    clock.set(parse_instant("2022-09-27T08:00+07:00"))
    with app.app_context():
        assert reminders.send_reminders(unit_of_work(), clock)["before"] == 1

    inbox = as_user("congan", language=None).get("/api/v1/notifications").get_json()
    # The five items Công an tỉnh leads, given at the launch; then item 4's reminder, and item 6, due in July,
    # overdue.
    assert (inbox["total"], inbox["unread"]) == (7, 7)
    assert sorted(notice["kind"] for notice in inbox["notifications"]) == ["assigned"] * 5 + ["before", "overdue"]
    reminder = next(notice for notice in inbox["notifications"] if notice["kind"] == "before")
    assert reminder["text"].startswith("Nhắc việc: 'Thực hiện nội dung và báo cáo kết quả' thuộc kế hoạch 249/KH")
    assert "30/09/2022" in reminder["text"] and reminder["created_at"].endswith("+07:00")
    english = as_user("congan").get("/api/v1/notifications").get_json()["notifications"]
    assert any(notice["text"].startswith("Reminder: 'Carry out the item") for notice in english)

    assert as_user("stttt").post(f"/api/v1/notifications/{reminder['id']}/read").status_code == 404
    read = as_user("congan").post(f"/api/v1/notifications/{reminder['id']}/read")
    assert read.status_code == 200 and read.get_json()["read_at"]
    unread = as_user("congan").get("/api/v1/notifications?unread=true").get_json()
    assert unread["total"] == 6 and unread["notifications"][0]["kind"] == "overdue"
    escalations = as_user("dieuphoi").get("/api/v1/notifications").get_json()["notifications"]
    # Item 6's report, and its two contributions (due three working days before it) grouped in one.
    assert [notice["kind"] for notice in escalations] == ["escalated", "escalated"]
    assert sum("2 agencies have not done 'Contribute to the item'" in notice["text"]
               and "27/07/2022" in notice["text"] for notice in escalations) == 1


def test_the_progress_report_downloads_as_a_file_for_those_who_see_the_plan(as_user):
    coordinator = as_user("dieuphoi")
    plan = coordinator.post("/api/v1/plans", json={"template": "qng-249-kh-bcd138",
                                                    "idempotency_key": "qng-249-report"}).get_json()
    response = coordinator.get(f"/api/v1/plans/{plan['id']}/report?format=csv&period=2022-H1")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "249-KH-BCD138-2022-H1.csv" in response.headers["Content-Disposition"]
    assert "Cơ quan chủ trì" in response.data.decode("utf-8-sig")
    docx = coordinator.get(f"/api/v1/plans/{plan['id']}/report")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    assert coordinator.get(f"/api/v1/plans/{plan['id']}/report?format=odt").status_code == 422
    assert coordinator.get(f"/api/v1/plans/{plan['id']}/report?period=2022-Q7").status_code == 422
