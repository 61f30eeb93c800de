"""What the hot paths ask the database: a token's sign-in in one statement, a step's audit seal in a few.

Counts of statements, not timings: each round trip to PostgreSQL costs a request a fraction of a millisecond,
and these paths run on every request and every step (bench/http_completions.py measures the time).
"""
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from engine.errors import Invalid
from engine.model.actors import SYSTEM, Actor
from engine.services import processes, tasks, users, worklists

from ..conftest import complete_for


@contextmanager
def statements(database):
    """The SQL statements run inside the block, first words only (``SELECT``, ``UPDATE audit_head`` …)."""
    seen: list[str] = []

    def record(connection, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()[:3]))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def test_a_token_signs_in_with_one_statement_and_carries_the_agency_and_province(database, uow, clock, agencies):
    users.add_user(uow, clock, SYSTEM, "canbo", "mật-khẩu-đủ-dài", ["agency_member"], agency="QNG-CA")
    token = users.create_token(uow, clock, SYSTEM, "canbo")
    users.actor_for_token(uow, clock, token)  # its first use is written (once a minute)
    with statements(database) as seen:
        actor = users.actor_for_token(uow, clock, token)
    assert actor == Actor("canbo", agency="QNG-CA", roles=frozenset({"agency_member"}), province="QNG",
                          reach=frozenset({"KTM"}))  # Kon Tum, merged into Quảng Ngãi: its history is Quảng Ngãi's
    assert [s for s in seen if not s.startswith(("BEGIN", "ROLLBACK"))] == ["SELECT api_tokens.id, api_tokens.revoked,"]


def test_a_revoked_token_or_a_disabled_user_signs_nobody_in(database, uow, clock, agencies):
    from engine.store.people.tables import ApiTokenRow, UserRow
    users.add_user(uow, clock, SYSTEM, "canbo", "mật-khẩu-đủ-dài", ["agency_member"], agency="QNG-CA")
    token = users.create_token(uow, clock, SYSTEM, "canbo")
    assert users.actor_for_token(uow, clock, token) is not None
    with uow:
        uow.session.query(UserRow).update({"active": False})
        uow.session.commit()
    assert users.actor_for_token(uow, clock, token) is None
    with uow:
        uow.session.query(UserRow).update({"active": True})
        uow.session.query(ApiTokenRow).update({"revoked": True})
        uow.session.commit()
    assert users.actor_for_token(uow, clock, token) is None
    assert users.actor_for_token(uow, clock, "pf_not-a-token") is None


@pytest.mark.parametrize("name", ["system", "System", "anonymous"])
def test_no_person_may_take_the_name_of_the_engine_or_of_a_failed_sign_in(uow, clock, name):
    with pytest.raises(Invalid) as refused:
        users.add_user(uow, clock, SYSTEM, name, "mật-khẩu-đủ-dài", ["coordinator"])
    assert "username" in refused.value.errors


def test_a_completion_seals_its_events_in_three_statements_with_the_officer_s_agency(database, uow, clock, agencies,
                                                                                  standard_processes):
    view = processes.start_instance(uow, clock, SYSTEM, "plan_item", {
        "lead_agency": "QNG-CA", "coordinating_agencies": [], "standing_body": "QNG-BCD138",
        "deadline": "2099-09-30T17:00:00+07:00", "title": "đo câu lệnh"})
    with statements(database) as seen:
        view = complete_for(uow, clock, view, "report_result", "QNG-CA", {"summary": "đã làm"})
    audit = seen[seen.index("UPDATE audit_head SET"):]
    # The head locked and read, the events, the head moved on. The officer's agency came with the actor (a
    # sign-in reads it, a script names it), the engine has none: the one users query is of the standing body's
    # approvers, told of the result waiting for them; the instance, read for the step, tells it belongs to no
    # plan item: no items query.
    assert audit == ["UPDATE audit_head SET", "INSERT INTO audit_log", "UPDATE audit_head SET"]
    assert len([s for s in seen if s.startswith("SELECT users")]) == 1
    events = tasks_events(uow, view.id)
    assert events["task.completed"] == "QNG-CA"
    assert events["task.created"] is None


def tasks_events(uow, instance_id: int) -> dict[str, str | None]:
    """The agency each kind of event of the instance was recorded with (the last of each)."""
    with uow:
        return {row.action: row.actor_agency for row in uow.audit.for_instance(instance_id)}



def test_the_events_of_a_plan_s_instance_name_its_item_and_plan_whether_or_not_the_process_knew_them(
        database, uow, clock, plan_249):
    from engine.services import launches
    from engine.store import kept
    plan = launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT"]})
    item = next(item for item in plan.items if item.number == "4")
    page = worklists.worklist(uow, clock, SYSTEM)
    first, second = [t for t in page.tasks if t.instance_id == item.instances[0]["id"]][:2]
    with statements(database) as seen:  # the launch left the item's plan known to this process
        tasks.complete_task(uow, clock, SYSTEM, first.id, complete_data(first))
    assert not [s for s in seen if s.startswith("SELECT process_instances.id, plan_items.id")]
    kept.forget_all()  # as a process that never saw the plan (another web worker)
    with statements(database) as seen:
        tasks.complete_task(uow, clock, SYSTEM, second.id, complete_data(second))
    assert [s for s in seen if s.startswith("SELECT process_instances.id, plan_items.id")]
    with uow:
        events = [row for row in uow.audit.for_instance(first.instance_id) if row.action == "task.completed"]
    assert len(events) == 2
    assert {(row.item_id, row.plan_id) for row in events} == {(item.id, plan.id)}


def complete_data(task) -> dict:
    return {"contribution": {"summary": "Đã phối hợp"}} if task.lane == "coordinating" else {
        "summary": "Đã tổ chức tọa đàm"}


def test_a_step_on_a_workflow_not_kept_in_memory_finds_its_bpmn_without_reading_the_bundle_again(
        database, uow, clock, agencies, standard_processes):
    from engine.runtime import executions
    view = processes.start_instance(uow, clock, SYSTEM, "plan_item", {
        "lead_agency": "QNG-CA", "coordinating_agencies": [], "standing_body": "QNG-BCD138",
        "deadline": "2099-09-30T17:00:00+07:00", "title": "khôi phục"})
    executions.forget_all()  # as another process would: the workflow is restored from its stored state
    with statements(database) as seen:
        view = complete_for(uow, clock, view, "report_result", "QNG-CA", {"summary": "đã làm"})
    assert [task.element_id for task in view.open_tasks] == ["review_result"]
    assert not [s for s in seen if "definition_bundles" in s]


def test_a_task_s_form_reads_the_task_with_its_instance_s_tasks_and_the_item_with_its_plan_once_each(
        database, uow, clock, plan_249):
    from engine.services import launches, task_details
    plan = launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT"]})
    item = next(item for item in plan.items if item.number == "4")
    task = next(t for t in worklists.worklist(uow, clock, SYSTEM).tasks
                if t.instance_id == item.instances[0]["id"] and t.element_id == "report_result")
    with statements(database) as seen:
        detail = task_details.task_detail(uow, SYSTEM, task.id)
    assert detail.item.number == "4" and detail.item.plan_id == plan.id
    assert detail.variables["item"] == "4" and detail.variables["process"] == "plan_item"
    reads = [s for s in seen if s.startswith("SELECT")]
    assert len(reads) == 3, reads  # the tasks, the evidence, the instance with its item and plan


def test_what_a_rolled_back_transaction_that_wrote_read_is_not_kept_and_a_committed_one_s_is(database):
    from sqlalchemy import select, update

    from engine.store import kept
    from engine.store.audit.tables import AuditHeadRow
    kept.forget_all()
    with database.sessions() as session:  # wrote, learned, rolled back: the row it read may be its own
        session.execute(update(AuditHeadRow).values(seq=AuditHeadRow.seq))
        kept.learn(session, "plan_of_item", 7, 1)
        session.rollback()
        assert kept.known(session, "plan_of_item") == {}
    with database.sessions() as session:  # read only, closed without a commit: what it read was committed
        session.execute(select(AuditHeadRow.seq)).all()
        kept.learn(session, "plan_of_item", 8, 2)
    with database.sessions() as session:
        assert kept.known(session, "plan_of_item") == {8: 2}
    with database.sessions() as session:  # wrote and committed
        session.execute(update(AuditHeadRow).values(seq=AuditHeadRow.seq))
        kept.learn(session, "plan_of_item", 9, 3)
        session.commit()
        assert kept.known(session, "plan_of_item") == {8: 2, 9: 3}
