"""Contributions and approvals have deadlines: a coordinating agency's contribution is due a few working days
before the item (never before the day it is asked), an approval a few working days from the submission; both
from the template's ``deadlines``, counted in Vietnam's working days.
"""
from __future__ import annotations

from datetime import date

import pytest

from engine.errors import Invalid
from engine.model.actors import SYSTEM
from engine.model.clock import parse_instant
from engine.model.deadlines import approval_due, contribution_due
from engine.model.working_days import working_days_after
from engine.services import dashboard, extensions, launches, processes, templates
from tests.conftest import TEMPLATES, approver_of, complete_for, member_of

ITEM_4_DUE = parse_instant("2022-09-30T23:59:59+07:00")  # a Friday


def at(text: str):
    return parse_instant(text)


def test_a_contribution_is_due_three_working_days_before_the_item():
    assert contribution_due(ITEM_4_DUE, at("2022-06-01T08:00+07:00")) == at("2022-09-27T23:59:59+07:00")
    assert contribution_due(ITEM_4_DUE, at("2022-06-01T08:00+07:00"), 0) == ITEM_4_DUE
    # National Day (1 and 2 September 2022) are no working days: 3 before Monday 5 September is 29 August.
    assert contribution_due(at("2022-09-05T23:59:59+07:00"), at("2022-06-01T08:00+07:00")) == \
        at("2022-08-29T23:59:59+07:00")


def test_a_contribution_asked_late_is_due_at_the_end_of_the_day_it_is_asked_not_before():
    assert contribution_due(ITEM_4_DUE, at("2022-09-29T10:00+07:00")) == at("2022-09-29T23:59:59+07:00")
    assert contribution_due(ITEM_4_DUE, at("2022-10-04T10:00+07:00")) == at("2022-10-04T23:59:59+07:00")
    assert contribution_due(None, at("2022-10-04T10:00+07:00")) is None


def test_an_approval_is_due_five_working_days_from_the_submission():
    assert approval_due(at("2022-09-19T15:00+07:00")) == at("2022-09-26T23:59:59+07:00")  # Monday to Monday
    # 26 April 2025 is a Saturday worked in exchange for 2 May: it counts.
    assert working_days_after(date(2025, 4, 25), 1) == date(2025, 4, 26)
    assert approval_due(at("2025-04-25T16:00+07:00"), 1) == at("2025-04-26T23:59:59+07:00")


@pytest.fixture
def plan(uow, clock, plan_249):
    return launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT"]})


def instance_of(uow, plan, number: str):
    item = next(item for item in plan.items if item.number == number)
    return processes.get_instance(uow, item.instances[0]["id"])


def open_at(view, element_id: str) -> dict:
    return {task.assigned_agency: task for task in view.open_tasks if task.element_id == element_id}


def test_a_launched_item_asks_its_contributions_with_their_deadline(uow, clock, plan):
    contributions = open_at(instance_of(uow, plan, "4"), "contribute")
    assert contributions["QNG-STTTT"].due_at == at("2022-09-27T23:59:59+07:00")
    assert open_at(instance_of(uow, plan, "4"), "report_result")["QNG-CA"].due_at == ITEM_4_DUE


def test_the_template_sets_the_working_days_of_contributions_and_approvals(uow, clock, plan_249):
    text = (TEMPLATES / "qng-249-kh-bcd138.yaml").read_text(encoding="utf-8")
    text = text.replace("\nreporting:", "\ndeadlines: {contribution_before: 5, approval: 2}\nreporting:", 1)
    templates.register_template(uow, clock, SYSTEM, text.encode(), "qng-249-kh-bcd138.yaml")
    plan = launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT"]})
    assert open_at(instance_of(uow, plan, "4"), "contribute")["QNG-STTTT"].due_at == at("2022-09-23T23:59:59+07:00")
    clock.set(at("2022-09-19T15:00+07:00"))
    complete_for(uow, clock, instance_of(uow, plan, "4"), "report_result", "QNG-CA", {"summary": "Xong"})
    review = open_at(instance_of(uow, plan, "4"), "review_result")["QNG-CA"]
    assert review.due_at == at("2022-09-21T23:59:59+07:00")


@pytest.mark.parametrize("setting, field", [("{contribution_before: 40}", "contribution_before"),
                                            ("{approval: 0}", "approval"), ("{approval: 2, soon: 1}", "soon")])
def test_a_deadline_setting_out_of_range_is_refused_by_name(uow, clock, plan_249, setting, field):
    text = (TEMPLATES / "qng-249-kh-bcd138.yaml").read_text(encoding="utf-8")
    text = text.replace("\nreporting:", f"\ndeadlines: {setting}\nreporting:", 1)
    with pytest.raises(Invalid) as refused:
        templates.register_template(uow, clock, SYSTEM, text.encode(), "bad.yaml")
    assert field in str(refused.value.errors)


def test_an_approval_is_due_five_working_days_after_the_result_is_submitted(uow, clock, plan):
    clock.set(at("2022-09-19T15:00+07:00"))
    complete_for(uow, clock, instance_of(uow, plan, "4"), "report_result", "QNG-CA", {"summary": "Xong"})
    review = open_at(instance_of(uow, plan, "4"), "review_result")["QNG-CA"]
    assert review.lane == "standing_body" and review.due_at == at("2022-09-26T23:59:59+07:00")


def test_a_contribution_asked_after_its_date_passed_is_due_the_day_it_is_asked(uow, clock, plan_249):
    clock.set(at("2022-07-29T09:00+07:00"))  # item 6 is due at the end of July; 3 working days before is 27 July
    plan = launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT"]})
    dues = {task.due_at for task in open_at(instance_of(uow, plan, "6"), "contribute").values()}
    assert dues == {at("2022-07-29T23:59:59+07:00")}


def test_an_extension_of_a_contribution_moves_its_deadline(uow, clock, plan):
    task = open_at(instance_of(uow, plan, "4"), "contribute")["QNG-STTTT"]
    asked = extensions.request_extension(uow, clock, member_of("QNG-STTTT"), task.id, "2022-09-30",
                                         "Chờ số liệu của các huyện")
    extensions.decide_extension(uow, clock, approver_of("QNG-CA"), asked.id, True)
    assert open_at(instance_of(uow, plan, "4"), "contribute")["QNG-STTTT"].due_at == ITEM_4_DUE


def test_an_agency_that_only_coordinates_gets_its_cell_in_the_matrix(uow, clock, plan):
    clock.set(at("2022-08-01T08:00+07:00"))
    board = dashboard.plan_dashboard(uow, clock, SYSTEM, plan.id)
    assert board.cells[("QNG-DPTTH", "6")] == "overdue"  # its contribution was due on 27 July
    assert board.cells[("QNG-STTTT", "4")] == "in_progress"
    assert "QNG-DPTTH" in board.matrix_agencies
    assert "QNG-DPTTH" not in [entry.agency for entry in board.by_agency]  # it carries no item of its own
    complete_for(uow, clock, instance_of(uow, plan, "6"), "contribute", "QNG-DPTTH", {"contribution": {"summary": "x"}})
    board = dashboard.plan_dashboard(uow, clock, SYSTEM, plan.id)
    assert board.cells[("QNG-DPTTH", "6")] == "done_late"
