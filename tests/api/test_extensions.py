"""Extensions (gia hạn): Công an tỉnh asks for more time on item 4 of plan 249/KH-BCD138 (due 30/9/2022),
the standing body grants or refuses, and a grant moves the deadline in the process itself."""
from __future__ import annotations

from engine.model.clock import parse_instant


def launch(as_user):
    plan = as_user("dieuphoi").post("/api/v1/plans", json={"template": "qng-249-kh-bcd138",
                                                           "parameters": {"relevant_units": ["QNG-STTTT"]}})
    assert plan.status_code == 201, plan.get_json()
    return plan.get_json()


def item_4_task(as_user, plan):
    page = as_user("congan").get(f"/api/v1/tasks?plan={plan['id']}&per_page=200").get_json()
    return next(task for task in page["tasks"] if task["item_number"] == "4")


def ask(as_user, task, until="2022-10-31", reason="Chờ kết quả khảo sát của các huyện", username="congan"):
    return as_user(username).post(f"/api/v1/tasks/{task['id']}/extension-requests",
                                  json={"until": until, "reason": reason})


def decide(as_user, request, username="pheduyet", **body):
    return as_user(username).post(f"/api/v1/extension-requests/{request['id']}/decision", json=body)


def item_status(as_user, plan, number="4"):
    shown = as_user("dieuphoi").get(f"/api/v1/plans/{plan['id']}").get_json()
    return next(item["status"] for item in shown["items"] if item["number"] == number)


def test_a_granted_extension_moves_the_deadline_and_re_arms_the_timer(as_user, app, clock):
    plan = launch(as_user)
    task = item_4_task(as_user, plan)
    assert task["due_at"] == "2022-09-30T23:59:59+07:00"
    asked = ask(as_user, task)
    assert asked.status_code == 201, asked.get_json()
    request = asked.get_json()
    assert (request["status"], request["agency"], request["item_number"]) == ("pending", "QNG-CA", "4")
    inbox = as_user("pheduyet").get("/api/v1/notifications").get_json()["notifications"]
    assert inbox[0]["kind"] == "extension_requested" and "31/10/2022" in inbox[0]["text"]

    granted = decide(as_user, request, grant=True)
    assert granted.status_code == 200, granted.get_json()
    assert granted.get_json()["granted_until"] == "2022-10-31T23:59:59+07:00"
    assert item_4_task(as_user, plan)["due_at"] == "2022-10-31T23:59:59+07:00"
    instance = as_user("dieuphoi").get(f"/api/v1/instances/{task['instance_id']}").get_json()
    assert instance["next_timer_at"].startswith("2022-10-31T23:59:59")
    told = as_user("congan").get("/api/v1/notifications").get_json()["notifications"]
    assert told[0]["kind"] == "extension_granted" and "31/10/2022" in told[0]["text"]

    clock.set(parse_instant("2022-10-03T08:00+07:00"))  # past the old deadline, before the new one
    assert item_status(as_user, plan) == "in_progress"
    from engine.services import processes
    from engine.store import UnitOfWork
    uow = UnitOfWork(app.extensions["planflow"].database.sessions)
    processes.fire_due_timers(uow, clock)  # items 6 and 4 were due by now: only 6 fires
    instance = as_user("dieuphoi").get(f"/api/v1/instances/{task['instance_id']}").get_json()
    assert instance["next_timer_at"].startswith("2022-10-31T23:59:59")
    history = as_user("kiemtra").get(f"/api/v1/instances/{task['instance_id']}/history").get_json()
    actions = [event["action"] for event in history]
    assert "extension.requested" in actions and "extension.granted" in actions
    assert "event.escalation" not in actions


def test_an_extension_granted_after_the_deadline_passed_ends_the_overdue_status(as_user, app, clock):
    plan = launch(as_user)
    task = item_4_task(as_user, plan)
    clock.set(parse_instant("2022-10-03T08:00+07:00"))
    from engine.services import processes
    from engine.store import UnitOfWork
    processes.fire_due_timers(UnitOfWork(app.extensions["planflow"].database.sessions), clock)
    assert item_status(as_user, plan) == "overdue"
    request = ask(as_user, task, until="2022-10-20").get_json()
    assert decide(as_user, request, grant=True).status_code == 200
    assert item_status(as_user, plan) == "in_progress"
    assert item_4_task(as_user, plan)["due_at"] == "2022-10-20T23:59:59+07:00"


def test_a_refusal_says_why_and_leaves_the_deadline(as_user):
    plan = launch(as_user)
    task = item_4_task(as_user, plan)
    request = ask(as_user, task).get_json()
    assert decide(as_user, request, grant=False).status_code == 422  # a refusal needs its reason
    refused = decide(as_user, request, grant=False, reason="Thời hạn do Chỉ thị ấn định")
    assert refused.status_code == 200 and refused.get_json()["status"] == "refused"
    assert item_4_task(as_user, plan)["due_at"] == "2022-09-30T23:59:59+07:00"
    assert decide(as_user, request, grant=True).status_code == 409  # decided already
    told = as_user("congan").get("/api/v1/notifications").get_json()["notifications"]
    assert told[0]["kind"] == "extension_refused" and "Chỉ thị" in told[0]["text"]


def test_a_grant_may_give_less_time_but_not_more_than_asked(as_user):
    plan = launch(as_user)
    task = item_4_task(as_user, plan)
    request = ask(as_user, task).get_json()
    assert decide(as_user, request, grant=True, until="2022-11-15").status_code == 422
    assert decide(as_user, request, grant=True, until="2022-10-15").get_json()["granted_until"] == \
        "2022-10-15T23:59:59+07:00"


def test_who_asks_and_who_decides(as_user):
    plan = launch(as_user)
    task = item_4_task(as_user, plan)
    assert ask(as_user, task, username="stttt").status_code == 404  # another agency's task
    assert ask(as_user, task, username="dieuphoi").status_code == 403  # coordinators watch, agencies ask
    request = ask(as_user, task).get_json()
    assert ask(as_user, task).status_code == 409  # one request waits already
    for username in ("congan", "stttt", "kiemtra"):
        assert decide(as_user, request, username=username, grant=True).status_code == 403, username
    assert decide(as_user, request, username="dieuphoi", grant=True).status_code == 200  # the coordinator may


def test_a_request_that_moves_nothing_is_refused_at_its_field(as_user):
    plan = launch(as_user)
    task = item_4_task(as_user, plan)
    for until in ("2022-09-01", "2024-01-01", "tomorrow"):
        response = ask(as_user, task, until=until)
        assert response.status_code == 422 and "until" in response.get_json()["errors"], until
    assert ask(as_user, task, reason="   ").status_code == 422


def test_each_side_lists_the_requests_it_is_concerned_with(as_user):
    plan = launch(as_user)
    request = ask(as_user, item_4_task(as_user, plan)).get_json()
    for username, seen in (("congan", 1), ("pheduyet", 1), ("dieuphoi", 1), ("kiemtra", 1), ("stttt", 0),
                           ("sgddt", 0)):
        page = as_user(username).get("/api/v1/extension-requests?status=pending").get_json()
        assert page["total"] == seen, username
    decide(as_user, request, grant=True)
    assert as_user("pheduyet").get("/api/v1/extension-requests?status=pending").get_json()["total"] == 0
    assert as_user("pheduyet").get("/api/v1/extension-requests?status=granted").get_json()["total"] == 1


def test_after_an_extension_the_reminders_come_again_for_the_new_date(as_user, app, clock):
    from engine.services import processes, reminders
    from engine.store import UnitOfWork
    uow = UnitOfWork(app.extensions["planflow"].database.sessions)
    plan = launch(as_user)
    task = item_4_task(as_user, plan)
    clock.set(parse_instant("2022-10-03T08:00+07:00"))
    processes.fire_due_timers(uow, clock, limit=500)
    assert reminders.send_reminders(uow, clock)["overdue"] >= 1  # item 4 (and July's item 6)
    request = ask(as_user, task, until="2022-10-20").get_json()
    decide(as_user, request, grant=True)
    assert reminders.send_reminders(uow, clock) == {"before": 0, "due_today": 0, "overdue": 0, "gate_missed": 0}
    clock.set(parse_instant("2022-10-17T08:00+07:00"))  # 3 working days before 20 October
    assert reminders.send_reminders(uow, clock)["before"] == 1
    clock.set(parse_instant("2022-10-21T08:00+07:00"))
    processes.fire_due_timers(uow, clock, limit=500)
    assert reminders.send_reminders(uow, clock)["overdue"] == 1  # late again: told again, once
    assert reminders.send_reminders(uow, clock)["overdue"] == 0
