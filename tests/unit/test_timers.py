"""Timers fire when the worker runs at or after their due time, by the engine clock."""
from pathlib import Path

import pytest

from engine.model.actors import SYSTEM
from engine.services import definitions, processes, tasks

HERE = Path(__file__).parent / "bpmn"


@pytest.fixture
def reminders(uow, clock):
    definitions.deploy(uow, clock, SYSTEM, {"reminders.bpmn": (HERE / "reminders.bpmn").read_bytes()})
    return processes.start_instance(uow, clock, SYSTEM, "reminders", {})


def advance(uow, clock, instance_id, **delta):
    clock.advance(**delta)
    processes.fire_due_timers(uow, clock)
    return processes.get_instance(uow, instance_id)


def names(view):
    return sorted(task.element_id for task in view.open_tasks)


def test_a_timer_start_event_waits_for_its_duration(uow, clock, reminders):
    assert reminders.open_tasks == []
    assert names(advance(uow, clock, reminders.id, minutes=59)) == []
    assert names(advance(uow, clock, reminders.id, minutes=2)) == ["work"]


def test_a_cycle_boundary_spawns_one_reminder_per_period_up_to_its_count(uow, clock, reminders):
    advance(uow, clock, reminders.id, hours=1, seconds=1)
    assert names(advance(uow, clock, reminders.id, days=1)) == ["remind", "work"]
    assert names(advance(uow, clock, reminders.id, days=1)) == ["remind", "remind", "work"]
    assert names(advance(uow, clock, reminders.id, days=5)) == ["remind", "remind", "remind", "work"]


def test_completing_the_work_withdraws_the_pending_reminders(uow, clock, reminders):
    view = advance(uow, clock, reminders.id, hours=1, seconds=1)
    work = [t for t in view.open_tasks if t.element_id == "work"][0]
    view = tasks.complete_task(uow, clock, SYSTEM, work.id, {})
    assert view.status == "completed"
    assert view.next_timer_at is None
