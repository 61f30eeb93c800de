"""Hypothesis drives the engine through random sequences of what happens to plan items: instances started
with or without coordinating agencies and with deadlines near or far, contributions, reports, approvals and
returns, waived contributions, timer rounds and the clock moving on. After every step:

- the task rows are the workflow's: an instance's open rows are exactly the human tasks its stored state
  waits on, and a finished instance has none;
- no task is both done and waiting, nor done twice: each row has one status, and a done one is never open;
- an instance's deadline escalation is raised at most once, and only once its deadline has passed;

and at the end the audit chain verifies.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from engine.bpmn.runtime import Execution
from engine.errors import Conflict
from engine.model.actors import SYSTEM, Actor
from engine.runtime.bundles import bundle_for
from engine.services import assignments, audit, processes, tasks
from engine.store import UnitOfWork

COORDINATING = ["QNG-STTTT", "QNG-SGDDT"]
APPROVERS = [Actor(f"pheduyet{n}", agency="QNG-BCD138", roles=frozenset({"approver"})) for n in range(2)]
COORDINATOR = Actor("dieuphoi", agency="QNG-BCD138", roles=frozenset({"coordinator"}))


def member(agency: str) -> Actor:
    return Actor(f"canbo@{agency}", agency=agency, roles=frozenset({"agency_member"}))


class PlanItems(RuleBasedStateMachine):
    """What can happen to plan items, in any order; the world (a database, a clock) is the test's."""

    database = None
    clock = None

    def fresh_uow(self) -> UnitOfWork:
        return UnitOfWork(self.database.sessions)

    @initialize(coordinating=st.integers(0, 2), days=st.integers(1, 60))
    def begin(self, coordinating, days):
        self.ids: list[int] = []
        self.deadlines: dict[int, datetime] = {}
        self.start(coordinating, days)

    @rule(coordinating=st.integers(0, 2), days=st.integers(1, 60))
    def start(self, coordinating, days):
        deadline = self.clock.now() + timedelta(days=days)
        view = processes.start_instance(self.fresh_uow(), self.clock, SYSTEM, "plan_item", {
            "lead_agency": "QNG-CA", "coordinating_agencies": COORDINATING[:coordinating],
            "standing_body": "QNG-BCD138", "deadline": deadline.isoformat(), "title": "thuộc tính"})
        self.ids.append(view.id)
        self.deadlines[view.id] = deadline

    def one_open(self, element: str, pick: int):
        """The ``pick``-th open task at ``element`` among every instance's (wrapping round), or None."""
        found = [task for instance_id in self.ids
                 for task in processes.get_instance(self.fresh_uow(), instance_id).open_tasks
                 if task.element_id == element]
        return found[pick % len(found)] if found else None

    @precondition(lambda self: self.ids)
    @rule(pick=st.integers(0, 50))
    def contribute(self, pick):
        if task := self.one_open("contribute", pick):
            tasks.complete_task(self.fresh_uow(), self.clock, member(task.assigned_agency), task.id,
                                {"contribution": {"summary": "ý kiến phối hợp"}})

    @precondition(lambda self: self.ids)
    @rule(pick=st.integers(0, 50))
    def waive(self, pick):
        if task := self.one_open("contribute", pick):
            assignments.waive_contribution(self.fresh_uow(), self.clock, COORDINATOR, task.id, "đơn vị không có ý kiến")

    @precondition(lambda self: self.ids)
    @rule(pick=st.integers(0, 50))
    def report(self, pick):
        if task := self.one_open("report_result", pick):
            tasks.complete_task(self.fresh_uow(), self.clock, member("QNG-CA"), task.id, {"summary": "đã thực hiện"})

    @precondition(lambda self: self.ids)
    @rule(pick=st.integers(0, 50), approve=st.booleans(), who=st.integers(0, 1))
    def decide(self, pick, approve, who):
        if task := self.one_open("review_result", pick):
            tasks.complete_task(self.fresh_uow(), self.clock, APPROVERS[who], task.id,
                                {"approved": approve, **({} if approve else {"return_reason": "bổ sung"})})

    @precondition(lambda self: self.ids)
    @rule(pick=st.integers(0, 50))
    def complete_twice(self, pick):
        """A second completion of a done task changes nothing: Conflict."""
        for instance_id in self.ids:
            with self.fresh_uow() as uow:
                done = [row.id for row in uow.tasks.for_instance(instance_id) if row.status == "completed"]
            if done:
                with pytest.raises(Conflict):
                    tasks.complete_task(self.fresh_uow(), self.clock, SYSTEM, done[pick % len(done)],
                                        {"summary": "lại"})
                return

    @rule(hours=st.sampled_from([1, 8, 24, 24 * 7, 24 * 30]))
    def time_passes(self, hours):
        self.clock.advance(hours=hours)

    @rule()
    def timers(self):
        processes.fire_due_timers(self.fresh_uow(), self.clock)

    @invariant()
    def task_rows_are_the_workflow_s(self):
        with self.fresh_uow() as uow:
            for instance_id in self.ids:
                instance = uow.instances.get(instance_id)
                rows = uow.tasks.for_instance(instance_id)
                assert len({row.id for row in rows}) == len(rows)  # one row a task: one status each
                open_rows = {row.id for row in rows if row.status == "ready"}
                done_rows = {row.id for row in rows if row.status in ("completed", "waived", "cancelled")}
                assert not open_rows & done_rows
                if instance.status == "completed":
                    assert open_rows == set()
                    continue
                definition = instance.definition
                stored = Execution.restore(bundle_for(definition.bundle), definition.key, instance.state, self.clock)
                assert open_rows == {ready.task_id for ready in stored.ready_tasks()}

    @invariant()
    def a_deadline_escalates_once_and_only_when_passed(self):
        with self.fresh_uow() as uow:
            for instance_id in self.ids:
                raised = uow.incidents.escalations(instance_id)
                assert len(raised) <= 1
                assert all(escalation.raised_at >= self.deadlines[instance_id] for escalation in raised)



def test_random_histories_keep_the_engine_s_invariants(database, clock, agencies, standard_processes):
    PlanItems.database, PlanItems.clock = database, clock
    run_state_machine_as_test(PlanItems, settings=settings(
        max_examples=12, stateful_step_count=40, deadline=None, derandomize=True, database=None,
        suppress_health_check=list(HealthCheck)))
    verification = audit.verify(UnitOfWork(database.sessions), None)
    assert verification.ok, verification.first_break
