"""The dashboard's numbers on the demo plan 249/KH-BCD138 as of 1 October 2022: item 4 done on time,
item 6 overdue (due in July, never reported), the rest in progress; by agency, overdue first; weekly."""
from __future__ import annotations

from datetime import date

import pytest

from engine.model.actors import SYSTEM, Actor
from engine.model.clock import parse_instant
from engine.services import dashboard, extensions, worklists
from seed.demo import load_demo


@pytest.fixture
def demo(uow, clock, plan_249):
    plan_id = load_demo(uow, lambda _: None, "2022-10-01T08:00+07:00")
    clock.set(parse_instant("2022-10-01T08:00+07:00"))
    return plan_id


def test_the_plan_counts_each_agencys_work_in_the_official_layout(uow, clock, demo):
    board = dashboard.plan_dashboard(uow, clock, SYSTEM, demo)
    counts = board.counts
    assert (counts.done_on_time, counts.done_late, counts.overdue) == (1, 0, 1)
    assert counts.total == counts.done_on_time + counts.done_late + counts.in_progress + counts.overdue
    assert counts.total > 60  # items 1 and IV.3 are each done by every department and district
    assert counts.not_yet_due == 1  # item 7, November's
    assert [(w.item_number, w.agency, w.days_overdue) for w in board.overdue] == [("6", "QNG-CA", 62)]
    police = board.by_agency[0]
    assert police.agency == "QNG-CA" and police.name == "Công an tỉnh Quảng Ngãi" and police.counts.overdue == 1
    assert police.counts.done_on_time == 1


def test_completion_is_counted_week_by_week_from_the_launch(uow, clock, demo):
    weeks = dashboard.plan_dashboard(uow, clock, SYSTEM, demo).weeks
    assert weeks[0].start == date(2022, 5, 23)  # the Monday of the launch week (26 May 2022)
    assert weeks[-1].start == date(2022, 9, 26)
    assert [w.start.weekday() for w in weeks] == [0] * len(weeks)
    assert weeks[0].completed == 0 and weeks[-1].completed == 1 and weeks[-1].completed_on_time == 1
    done_week = next(w for w in weeks if w.completed)
    assert all(w.completed == 1 for w in weeks if w.start >= done_week.start)
    assert {w.total for w in weeks} == {weeks[0].total}


def test_an_extension_granted_takes_the_work_out_of_the_overdue_count(uow, clock, demo):
    from engine.model.tasks import WorklistFilter
    page = worklists.worklist(uow, clock, SYSTEM, WorklistFilter(agency="QNG-CA", plan_id=demo), per_page=200)
    item_6 = next(task for task in page.tasks if task.item_number == "6")
    member = Actor("congan", agency="QNG-CA", roles=frozenset({"agency_member"}))
    asked = extensions.request_extension(uow, clock, member, item_6.id, "2022-10-15", "Hội thảo dời lịch")
    extensions.decide_extension(uow, clock, SYSTEM, asked.id, True)
    board = dashboard.plan_dashboard(uow, clock, SYSTEM, demo)
    assert board.counts.overdue == 0 and board.overdue == []


def test_the_province_board_lists_every_plan_with_its_counts(uow, clock, demo):
    board = dashboard.province_dashboard(uow, clock, SYSTEM)
    assert [entry["symbol"] for entry in board.plans] == ["249/KH-BCD138"]
    assert board.plans[0]["counts"].overdue == 1 and board.counts.total == board.plans[0]["counts"].total
    elsewhere = Actor("tg", agency="TGG-STTTT", roles=frozenset({"coordinator"}), province="TGG")
    assert dashboard.province_dashboard(uow, clock, elsewhere).plans == []
