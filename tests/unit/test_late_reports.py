"""Late reports are late: a duty whose periodic report is past its due date reads "chậm báo cáo" in the plan,
the dashboards and the official report, read from the deadlines and the clock whatever the worker has done.

The plan is 249/KH-BCD138 with item 3 (Sở TT&TT leads, Công an tỉnh coordinates, "thường xuyên từ nay đến
hết năm 2022") reporting quarterly, due on the 20th of the closing month (``test_reporting_gates``).
"""
from __future__ import annotations

import io
from datetime import datetime

import pytest
from docx import Document

from engine.files import report_files
from engine.model.actors import SYSTEM
from engine.model.clock import parse_instant
from engine.model.progress import Run, item_status, reports_late
from engine.services import dashboard, launches, plans, processes, progress_reports, reporting_gates, templates
from tests.conftest import complete_for
from tests.unit.test_reporting_gates import item_3, quarterly_249

JUNE_DUE = parse_instant("2022-06-20T23:59:59+07:00")
SEPTEMBER_DUE = parse_instant("2022-09-20T23:59:59+07:00")


def at(text: str) -> datetime:
    return parse_instant(text)


# --- the rule ---------------------------------------------------------------------------------------------------

def test_a_report_not_in_by_its_due_date_is_late():
    assert not reports_late([JUNE_DUE, SEPTEMBER_DUE], [], at("2022-06-20T17:00+07:00"))
    assert reports_late([JUNE_DUE, SEPTEMBER_DUE], [], at("2022-06-21T00:00+07:00"))
    assert reports_late([JUNE_DUE, SEPTEMBER_DUE], [None], at("2022-09-10T08:00+07:00"))


def test_a_report_sent_after_its_due_date_stays_late_until_the_next_one_is_due():
    sent_late = [at("2022-06-22T09:00+07:00")]
    assert reports_late([JUNE_DUE, SEPTEMBER_DUE], sent_late, at("2022-06-23T08:00+07:00"))
    assert reports_late([JUNE_DUE, SEPTEMBER_DUE], sent_late, at("2022-09-20T08:00+07:00"))
    on_time_next = sent_late + [at("2022-09-19T09:00+07:00")]
    assert not reports_late([JUNE_DUE, SEPTEMBER_DUE], on_time_next, at("2022-09-21T08:00+07:00"))


def test_an_earlier_report_still_missing_keeps_the_duty_late_though_the_last_came_on_time():
    assert reports_late([JUNE_DUE, SEPTEMBER_DUE], [None, at("2022-09-19T09:00+07:00")], at("2022-09-21T08:00+07:00"))


def test_an_item_late_in_reporting_reads_so_unless_it_is_overdue_and_never_once_completed():
    end = at("2022-12-31T23:59:59+07:00")
    assert item_status([Run("A", None, report_late=True)], end, at("2022-07-01T08:00+07:00")) == "report_late"
    assert item_status([Run("A", None, report_late=True), Run("B", None)], end,
                       at("2022-07-01T08:00+07:00")) == "report_late"
    assert item_status([Run("A", None, report_late=True)], end, at("2023-01-02T08:00+07:00")) == "overdue"
    assert item_status([Run("A", at("2022-12-20T08:00+07:00"), report_late=True)], end,
                       at("2023-01-02T08:00+07:00")) == "completed_on_time"


# --- read from the database -------------------------------------------------------------------------------------

@pytest.fixture
def plan(uow, clock, plan_249):
    templates.register_template(uow, clock, SYSTEM, quarterly_249().encode(), "qng-249-kh-bcd138.yaml")
    return launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT"]})


def status_of_item_3(uow, clock, plan) -> str:
    view = plans.get_plan(uow, clock, plan.id, SYSTEM)
    return next(item.status for item in view.items if item.number == "3")


def test_a_report_three_months_late_reads_late_everywhere_before_any_worker_round(uow, clock, plan):
    clock.set(at("2022-06-19T08:00+07:00"))
    assert status_of_item_3(uow, clock, plan) == "in_progress"
    assert dashboard.plan_dashboard(uow, clock, SYSTEM, plan.id).cells[("QNG-CA", "3")] == "in_progress"
    clock.set(at("2022-09-25T08:00+07:00"))  # June's report is three months late; no timer has fired
    instance_id = item_3(uow, plan).id
    with uow:
        assert uow.tasks.rounds_at([instance_id], ("periodic_report",)) == []  # never even asked
    assert status_of_item_3(uow, clock, plan) == "report_late"
    item = next(item for item in plans.get_plan(uow, clock, plan.id, SYSTEM).items if item.number == "3")
    assert item.late_reports == [{"period": "Quý II/2022", "agencies": ["QNG-STTTT", "QNG-CA"]},
                                 {"period": "Quý III/2022", "agencies": ["QNG-STTTT", "QNG-CA"]}]
    board = dashboard.plan_dashboard(uow, clock, SYSTEM, plan.id)
    assert board.cells[("QNG-STTTT", "3")] == "report_late"
    assert board.cells[("QNG-CA", "3")] == "report_late"  # its contributions to those reports, never asked either
    assert board.counts.report_late == 1 and board.counts.in_progress == board.counts.total - 1 - \
        board.counts.overdue - board.counts.done_on_time - board.counts.done_late
    stttt = next(entry for entry in board.by_agency if entry.agency == "QNG-STTTT")
    assert stttt.counts.report_late == 1
    province = dashboard.province_dashboard(uow, clock, SYSTEM)
    assert province.counts.report_late == 1
    assert next(entry for entry in province.plans if entry["plan_id"] == plan.id)["counts"].report_late == 1
    report = progress_reports.progress_report(uow, clock, SYSTEM, plan.id)
    assert [item.number for item in report.report_late] == ["3"] and report.counts["report_late"] == 1
    document = Document(io.BytesIO(report_files.progress_docx(report)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "1 nội dung chậm báo cáo" in text
    assert "chậm báo cáo" in [cell.text for table in document.tables for row in table.rows for cell in row.cells]


def test_a_report_sent_after_its_due_date_before_the_workers_next_round_counts_as_late(uow, clock, plan):
    clock.set(at("2022-06-15T08:00+07:00"))
    processes.fire_due_timers(uow, clock, limit=500)  # June's report is asked for, due on the 20th
    clock.set(at("2022-06-22T09:00+07:00"))  # no round since: no escalation, no overdue reminder
    complete_for(uow, clock, item_3(uow, plan), "periodic_report", "QNG-STTTT",
                 {"summary": "Đã đăng 12 tin bài", "period": "Quý II/2022"})
    complete_for(uow, clock, item_3(uow, plan), "contribute_period", "QNG-CA",
                 {"contribution": {"summary": "Phối hợp"}})
    assert status_of_item_3(uow, clock, plan) == "report_late"
    cells = dashboard.plan_dashboard(uow, clock, SYSTEM, plan.id).cells
    assert cells[("QNG-STTTT", "3")] == cells[("QNG-CA", "3")] == "report_late"
    june = reporting_gates.reporting_view(uow, clock, SYSTEM, plan.id).periods[0].gates[0]
    assert june.status == "closed"
    assert [(s.agency, s.on_time, s.late) for s in june.submissions] == [("QNG-STTTT", False, True),
                                                                       ("QNG-CA", False, True)]


def test_a_duty_that_catches_up_on_time_is_in_progress_again(uow, clock, plan):
    clock.set(at("2022-06-15T08:00+07:00"))
    processes.fire_due_timers(uow, clock, limit=500)
    clock.set(at("2022-06-22T09:00+07:00"))
    complete_for(uow, clock, item_3(uow, plan), "periodic_report", "QNG-STTTT", {"summary": "Quý II"})
    complete_for(uow, clock, item_3(uow, plan), "contribute_period", "QNG-CA", {"contribution": {"summary": "x"}})
    clock.set(at("2022-09-15T08:00+07:00"))
    processes.fire_due_timers(uow, clock, limit=500)
    complete_for(uow, clock, item_3(uow, plan), "periodic_report", "QNG-STTTT", {"summary": "Quý III"})
    clock.set(at("2022-09-21T08:00+07:00"))
    assert status_of_item_3(uow, clock, plan) == "in_progress"
    item = next(item for item in plans.get_plan(uow, clock, plan.id, SYSTEM).items if item.number == "3")
    assert item.late_reports == [{"period": "Quý III/2022", "agencies": ["QNG-CA"]}]  # its contribution is not in


def test_the_report_of_a_period_counts_what_was_late_at_its_end_not_what_came_after(uow, clock, plan):
    clock.set(at("2022-06-15T08:00+07:00"))
    processes.fire_due_timers(uow, clock, limit=500)
    clock.set(at("2022-10-01T08:00+07:00"))
    complete_for(uow, clock, item_3(uow, plan), "periodic_report", "QNG-STTTT", {"summary": "Quý II"})
    # On 14 September June's report was still missing: the report of quarter III says so.
    report = progress_reports.progress_report(uow, clock, SYSTEM, plan.id, "2022-Q3")
    assert next(item for item in report.items if item.number == "3").status == "report_late"
    # Quarter II ended on 14 June, before that report was due.
    report = progress_reports.progress_report(uow, clock, SYSTEM, plan.id, "2022-Q2")
    assert next(item for item in report.items if item.number == "3").status == "in_progress"


def test_a_report_sent_within_its_extension_is_not_late(uow, clock, plan):
    from engine.model.actors import Actor
    from engine.services import extensions
    clock.set(at("2022-06-15T08:00+07:00"))
    processes.fire_due_timers(uow, clock, limit=500)
    report = next(t for t in item_3(uow, plan).open_tasks if t.element_id == "periodic_report")
    member = Actor("stttt", agency="QNG-STTTT", roles=frozenset({"agency_member"}))
    asked = extensions.request_extension(uow, clock, member, report.id, "2022-06-30", "Chờ số liệu quý")
    extensions.decide_extension(uow, clock, SYSTEM, asked.id, True)
    clock.set(at("2022-06-25T08:00+07:00"))
    assert status_of_item_3(uow, clock, plan) == "in_progress"
    complete_for(uow, clock, item_3(uow, plan), "periodic_report", "QNG-STTTT", {"summary": "Quý II"})
    assert status_of_item_3(uow, clock, plan) == "in_progress"
    june = reporting_gates.reporting_view(uow, clock, SYSTEM, plan.id).periods[0].gates[0]
    assert [(s.agency, s.on_time, s.late) for s in june.submissions][0] == ("QNG-STTTT", True, False)
