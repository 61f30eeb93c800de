"""A reporting period whose due date passes with reports missing: the agencies whose report is missing and the
plan's coordinators are told ("gate_missed"), once a gate and agency however often the round runs, by mail as
each chose.

Plan 249/KH-BCD138 with item 3 reporting quarterly, due on the 20th (``test_reporting_gates``): Sở TT&TT writes
the report, Công an tỉnh contributes.
"""
from __future__ import annotations

import pytest

from engine.model.actors import SYSTEM, Actor
from engine.model.clock import parse_instant
from engine.model.notices import KINDS, NONE
from engine.services import launches, notices, processes, reminders, templates, users
from tests.conftest import complete_for
from tests.unit.test_reporting_gates import PASSWORD, item_3, quarterly_249


@pytest.fixture
def plan(uow, clock, plan_249):
    templates.register_template(uow, clock, SYSTEM, quarterly_249().encode(), "qng-249-kh-bcd138.yaml")
    users.add_user(uow, clock, SYSTEM, "stttt", PASSWORD, ["agency_member"], "QNG-STTTT", email="stttt@example.vn")
    users.add_user(uow, clock, SYSTEM, "congan", PASSWORD, ["agency_member"], "QNG-CA", email="congan@example.vn")
    users.add_user(uow, clock, SYSTEM, "dieuphoi", PASSWORD, ["coordinator"], "QNG-BCD138", email="dp@example.vn")
    return launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT"]})


def round_on(uow, clock, when: str) -> dict[str, int]:
    clock.set(parse_instant(when))
    processes.fire_due_timers(uow, clock, limit=500)
    return reminders.send_reminders(uow, clock)


def gate_notices(uow, username: str) -> list:
    with uow:
        return [(row.kind, row.params) for row in uow.notifications.inbox(username, False, 100, 0)
                if row.kind == "gate_missed"]


def test_gate_missed_is_a_kind_of_notice_people_choose_mail_for():
    assert "gate_missed" in KINDS


def test_a_missed_gate_tells_each_missing_agency_and_the_coordinators_once(uow, clock, plan):
    assert round_on(uow, clock, "2022-06-15T08:00+07:00")["gate_missed"] == 0  # asked, not due yet
    assert round_on(uow, clock, "2022-06-20T17:00+07:00")["gate_missed"] == 0  # due at the end of today
    assert round_on(uow, clock, "2022-06-21T08:00+07:00")["gate_missed"] == 2
    assert round_on(uow, clock, "2022-06-22T08:00+07:00")["gate_missed"] == 0  # told once, however often
    assert round_on(uow, clock, "2022-06-23T08:00+07:00")["gate_missed"] == 0
    [(_, told)] = gate_notices(uow, "stttt")
    assert told["period"] == "Quý II/2022" and told["item"] == "3" and told["due"] == "20/06/2022"
    assert len(gate_notices(uow, "congan")) == 1
    [(_, coordinators)] = gate_notices(uow, "dieuphoi")
    assert coordinators["names"].count(",") == 1  # both agencies named in the one notice


def test_an_agency_whose_report_came_in_is_not_told(uow, clock, plan):
    round_on(uow, clock, "2022-06-15T08:00+07:00")
    complete_for(uow, clock, item_3(uow, plan), "periodic_report", "QNG-STTTT", {"summary": "Quý II"})
    assert round_on(uow, clock, "2022-06-21T08:00+07:00")["gate_missed"] == 1
    assert gate_notices(uow, "stttt") == [] and len(gate_notices(uow, "congan")) == 1
    [(_, coordinators)] = gate_notices(uow, "dieuphoi")
    assert "," not in coordinators["names"]  # Công an tỉnh alone


def test_a_closed_gate_tells_nobody(uow, clock, plan):
    round_on(uow, clock, "2022-06-15T08:00+07:00")
    complete_for(uow, clock, item_3(uow, plan), "periodic_report", "QNG-STTTT", {"summary": "Quý II"})
    complete_for(uow, clock, item_3(uow, plan), "contribute_period", "QNG-CA", {"contribution": {"summary": "x"}})
    assert round_on(uow, clock, "2022-06-21T08:00+07:00")["gate_missed"] == 0
    assert gate_notices(uow, "dieuphoi") == []


def test_a_missed_gate_mails_as_each_person_chose(uow, clock, plan):
    notices.choose_mail(uow, Actor("congan", "QNG-CA", frozenset({"agency_member"}), "QNG"), {"gate_missed": NONE})
    round_on(uow, clock, "2022-06-15T08:00+07:00")
    round_on(uow, clock, "2022-06-21T08:00+07:00")
    with uow:
        gate_mail = [mail.to_address for mail in uow.outbox.all() if "Quý II/2022" in mail.subject]
    assert sorted(gate_mail) == ["dp@example.vn", "stttt@example.vn"]
    assert len(gate_notices(uow, "congan")) == 1  # in the inbox all the same


def test_the_round_is_recorded_in_the_audit_log_with_whom_it_told(uow, clock, plan):
    round_on(uow, clock, "2022-06-15T08:00+07:00")
    round_on(uow, clock, "2022-06-21T08:00+07:00")
    with uow:
        events = [event for event in uow.audit.since(0, ("reminder.gate_missed",))]
    assert len(events) == 1
    assert events[0].data["missing"] == ["QNG-STTTT", "QNG-CA"]
    assert events[0].data["told"]["coordinators"] == ["dieuphoi"]


def test_once_everyone_is_told_a_round_reads_no_gate_at_all(uow, clock, plan):
    from engine.services import reporting_gates
    round_on(uow, clock, "2022-06-15T08:00+07:00")
    round_on(uow, clock, "2022-06-21T08:00+07:00")
    with uow:
        assert reporting_gates.missed_gates(uow, clock.now()) == []
        assert uow.reminders.instances_past_due_untold(reporting_gates.REPORT_ELEMENTS, clock.now(),
                                                       "gate_missed") == []
