"""One unit of work per change: committed once, or nothing of it is there; opened once at a time."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.errors import ProcessFailed
from engine.model.actors import SYSTEM, Actor
from engine.services import launches
from engine.store.audit.tables import AuditRow
from engine.store.people.tables import UserRow
from engine.store.plans.tables import PlanItemRow, PlanRow
from engine.store.processes.tables import InstanceRow, TaskRow
from engine.store.uow import NestedUnitOfWork

COORDINATOR = Actor("dieuphoi", agency="QNG-BCD138", roles=frozenset({"coordinator"}), province="QNG")


def counts(uow) -> dict[str, int]:
    with uow:
        return {row.__tablename__: uow.session.scalar(select(func.count()).select_from(row))
                for row in (PlanRow, PlanItemRow, InstanceRow, TaskRow, AuditRow, UserRow)}


def a_user(name: str, clock) -> UserRow:
    return UserRow(username=name, display_name=name, password_hash="x", agency=None, roles=["auditor"], active=True,
                   email=None, created_at=clock.now())


def test_work_left_without_a_commit_is_rolled_back(uow, clock):
    before = counts(uow)
    with uow:
        uow.users.add(a_user("khong-luu", clock))
        uow.audit.append(clock.now(), "system", "user.added", data={"username": "khong-luu"})
        uow.flush()  # written inside the transaction, never committed
    assert counts(uow) == before


def test_committed_work_is_kept_with_its_audit_event(uow, clock):
    before = counts(uow)
    with uow:
        uow.users.add(a_user("da-luu", clock))
        uow.audit.append(clock.now(), "system", "user.added", data={"username": "da-luu"})
        uow.commit()
    after = counts(uow)
    assert (after["users"], after["audit_log"]) == (before["users"] + 1, before["audit_log"] + 1)


def test_a_launch_that_fails_at_its_third_instance_leaves_no_plan_item_instance_task_or_event(
        uow, clock, plan_249, monkeypatch):
    started = []
    real = launches.begin_instance

    def third_fails(*args, **kwargs):
        started.append(1)
        if len(started) == 3:
            raise ProcessFailed("the third instance could not start")
        return real(*args, **kwargs)

    monkeypatch.setattr(launches, "begin_instance", third_fails)
    before = counts(uow)
    with pytest.raises(ProcessFailed):
        launches.launch_plan(uow, clock, COORDINATOR, plan_249, {"year": 2022})
    assert len(started) == 3  # two instances, their tasks and events were made before the failure
    assert counts(uow) == before


def test_a_unit_of_work_entered_again_while_open_is_refused_and_the_outer_work_goes_on(uow, clock):
    before = counts(uow)
    with uow:
        uow.users.add(a_user("ben-ngoai", clock))
        with pytest.raises(NestedUnitOfWork), uow:
            pass  # never reached: a second transaction beside the first is not opened
        uow.audit.append(clock.now(), SYSTEM.name, "user.added", data={"username": "ben-ngoai"})
        uow.commit()
    assert counts(uow)["users"] == before["users"] + 1
    with uow:  # closed again, it opens as usual
        assert uow.users.by_username("ben-ngoai") is not None
