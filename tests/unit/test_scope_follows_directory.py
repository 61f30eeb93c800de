"""Scope follows the directory: a province's people read their province's work and the work of the provinces
merged into it in 2025 (its history), never a neighbour's; a national body's people read the provinces it
reaches, with their history."""
from __future__ import annotations

import pytest

from engine.model import policy
from engine.model.actors import SYSTEM
from engine.services import agencies, definitions, launches, plans, templates, users
from engine.store import UnitOfWork
from tests.conftest import TEMPLATES

PASSWORD = "mật-khẩu-đủ-dài"


@pytest.fixture
def world(national_database, clock):
    """Plan 22/KH-BCĐ of Nam Định (2024, merged into Ninh Bình in 2025) launched; people of Ninh Bình, Quảng
    Ngãi and Nam Định."""
    uow = UnitOfWork(national_database.sessions)
    definitions.deploy_directory(uow, clock, SYSTEM)
    templates.register_template(uow, clock, SYSTEM, (TEMPLATES / "ndh-22-kh-bcd.yaml").read_bytes(), "ndh.yaml")
    plan = launches.launch_plan(uow, clock, SYSTEM, "ndh-22-kh-bcd", {})
    for name, agency in (("dieuphoi.nbh", "NBH-VPUBND"), ("dieuphoi.qng", "QNG-VPUBND"),
                         ("dieuphoi.ndh", "NDH-BCD138")):
        users.add_user(uow, clock, SYSTEM, name, PASSWORD, ["coordinator"], agency)
    return uow, plan


def seen_by(uow, clock, username: str) -> list[int]:
    return [plan.id for plan in plans.list_plans(uow, clock, actor=users.person(uow, username)).plans]


def test_ninh_binh_s_coordinator_reads_the_plan_of_nam_dinh_merged_into_it(world, clock):
    uow, plan = world
    assert seen_by(uow, clock, "dieuphoi.nbh") == [plan.id]


def test_quang_ngai_s_coordinator_does_not_read_nam_dinh_s_plan(world, clock):
    uow, plan = world
    assert seen_by(uow, clock, "dieuphoi.qng") == []


def test_nam_dinh_s_people_do_not_read_the_province_it_was_merged_into(world):
    uow, _ = world
    person = users.person(uow, "dieuphoi.ndh")
    assert policy.in_scope(person, "NDH") and not policy.in_scope(person, "NBH")


def test_a_national_body_s_people_read_the_provinces_it_reaches_and_no_other(world, clock):
    uow, plan = world
    agencies.add_agency(uow, clock, SYSTEM, agencies.NewAgency(
        code="VN-BCA-V05", name="Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao", province="VN",
        kind="ministry", level="national"))
    users.add_user(uow, clock, SYSTEM, "canbo.v05", PASSWORD, ["auditor"], "VN-BCA-V05")
    assert seen_by(uow, clock, "canbo.v05") == []
    agencies.set_reach(uow, clock, SYSTEM, "VN-BCA-V05", ["QNG"])
    assert policy.scope(users.person(uow, "canbo.v05")) == frozenset({"VN", "QNG", "KTM"})
    assert seen_by(uow, clock, "canbo.v05") == []
    agencies.set_reach(uow, clock, SYSTEM, "VN-BCA-V05", ["NBH"])  # with its history: Hà Nam and Nam Định
    assert seen_by(uow, clock, "canbo.v05") == [plan.id]


def test_a_provincial_administrator_cannot_set_what_a_national_body_reaches(world, clock):
    uow, _ = world
    users.add_user(uow, clock, SYSTEM, "quantri.qng", PASSWORD, ["admin"], "QNG-VPUBND")
    with pytest.raises(policy.Forbidden):
        agencies.set_reach(uow, clock, users.person(uow, "quantri.qng"), "QNG-CA", ["LDG"])
