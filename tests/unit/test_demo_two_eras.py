"""The demo plays two eras: plan 249 of Quảng Ngãi with the bodies of 2022, and Lâm Đồng as it is since the 2025
reform, brought on board in January 2026 with its plan of 2026, whose people arrived through their invitation
links and whose tasks sit in their own bodies' worklists, departments and communes alike."""
from __future__ import annotations

import pytest

from engine.model.clock import FixedClock, parse_instant
from engine.model.tasks import WorklistFilter
from engine.services import plans, users, worklists
from seed import demo_2026
from seed.demo import AS_OF, load_demo, seed_clock
from seed.loader import demo_password, load_seed


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """One database with the whole demo, for the module's tests (they only read it)."""
    from engine.store import Database, UnitOfWork
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database = Database(f"sqlite:///{path}")
    database.create_schema()
    uow = UnitOfWork(database.sessions)
    load_seed(uow, seed_clock(uow, FixedClock(parse_instant(AS_OF))), lambda _: None)
    said: list[str] = []
    load_demo(uow, said.append)
    yield uow, said
    database.dispose()


def at_stop():
    return FixedClock(parse_instant(AS_OF))


def test_both_plans_are_played_the_2022_one_and_lam_dong_s_of_2026(played):
    uow, said = played
    symbols = {plan.symbol for plan in plans.list_plans(uow, at_stop()).plans}
    assert symbols == {"249/KH-BCD138", "01/KH-UBND"}
    assert any("Tỉnh Lâm Đồng brought on board on 2026-01-05: 161 bodies" in line for line in said)


def test_lam_dong_s_plan_gives_each_of_its_departments_and_124_communes_their_own_reform_plan(played):
    uow, _ = played
    plan_id = next(plan.id for plan in plans.list_plans(uow, at_stop()).plans if plan.symbol == "01/KH-UBND")
    item = next(item for item in plans.get_plan(uow, at_stop(), plan_id).items if item.number == "PL.VII.1")
    owners = {instance["agency"] for instance in item.instances}
    assert len(owners) == 138 and {"LDG-SNV", "LDG-SNNMT", "LDG-P-XUANHUONGDALAT", "LDG-DK-PHUQUY"} <= owners
    assert sum(code.startswith(("LDG-X-", "LDG-P-", "LDG-DK-")) for code in owners) == 124


def test_a_commune_officer_sees_only_their_commune_s_tasks(played):
    uow, _ = played
    officer = users.person(uow, "canbo.xuanhuong")
    page = worklists.worklist(uow, at_stop(), officer, WorklistFilter(), per_page=100)
    assert page.tasks and {task.assigned_agency for task in page.tasks} == {"LDG-P-XUANHUONGDALAT"}


def test_every_lam_dong_person_set_their_password_through_their_link_and_signs_in_with_it(played):
    uow, _ = played
    for username in ("quantri.ldg", "dieuphoi.ldg", *(person[0] for person in demo_2026.PEOPLE)):
        assert users.authenticate(uow, username, demo_password()) is not None, username


def test_the_returned_then_late_digital_transformation_plan_is_completed_late(played):
    uow, _ = played
    plan_id = next(plan.id for plan in plans.list_plans(uow, at_stop()).plans if plan.symbol == "01/KH-UBND")
    statuses = {item.number: item.status for item in plans.get_plan(uow, at_stop(), plan_id).items}
    assert (statuses["PL.VI.1"], statuses["PL.VII.2"], statuses["PL.VII.1"]) == \
        ("completed_late", "completed_on_time", "overdue")

