"""Reporting gates: one per period of a continuous duty, with Nghị định 09/2019's cut-offs, a due date from
the plan's regime, and the agencies still missing named until the gate closes.

Plan 249/KH-BCD138 fixes no periodic report; the test plays the same plan
with item 3 (Sở TT&TT leads, Công an tỉnh coordinates, "thường xuyên từ nay
đến hết năm 2022") reporting quarterly, due on the 20th of the closing month.
"""
from __future__ import annotations

from datetime import date

import pytest

from engine.errors import Invalid
from engine.model.actors import SYSTEM
from engine.model.clock import parse_instant
from engine.services import launches, processes, reminders, reporting_gates, templates, users
from tests.conftest import TEMPLATES, complete_for

PASSWORD = "mật-khẩu-thử-nghiệm"


def quarterly_249(submission: str = "{day_of_month: 20}") -> str:
    text = (TEMPLATES / "qng-249-kh-bcd138.yaml").read_text(encoding="utf-8")
    text = text.replace("  ad_hoc: true\n", f"  ad_hoc: true\n  periodic: [quarterly]\n  submission: {submission}\n"
                        "  name: Báo cáo kết quả thực hiện Kế hoạch\n  method: Văn bản điện tử qua hệ thống\n", 1)
    marker = '      text: "thường xuyên từ nay đến hết năm {year}"\n      continuous: {until: "{year}-12-31"}\n'
    first = text.index(marker, text.index("  - number: 3\n"))
    return text[:first] + marker + "      reporting: quarterly\n" + text[first + len(marker):]


@pytest.fixture
def plan(uow, clock, plan_249):
    templates.register_template(uow, clock, SYSTEM, quarterly_249().encode(), "qng-249-kh-bcd138.yaml")
    users.add_user(uow, clock, SYSTEM, "stttt", PASSWORD, ["agency_member"], "QNG-STTTT", email="stttt@example.vn")
    return launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT"]})


def view_on(uow, clock, plan, when: str):
    clock.set(parse_instant(when))
    processes.fire_due_timers(uow, clock, limit=500)
    return reporting_gates.reporting_view(uow, clock, SYSTEM, plan.id)


def item_3(uow, plan):
    with uow:
        row = next(i for i in uow.plans.items(plan.id) if i.number == "3")
        instance_id = uow.plans.instances_of_items([row.id])[0].id
    return processes.get_instance(uow, instance_id)


def test_a_quarterly_duty_has_one_gate_per_quarter_with_the_cut_offs_of_decree_09(uow, clock, plan):
    view = view_on(uow, clock, plan, "2022-06-01T08:00+07:00")
    assert [(p.period.label, p.period.first_day, p.period.last_day, p.period.due_at.date()) for p in view.periods] == [
        ("Quý II/2022", date(2022, 3, 15), date(2022, 6, 14), date(2022, 6, 20)),
        ("Quý III/2022", date(2022, 6, 15), date(2022, 9, 14), date(2022, 9, 20)),
        ("Quý IV/2022", date(2022, 9, 15), date(2022, 12, 14), date(2022, 12, 20)),
    ]
    assert [p.status for p in view.periods] == ["not_open"] * 3
    assert [g.item_number for g in view.periods[0].gates] == ["3"]  # the only item that reports quarterly
    assert view.regime["submission"] == {"day_of_month": 20} and not view.regime["submission_is_default"]
    assert view.regime["periodic"] == ["quarterly"] and view.regime["to"] == "QNG-CA"


def test_a_gate_missing_a_contribution_blocks_the_next_period_and_names_the_missing_agency(uow, clock, plan):
    view = view_on(uow, clock, plan, "2022-06-15T08:00+07:00")
    gate = view.periods[0].gates[0]
    assert gate.status == "open" and gate.missing == ["QNG-STTTT", "QNG-CA"]
    complete_for(uow, clock, item_3(uow, plan), "periodic_report", "QNG-STTTT",
                 {"summary": "Đã đăng 12 tin bài", "period": "Quý II/2022"})
    view = view_on(uow, clock, plan, "2022-09-16T08:00+07:00")
    second, third = view.periods[0], view.periods[1]
    assert second.gates[0].missing == ["QNG-CA"] and second.missing == ["QNG-CA"]
    assert second.gates[0].blocks == "the report of Quý III/2022"
    assert [s.status for s in third.gates[0].submissions] == ["waiting", "waiting"]  # held back by June's gate
    instance = item_3(uow, plan)
    assert [t.element_id for t in instance.open_tasks] == ["contribute_period"]  # September's report not asked yet

    complete_for(uow, clock, instance, "contribute_period", "QNG-CA", {"contribution": {"summary": "Phối hợp"}})
    view = reporting_gates.reporting_view(uow, clock, SYSTEM, plan.id)
    june = view.periods[0].gates[0]
    assert june.status == "closed" and june.blocks is None
    assert [(s.agency, s.on_time) for s in june.submissions] == [("QNG-STTTT", True), ("QNG-CA", False)]
    assert view.periods[1].gates[0].missing == ["QNG-STTTT", "QNG-CA"]  # now asked, both
    assert view.periods[1].gates[0].blocks == "the report of Quý IV/2022"


def test_a_periodic_report_left_past_its_due_date_is_reminded_and_escalated_once(uow, clock, plan):
    view_on(uow, clock, plan, "2022-06-15T08:00+07:00")
    report = next(t for t in item_3(uow, plan).open_tasks if t.element_id == "periodic_report")
    assert report.due_at == parse_instant("2022-06-20T23:59:59+07:00")
    clock.set(parse_instant("2022-06-21T08:00+07:00"))
    processes.fire_due_timers(uow, clock)
    assert reminders.send_reminders(uow, clock)["overdue"] == 2  # the report and the contribution
    assert reminders.send_reminders(uow, clock)["overdue"] == 0
    instance_id = item_3(uow, plan).id
    with uow:
        codes = [row.code for row in uow.incidents.escalations(instance_id)]
    assert codes == ["report_overdue"]


def test_without_a_date_in_the_plan_a_report_is_due_5_working_days_after_the_cut_off(uow, clock, plan_249):
    text = quarterly_249("{working_days: 5}").replace("  submission: {working_days: 5}\n", "")
    templates.register_template(uow, clock, SYSTEM, text.encode(), "qng-249-kh-bcd138.yaml")
    launched = launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT"]})
    view = reporting_gates.reporting_view(uow, clock, SYSTEM, launched.id)
    # 15/9/2022 is a Thursday: 15, 16, 19, 20, 21 September.
    assert view.periods[1].period.due_at == parse_instant("2022-09-21T23:59:59+07:00")
    assert view.regime["submission_is_default"]


@pytest.mark.parametrize("submission, message", [
    ("{day_of_month: 10}", "15"),
    ("{day_of_month: 20, working_days: 3}", "either day_of_month"),
])
def test_a_submission_rule_that_cannot_hold_is_refused(uow, clock, plan_249, submission, message):
    with pytest.raises(Invalid) as refused:
        templates.register_template(uow, clock, SYSTEM, quarterly_249(submission).encode(), "bad.yaml")
    assert message in str(refused.value.errors)


def test_the_tien_giang_plan_has_one_yearly_gate_for_each_of_its_reporting_agencies(uow, clock, agencies,
                                                                                 standard_processes):
    templates.register_template(uow, clock, SYSTEM, (TEMPLATES / "tgg-de-an-1278.yaml").read_bytes(), "tgg.yaml")
    clock.set(parse_instant("2023-01-05T08:00+07:00"))
    launched = launches.launch_plan(uow, clock, SYSTEM, "tgg-de-an-1278",
                                    {"number": "12/KH-UBND", "issued_on": "2023-01-05", "year": 2023})
    view = view_on(uow, clock, launched, "2023-12-15T08:00+07:00")
    assert [p.period.label for p in view.periods] == ["Năm 2023"]
    year = view.periods[0]
    assert (year.period.first_day, year.period.last_day) == (date(2022, 12, 15), date(2023, 12, 14))
    assert year.status == "open" and len(year.missing) == len({g.agency for g in year.gates}) > 20
    # each gate is one agency's own duty: it reports for itself, with no coordinating agency to wait for
    assert all([s.agency for s in gate.submissions] == [gate.agency] for gate in year.gates)


def test_an_extension_of_a_periodic_report_moves_that_periods_due_date_in_the_process(uow, clock, plan):
    from engine.model.actors import Actor
    from engine.services import extensions
    view_on(uow, clock, plan, "2022-06-15T08:00+07:00")
    report = next(t for t in item_3(uow, plan).open_tasks if t.element_id == "periodic_report")
    member = Actor("stttt", agency="QNG-STTTT", roles=frozenset({"agency_member"}))
    asked = extensions.request_extension(uow, clock, member, report.id, "2022-06-30", "Chờ số liệu quý")
    extensions.decide_extension(uow, clock, SYSTEM, asked.id, True)
    instance = item_3(uow, plan)
    assert next(t for t in instance.open_tasks if t.element_id == "periodic_report").due_at == \
        parse_instant("2022-06-30T23:59:59+07:00")
    from engine.runtime import executions
    with uow:
        row = uow.instances.get(instance.id)
        execution = executions.check_out(row, clock)
        variables = next(t for t in execution.ready_tasks() if t.element_id == "periodic_report").variables
        executions.check_in(row, execution)
    assert variables["report_deadlines"][0] == "2022-06-30T23:59:59+07:00"
    assert variables["report_deadlines"][1] == "2022-09-20T23:59:59+07:00"  # the next quarter keeps its date
    contribution = next(t for t in instance.open_tasks if t.element_id == "contribute_period")
    assert contribution.due_at == parse_instant("2022-06-20T23:59:59+07:00")  # asked of the lead only
