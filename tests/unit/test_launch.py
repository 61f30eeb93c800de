"""Launching plan 249/KH-BCD138 of Quảng Ngãi from its template."""
import pytest

from engine.errors import Conflict, Invalid, NotFound
from engine.model.actors import SYSTEM, Actor
from engine.services import launches, plans, processes, tasks, worklists
from tests.conftest import member_of

DEPARTMENTS, MASS_ORGANISATIONS, DISTRICTS = 18, 6, 13


@pytest.fixture
def launched(uow, clock, plan_249):
    return launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT", "QNG-H-BINHSON"]},
                             idempotency_key="249-launch")


def item(view, number):
    return next(i for i in view.items if i.number == number)


def test_the_plan_has_the_seven_content_items_of_the_document(launched):
    assert launched.symbol == "249/KH-BCD138"
    assert [i.number for i in launched.items] == ["1", "2", "3", "4", "5", "6", "7", "IV.3"]


@pytest.mark.parametrize("number, lead, coordinating, start, end", [
    ("2", "QNG-CA", [], "2022-05-25T00:00:00+07:00", "2022-12-31T23:59:59+07:00"),
    ("3", "QNG-STTTT", ["QNG-CA"], "2022-05-25T00:00:00+07:00", "2022-12-31T23:59:59+07:00"),
    ("4", "QNG-CA", ["QNG-STTTT", "QNG-H-BINHSON"], "2022-09-01T00:00:00+07:00", "2022-09-30T23:59:59+07:00"),
    ("5", "QNG-CA", ["QNG-STTTT", "QNG-H-BINHSON"], "2022-10-01T00:00:00+07:00", "2022-10-31T23:59:59+07:00"),
    ("6", "QNG-CA", ["QNG-SGDDT", "QNG-DPTTH", "QNG-STTTT", "QNG-H-BINHSON"],
     "2022-07-01T00:00:00+07:00", "2022-07-31T23:59:59+07:00"),
    ("7", "QNG-CA", ["QNG-STTTT", "QNG-H-BINHSON"], "2022-11-01T00:00:00+07:00", "2022-11-30T23:59:59+07:00"),
])
def test_each_item_keeps_the_lead_coordination_and_timing_of_the_document(launched, number, lead, coordinating,
                                                                         start, end):
    found = item(launched, number)
    assert (found.lead, found.coordinating) == (lead, coordinating)
    assert (found.schedule["start"], found.schedule["end"]) == (start, end)


def test_continuous_duties_run_to_the_end_of_2022(launched):
    assert item(launched, "2").process == "continuous_duty"
    assert item(launched, "2").schedule["kind"] == "continuous"
    assert item(launched, "4").process == "plan_item"


def test_item_1_with_performers_expands_to_one_instance_per_agency(launched):
    first = item(launched, "1")
    assert first.lead is None
    assert len(first.instances) == DEPARTMENTS + MASS_ORGANISATIONS + DISTRICTS
    assert {"QNG-STTTT", "QNG-HND", "QNG-H-LYSON"} <= {i["agency"] for i in first.instances}


def test_the_lead_of_a_launched_item_finds_its_task_in_its_worklist(uow, clock, launched):
    worklist = worklists.worklist(uow, clock, member_of("QNG-STTTT")).tasks
    assert "Carry out the item and report the result" in {t.name for t in worklist}
    assert all(t.assigned_agency == "QNG-STTTT" for t in worklist)


def test_a_relaunch_with_the_same_idempotency_key_creates_nothing(uow, clock, plan_249, launched):
    with uow:
        before = uow.instances.count()
    again = launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT", "QNG-H-BINHSON"]},
                                 idempotency_key="249-launch")
    assert again.id == launched.id and again.replayed
    with uow:
        assert uow.instances.count() == before


def test_the_same_idempotency_key_with_other_parameters_is_a_conflict_naming_the_difference(
        uow, clock, plan_249, launched):
    with pytest.raises(Conflict, match=r"relevant_units: \['QNG-STTTT', 'QNG-H-BINHSON'\] then, \['QNG-STTTT'\] now"):
        launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT"]},
                             idempotency_key="249-launch")


def test_a_second_plan_with_the_same_symbol_needs_saying_so(uow, clock, plan_249, launched):
    with pytest.raises(Conflict, match="plan 249/KH-BCD138 was launched already"):
        launches.launch_plan(uow, clock, SYSTEM, plan_249, {})
    again = launches.launch_plan(uow, clock, SYSTEM, plan_249, {}, allow_duplicate_symbol=True)
    assert again.id != launched.id and again.symbol == launched.symbol


@pytest.mark.parametrize("key", ["short", "x" * 201])
def test_an_idempotency_key_of_the_wrong_length_is_refused_as_by_the_api(uow, clock, plan_249, key):
    with pytest.raises(Invalid) as refused:
        launches.launch_plan(uow, clock, SYSTEM, plan_249, {}, idempotency_key=key)
    assert "idempotency_key" in refused.value.errors


def test_an_agency_list_must_be_a_list(uow, clock, plan_249):
    with pytest.raises(Invalid) as refused:
        launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": "QNG-STTTT"})
    assert "a list of agency codes" in refused.value.errors["parameters.relevant_units"][0]


def test_an_unknown_parameter_or_agency_is_refused_naming_it(uow, clock, plan_249):
    with pytest.raises(Invalid) as refused:
        launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-CAT"], "colour": "red"})
    assert "parameters.colour" in refused.value.errors
    assert "did you mean 'QNG-CA'" in refused.value.errors["parameters.relevant_units"][0]
    with uow:
        assert uow.plans.all() == []


def test_progress_rolls_up_from_completed_items(uow, clock, launched):
    view = plans.get_plan(uow, clock, launched.id)
    assert view.progress == 0
    eight = item(view, "2")  # the Công an tỉnh's continuous duty of item 2
    instance = processes.get_instance(uow, eight.instances[0]["id"])
    assert instance.open_tasks == []  # it waits for the end of the year
    clock.set("2023-01-02T08:00+07:00")
    processes.fire_due_timers(uow, clock)
    instance = processes.get_instance(uow, instance.id)
    final = instance.open_tasks[0]
    view = tasks.complete_task(uow, clock, member_of("QNG-CA"), final.id, {"summary": "Tổng kết"})
    view = tasks.complete_task(uow, clock, SYSTEM, view.open_tasks[0].id, {"approved": True})
    assert view.status == "completed"
    plan = plans.get_plan(uow, clock, launched.id)
    assert item(plan, "2").status == "completed_late"  # approved after 31/12/2022
    assert item(plan, "2").progress == 1.0
    assert item(plan, "4").status == "overdue"
    assert 0 < plan.progress < 1
    [summary] = plans.list_plans(uow, clock).plans
    assert (summary.id, summary.progress) == (plan.id, plan.progress)  # no sub-plan yet: the same figure


def test_a_sub_plan_links_to_its_item_and_counts_towards_it(uow, clock, launched):
    parent = item(launched, "IV.3")
    sub = launches.launch_sub_plan(uow, clock, SYSTEM, parent.id, "QNG-STTTT", parameters={"number": "15"})
    assert (sub.parent_item_id, sub.issuer, sub.symbol) == (parent.id, "QNG-STTTT", "15/KH")
    assert [i.instances[0]["agency"] for i in sub.items] == ["QNG-STTTT", "QNG-STTTT"]
    view = plans.get_plan(uow, clock, launched.id)
    assert [s["issuer"] for s in item(view, "IV.3").sub_plans] == ["QNG-STTTT"]


def test_a_sub_plan_is_refused_for_an_agency_the_item_does_not_ask(uow, clock, launched):
    with pytest.raises(Invalid, match="is not among"):
        launches.launch_sub_plan(uow, clock, SYSTEM, item(launched, "IV.3").id, "QNG-VKSND", parameters={"number": "1"})


def test_without_a_template_a_sub_plan_is_derived_from_the_items_the_agency_takes_part_in(uow, clock, launched):
    parent = item(launched, "IV.3")
    with uow:
        row = uow.plans.item(parent.id)
        row.sub_plan_template = None  # the item names no template: the agency's plan is derived
        uow.commit()
    sub = launches.launch_sub_plan(uow, clock, SYSTEM, parent.id, "QNG-STTTT", parameters={"number": "21"})
    assert sub.issuer == "QNG-STTTT" and sub.symbol == "21/KH"
    # Sở TT&TT does item 1 (every department), leads item 3, coordinates items 4-7 (relevant unit at launch).
    assert [i.number for i in sub.items] == ["1", "3", "4", "5", "6", "7"]
    assert {i.lead for i in sub.items} == {"QNG-STTTT"}
    assert item(sub, "4").schedule["end"] == "2022-09-30T23:59:59+07:00"
    assert sub.template == "qng-249-kh-bcd138--qng-stttt"


COORDINATOR_QNG = Actor("dieuphoi", "QNG-BCD138", frozenset({"coordinator"}), "QNG")


def test_a_coordinator_launches_only_their_own_provinces_plans(uow, clock, plan_249):
    from engine.model.policy import Forbidden
    from engine.services import templates
    from tests.conftest import TEMPLATES
    templates.register_template(uow, clock, SYSTEM, (TEMPLATES / "gli-cv-930-ubnd-kgvx.yaml").read_bytes(), "gli.yaml")
    with pytest.raises(Forbidden, match="template gli-cv-930-ubnd-kgvx is a plan of GLI"):
        launches.launch_plan(uow, clock, COORDINATOR_QNG, "gli-cv-930-ubnd-kgvx", {})
    assert launches.launch_plan(uow, clock, COORDINATOR_QNG, plan_249, {}).province == "QNG"


def test_a_performer_from_another_province_is_refused_at_launch_naming_it(uow, clock, plan_249):
    with pytest.raises(Invalid) as refused:
        launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT", "GLI-STTTT"]})
    assert "agency 'GLI-STTTT' (Sở Thông tin và Truyền thông tỉnh Gia Lai) is a body of GLI, not of QNG" \
        in str(refused.value)
    assert list(refused.value.errors) == ["parameters.relevant_units"]


def test_plans_of_another_province_are_not_listed_or_shown(uow, clock, launched):
    gia_lai = Actor("coordinator@gli", "GLI-UBND", frozenset({"coordinator"}), "GLI")
    assert plans.list_plans(uow, clock, actor=gia_lai).total == 0
    with pytest.raises(NotFound):
        plans.get_plan(uow, clock, launched.id, gia_lai)
    assert plans.list_plans(uow, clock, actor=COORDINATOR_QNG).total == 1
    auditor = Actor("kiemtra", roles=frozenset({"auditor"}))
    assert plans.list_plans(uow, clock, actor=auditor).total == 1


def test_an_agencys_member_launches_its_sub_plan_without_naming_it(uow, clock, launched):
    member = Actor("stttt", "QNG-STTTT", frozenset({"agency_member"}), "QNG")
    sub = launches.launch_sub_plan(uow, clock, member, item(launched, "IV.3").id, parameters={"number": "15"})
    assert sub.issuer == "QNG-STTTT"


def test_a_sub_plan_takes_the_parents_year_and_keeps_a_whole_symbol(uow, clock, plan_249):
    parent = launches.launch_plan(uow, clock, SYSTEM, plan_249, {"year": 2023, "issued_on": "2023-03-01"})
    sub = launches.launch_sub_plan(uow, clock, SYSTEM, item(parent, "IV.3").id, "QNG-STTTT",
                                   parameters={"number": "45/KH-STTTT"})
    assert sub.symbol == "45/KH-STTTT"  # not 45/KH-STTTT/KH
    assert sub.parameters["year"] == 2023
    assert item(sub, "2").schedule["end"].startswith("2023-12-15")  # not the named template's own 2022


def test_an_escalated_item_says_so(uow, clock, launched):
    clock.advance(days=150)  # item 4 was due on 30 September 2022
    processes.fire_due_timers(uow, clock, limit=500)
    view = plans.get_plan(uow, clock, launched.id)
    assert item(view, "4").status == "overdue" and item(view, "4").escalated
    assert item(view, "7").status == "not_yet_due" and not item(view, "7").escalated  # November's


def test_a_launch_inserts_its_instances_together_with_ids_no_later_start_takes_again(database, uow, clock, plan_249):
    """The ids are reserved in one statement, so the instances go in together (not one INSERT each for its id)."""
    from sqlalchemy import event
    inserts = []

    def record(connection, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO PROCESS_INSTANCES"):
            inserts.append(len(parameters) if executemany else 1)

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        view = launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT"]})
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    ids = [instance["id"] for each in view.items for instance in each.instances]
    assert len(ids) > 40 and len(set(ids)) == len(ids)
    items_with_instances = [each for each in view.items if each.instances]
    # One batch an item at most (each item is written before its instances), never one each.
    assert sum(inserts) == len(ids) and len(inserts) <= len(items_with_instances) < len(ids) / 4
    later = processes.start_instance(uow, clock, SYSTEM, "plan_item", {
        "lead_agency": "QNG-CA", "coordinating_agencies": [], "standing_body": "QNG-BCD138",
        "deadline": "2099-09-30T17:00:00+07:00", "title": "sau khi triển khai"})
    assert later.id > max(ids)
    again = launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT"]},
                                 allow_duplicate_symbol=True)
    assert min(instance["id"] for each in again.items for instance in each.instances) > later.id
