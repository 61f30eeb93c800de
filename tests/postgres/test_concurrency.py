"""Concurrent completions and concurrent timer workers on the real PostgreSQL server."""
import threading
from pathlib import Path

from engine.bpmn import runtime
from engine.errors import Conflict
from engine.model.actors import SYSTEM
from engine.services import definitions, processes, tasks
from engine.store import UnitOfWork

BPMN = Path(__file__).resolve().parents[1] / "unit" / "bpmn"


def test_two_completions_of_one_task_at_once_one_wins(pg_database, pg_uow, clock, monkeypatch):
    definitions.deploy(pg_uow, clock, SYSTEM, {"g.bpmn": (BPMN / "gateway_without_default.bpmn").read_bytes()})
    view = processes.start_instance(pg_uow, clock, SYSTEM, "choose", {})
    task_id = view.open_tasks[0].id
    both_loaded = threading.Barrier(2, timeout=20)
    original = runtime.Execution.complete_task

    def complete_after_both_loaded(self, *args, **kwargs):
        both_loaded.wait()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(runtime.Execution, "complete_task", complete_after_both_loaded)
    outcomes = []

    def attempt(choice):
        try:
            tasks.complete_task(UnitOfWork(pg_database.sessions), clock, SYSTEM, task_id, {"choice": choice})
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=attempt, args=(c,)) for c in "ab"]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(outcomes) == ["conflict", "won"]
    assert len(processes.get_instance(pg_uow, view.id).open_tasks) == 1


def test_two_timer_workers_advance_each_due_instance_exactly_once(pg_database, pg_uow, clock):
    definitions.deploy(pg_uow, clock, SYSTEM, {"t.bpmn": (BPMN / "timer_then_script.bpmn").read_bytes()})
    ids = [processes.start_instance(pg_uow, clock, SYSTEM, "wait_then_compute", {"total": 8, "parts": 2}).id
           for _ in range(20)]
    clock.advance(days=8)
    results, errors = [], []

    def work():
        try:
            results.append(processes.fire_due_timers(UnitOfWork(pg_database.sessions), clock))
        except Exception as error:  # a worker must never crash on another worker's progress
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    assert sum(r["advanced"] for r in results) == 20
    assert sum(r["failed"] for r in results) == 0
    for instance_id in ids:
        view = processes.get_instance(pg_uow, instance_id)
        assert [t.element_id for t in view.open_tasks] == ["check"]
