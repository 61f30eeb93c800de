"""Deadlines are followed up: reminders before and on the day, escalation when overdue, mailed through SMTP.

The clock is set, never slept on: each test moves it to a morning and runs
the worker's deadline round once, as ``planflow worker`` does every few seconds.
"""
from __future__ import annotations

import email
import email.policy
import threading
from datetime import date

import pytest

from engine.files.mail import SmtpMailer
from engine.i18n import in_language, message_from_json
from engine.model.actors import SYSTEM
from engine.model.clock import parse_instant
from engine.model.deadlines import reminder_due
from engine.model.working_days import is_working_day, working_days_before
from engine.services import digests, launches, outbox, plans, processes, reminders, users
from engine.store import UnitOfWork

PASSWORD = "mật-khẩu-thử-nghiệm"


@pytest.fixture
def people(uow, clock, agencies):
    for username, roles, agency in (("congan", ["agency_member"], "QNG-CA"),
                                    ("pheduyet", ["approver"], "QNG-CA"),
                                    ("dieuphoi", ["coordinator"], "QNG-BCD138"),
                                    ("stttt", ["agency_member"], "QNG-STTTT")):
        users.add_user(uow, clock, SYSTEM, username, PASSWORD, roles, agency, email=f"{username}@planflow.example")


@pytest.fixture
def item_4(uow, clock, plan_249, people):
    """Plan 249 launched on 1 June 2022; item 4 (September) is due at the end of 30 September 2022."""
    view = launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT"]})
    return view, next(item for item in view.items if item.number == "4")


def round_on(uow, clock, when: str) -> dict[str, int]:
    clock.set(parse_instant(when))
    processes.fire_due_timers(uow, clock, limit=500)
    return reminders.send_reminders(uow, clock)


def sent(before: int = 0, due_today: int = 0, overdue: int = 0) -> dict[str, int]:
    """What a round says it sent: no reporting period of plan 249 is missed (it reports no period)."""
    return {"before": before, "due_today": due_today, "overdue": overdue, "gate_missed": 0}


def notices_of(uow, username: str) -> list[str]:
    with uow:
        return [row.kind for row in uow.notifications.inbox(username, False, 100, 0)]


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port, keeping what it receives."""
    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self) -> None:
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append((envelope.rcpt_tos, f"{mail['Subject']}\n{mail.get_content()}"))
            return "250 OK"

    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, SmtpMailer("127.0.0.1", port, "planflow@planflow.example")
    controller.stop()


def test_a_window_item_is_reminded_3_working_days_before_on_the_day_and_escalated_once_overdue(
        uow, clock, item_4, smtp_server):
    handler, mailer = smtp_server
    view, item = item_4
    # Item 6 was due at the end of July, its three contributions three working days before: they are escalated
    # at the first round, and never again. Item 4's contribution (Sở TT&TT) is due three working days before
    # the item, on Tuesday 27 September, and is reminded on its own dates.
    assert round_on(uow, clock, "2022-09-26T08:00+07:00") == sent(before=1, overdue=4)
    assert round_on(uow, clock, "2022-09-27T08:00+07:00") == sent(before=1, due_today=1)
    assert round_on(uow, clock, "2022-09-28T08:00+07:00") == sent(overdue=1)
    assert round_on(uow, clock, "2022-09-30T08:00+07:00") == sent(due_today=1)
    assert round_on(uow, clock, "2022-10-01T08:00+07:00") == sent(overdue=1)
    assert round_on(uow, clock, "2022-10-03T08:00+07:00") == sent()
    assert plans.get_plan(uow, clock, view.id).items[3].status == "overdue"

    report = _report_task(uow, item)
    with uow:
        assert [r.kind for r in uow.reminders.of_task(report)] == ["before", "due_today", "overdue"]
        told = {}
        for notice in uow.notifications.of_task(report):
            told.setdefault(notice.kind, set()).add(notice.username)
        audited = [e.action for e in uow.audit.for_instance(item.instances[0]["id"])
                   if e.action.startswith("reminder") and e.task_id == report]
    assert told == {"assigned": {"congan", "pheduyet"},  # at the launch (by mail in their digest)
                    "before": {"congan", "pheduyet"}, "due_today": {"congan", "pheduyet"},
                    "overdue": {"congan", "pheduyet"}, "escalated": {"pheduyet", "dieuphoi"}}
    assert audited == ["reminder.before", "reminder.due_today", "reminder.overdue"]

    # What needs action soon left at once; the launch's new work and the reminder before the deadline wait
    # for the morning digest (their kinds' default), one mail a person, sent once: the lead's two people and
    # the Sở TT&TT officer (new work of item IV.3).
    assert digests.send_digests(uow, clock) == 3 and digests.send_digests(uow, clock) == 0
    delivered = outbox.deliver_mail(uow, clock, mailer)
    # 13 of the reports, and 7 of the contributions: Sở TT&TT's own (item 4 due today and overdue, item 6
    # overdue) and their escalations to the approver and the coordinator (item 6's three in one, item 4's).
    assert delivered == {"sent": len(handler.messages), "failed": 0} and delivered["sent"] == 20
    to_lead = [body for to, body in handler.messages if to == ["congan@planflow.example"]]
    digest = [body for body in to_lead if "Các thông báo của anh/chị từ thư tổng hợp trước" in body]
    assert len(digest) == 1 and "Việc mới giao Công an tỉnh" in digest[0]
    assert "Nhắc việc" in digest[0] and "30/09/2022" in digest[0]
    assert any("Đến hạn hôm nay" in body for body in to_lead)
    assert any("Quá hạn" in body and "249/KH-BCD138" in body for body in to_lead)
    to_coordinator = [body for to, body in handler.messages if to == ["dieuphoi@planflow.example"]]
    assert len(to_coordinator) == 4 and all("Cảnh báo quá hạn" in body for body in to_coordinator)
    with uow:
        assert all(mail.status == "sent" for mail in uow.outbox.all())


def test_a_mail_the_server_refuses_waits_in_the_outbox_and_is_sent_later(uow, clock, item_4, smtp_server):
    handler, mailer = smtp_server
    round_on(uow, clock, "2022-09-27T08:00+07:00")
    down = SmtpMailer("127.0.0.1", 1, "planflow@planflow.example", timeout=1)  # nothing listens there
    failed = outbox.deliver_mail(uow, clock, down)
    assert failed["failed"] >= 1 and failed["sent"] == 0
    with uow:
        waiting = uow.outbox.pending()
        assert waiting and all(mail.attempts == 1 and mail.last_error for mail in waiting)
    assert outbox.deliver_mail(uow, clock, mailer)["sent"] == 0  # not before its next attempt is due
    clock.advance(minutes=2)
    assert outbox.deliver_mail(uow, clock, mailer)["sent"] == len(waiting)
    assert len(handler.messages) == len(waiting)


def test_two_workers_at_once_send_each_reminder_once(uow, clock, item_4, database):
    clock.set(parse_instant("2022-09-27T08:00+07:00"))
    barrier, results = threading.Barrier(2), []

    def work():
        barrier.wait()
        results.append(reminders.send_reminders(UnitOfWork(database.sessions), clock))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result["before"] for result in results) == 1  # item 4's report (its contribution is due today)
    assert sum(result["due_today"] for result in results) == 1
    assert sum(result["overdue"] for result in results) == 4  # item 6 and its three contributions, due in July
    report = _report_task(uow, item_4[1])
    with uow:
        rows = uow.notifications.of_task(report)
        reminded = uow.reminders.of_task(report)
    assert sorted(row.username for row in rows if row.kind == "before") == ["congan", "pheduyet"]
    assert [row.kind for row in reminded] == ["before"]


def test_a_holiday_moves_a_reminder_earlier():
    # 2 September (National Day) and 1 September (its second day) are holidays in 2022; 3 working days
    # before Monday 5 September is then Monday 29 August, not Wednesday 31 August.
    assert not is_working_day(date(2022, 9, 1)) and not is_working_day(date(2022, 9, 2))
    assert working_days_before(date(2022, 9, 5), 3) == date(2022, 8, 29)
    due = parse_instant("2022-09-05T23:59:59+07:00")
    assert reminder_due(due, parse_instant("2022-08-26T08:00+07:00")) is None
    assert reminder_due(due, parse_instant("2022-08-29T08:00+07:00")) == "before"
    # Tết 2023: 20–26 January are days off; 3 working days before Monday 30 January is Wednesday 18 January.
    assert working_days_before(date(2023, 1, 30), 3) == date(2023, 1, 18)


def test_a_worker_that_was_down_sends_only_what_is_due_now(uow, clock, item_4):
    counts = round_on(uow, clock, "2022-10-05T08:00+07:00")
    # Items 4 and 6 and their four contributions; no "3 days left" after the fact.
    assert counts == sent(overdue=6)


def _report_task(uow, item) -> str:
    with uow:
        rows = uow.tasks.for_instance(item.instances[0]["id"])
        return next(row.id for row in rows if row.element_id == "report_result")


def test_the_agencies_of_one_item_late_on_the_same_day_make_one_escalation(uow, clock, item_4):
    """Item IV.3 is carried out by every department and district (an instance each), all due at the end of
    2022: the coordinator hears of them in one notice naming the first few, mailed once, rather than of each."""
    view, _ = item_4
    performers = len(next(item for item in view.items if item.number == "IV.3").instances)
    assert performers > reminders.MAX_NAMED
    round_on(uow, clock, "2023-01-03T08:00+07:00")
    with uow:
        escalations = [row for row in uow.notifications.inbox("dieuphoi", False, 100, 0)
                       if row.kind == "escalated" and row.params.get("item") == "IV.3"]
        texts = [in_language(message_from_json(row.template, row.params)) for row in escalations]
        mails = [mail.subject for mail in uow.outbox.all()
                 if mail.to_address == "dieuphoi@planflow.example" and "IV.3" in mail.subject]
    assert len(escalations) == 1, texts
    assert texts[0].startswith(f"Cảnh báo quá hạn: {performers} cơ quan, đơn vị chưa hoàn thành")
    assert "hạn ngày 31/12/2022" in texts[0] and texts[0].endswith(", …")
    assert texts[0].count(", ") >= reminders.MAX_NAMED and escalations[0].task_id is None
    assert len(mails) == 1
