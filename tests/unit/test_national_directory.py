"""The national directory: every province of today's national list with its communes and standard bodies, and
the 2025 reform as dates, so that a name resolves to the body of the plan's own date on either side of
1 March 2025 (the departments merged) and 1 July 2025 (the provinces merged, the districts ended)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

from engine.directory.provinces import predecessor_codes
from engine.errors import Invalid
from engine.model.actors import SYSTEM
from engine.model.agencies import AgencyDirectory
from engine.services import directory, launches, templates
from engine.store import UnitOfWork
from tests.conftest import ROOT, TEMPLATES

BEFORE_MARCH, MARCH = date(2025, 2, 28), date(2025, 3, 1)
BEFORE_JULY, JULY = date(2025, 6, 30), date(2025, 7, 1)
#: The departments Nghị định 45/2025/NĐ-CP and 150/2025/NĐ-CP give every province, with its office.
UNIFORM = ("SNV", "STP", "STC", "SCT", "SNNMT", "SXD", "SKHCN", "SVHTTDL", "SGDDT", "SYT", "TTRA", "VPUBND")


@pytest.fixture
def whole(national_database) -> AgencyDirectory:
    return directory.load_directory(UnitOfWork(national_database.sessions))


def package_units() -> list[dict]:
    return json.loads(Path(NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))


def test_the_directory_has_the_34_units_of_the_national_list_today(whole):
    today = [p for p in whole.provinces.values() if p.exists_on(date(2026, 12, 7)) and p.code != "VN"]
    assert sorted(p.gso_code for p in today) == sorted(f"{unit['code']:02d}" for unit in package_units())
    assert len(today) == 34


def test_each_province_has_as_many_communes_as_the_national_list_gives_it(whole):
    by_gso = {p.gso_code: p.code for p in whole.provinces.values() if p.gso_code}
    counted = {code: 0 for code in by_gso.values()}
    for agency in whole.agencies.values():
        if "communes" in agency.groups:
            counted[agency.province] += 1
    assert counted == {by_gso[f"{unit['code']:02d}"]: len(unit["wards"]) for unit in package_units()}
    assert sum(counted.values()) == 3321


def test_every_province_of_today_has_its_uniform_departments_police_military_front_tax_and_press(whole):
    today = whole.as_of(date(2026, 1, 1))
    missing = [f"{province}-{suffix}" for province in {p.code for p in whole.provinces.values()
                                                       if p.valid_until is None and p.code != "VN"}
               for suffix in (*UNIFORM, "UBND", "CA", "BCHQS", "MTTQ", "THUE", "BAOPTTH")
               if f"{province}-{suffix}" not in today]
    assert missing == []


def test_the_departments_plans_address_in_lam_dong_today_are_its_uniform_ones_its_own_and_the_police(whole):
    members = set(whole.as_of(date(2026, 1, 1)).members("departments", "LDG"))
    assert members == {f"LDG-{suffix}" for suffix in (*UNIFORM, "CA", "SDTTG")}


def test_information_and_communications_resolves_until_28_february_2025_and_passes_to_science(whole):
    assert whole.as_of(BEFORE_MARCH).named("Sở Thông tin và Truyền thông", "QNG") == "QNG-STTTT"
    assert whole.as_of(MARCH).named("Sở Thông tin và Truyền thông", "QNG") is None
    assert whole.as_of(MARCH).named("Sở KH&CN", "QNG") == "QNG-SKHCN"
    assert whole.get("QNG-STTTT").successors == ("QNG-SKHCN",)


def test_agriculture_and_environment_exists_from_1_march_2025_succeeding_two_departments(whole):
    assert whole.as_of(BEFORE_MARCH).named("Sở Nông nghiệp và Môi trường", "QNG") is None
    assert whole.as_of(MARCH).named("Sở Nông nghiệp và Môi trường", "QNG") == "QNG-SNNMT"
    assert {"QNG-STNMT", "QNG-SNNPTNT"} <= set(whole.predecessors("QNG-SNNMT"))


def test_a_district_resolves_until_30_june_2025_and_passes_its_duties_to_the_communes_and_the_province(whole):
    assert whole.as_of(BEFORE_JULY).named("UBND huyện Bình Sơn", "QNG") == "QNG-H-BINHSON"
    assert whole.as_of(JULY).named("UBND huyện Bình Sơn", "QNG") is None
    assert whole.get("QNG-H-BINHSON").successors == ("QNG:communes", "QNG-UBND")


def test_a_commune_resolves_from_1_july_2025(whole):
    assert whole.as_of(BEFORE_JULY).named("UBND phường Xuân Hương - Đà Lạt", "LDG") is None
    assert whole.as_of(JULY).named("UBND phường Xuân Hương - Đà Lạt", "LDG") == "LDG-P-XUANHUONGDALAT"


def test_the_newspaper_s_name_gives_the_newspaper_before_the_press_merger_and_the_merged_body_after(whole):
    assert whole.as_of(BEFORE_JULY).named("Báo Quảng Ngãi", "QNG") == "QNG-BAO"
    assert whole.as_of(JULY).named("Báo Quảng Ngãi", "QNG") == "QNG-BAOPTTH"


def test_a_province_merged_away_is_found_until_30_june_2025_and_its_bodies_pass_to_its_successor(whole):
    assert whole.find_province("Nam Định", BEFORE_JULY).code == "NDH"
    assert whole.find_province("Nam Định", JULY) is None
    assert whole.provinces["NDH"].successor == "NBH"
    assert whole.get("NDH-CA").successors == ("NBH-CA",)
    assert predecessor_codes()["NBH"] == ("HNM", "NDH")


def test_a_name_of_one_province_is_not_found_in_another(whole):
    today = whole.as_of(date(2026, 6, 1))
    assert today.named("Sở Công Thương", "LDG") == "LDG-SCT"
    assert today.named("UBND phường Xuân Hương - Đà Lạt", "GLI") is None


def test_plan_249_of_2022_launches_with_the_same_agencies_as_with_the_directory_of_2022(
        database, national_database, clock, standard_processes):
    from engine.services import definitions

    def preview(db) -> list:
        uow = UnitOfWork(db.sessions)
        if db is database:
            directory.import_agencies(uow, clock, SYSTEM,
                                      yaml.safe_load((ROOT / "seed" / "plan_agencies.yaml").read_text()))
        else:
            definitions.deploy_directory(uow, clock, SYSTEM)
        for name in ("qng-249-kh-bcd138.yaml", "qng-ke-hoach-trien-khai.yaml"):
            templates.register_template(uow, clock, SYSTEM, (TEMPLATES / name).read_bytes(), name)
        symbol, planned = launches.preview_plan(uow, clock, SYSTEM, "qng-249-kh-bcd138")
        return [symbol] + [(item.number, item.lead, item.performers, item.coordinating,
                            [agency for agency, _ in item.instances]) for item in planned]

    then, now = preview(database), preview(national_database)
    assert now == then
    assert any("QNG-STTTT" in str(item) for item in now)  # the body of 2022, though it ended in 2025


NEW_PLAN = """
key: qng-2026-test
name: Kế hoạch năm 2026
document_type: plan
province: {province}
issuer: {province}-UBND
symbol: "{{number}}/KH-UBND"
standing_body: {province}-{standing}
parameters:
  number: {{type: string, default: "1"}}
  issued_on: {{type: date, default: {day}}}
items:
  - number: 1
    title: Việc của năm 2026
    process: plan_item
    lead: {province}-{lead}
    schedule: {{text: "trong năm 2026", year: "2026"}}
"""


def test_a_plan_of_2026_naming_a_department_merged_in_2025_is_refused_naming_its_successor(national_database,
                                                                                         clock):
    uow = UnitOfWork(national_database.sessions)
    with pytest.raises(Invalid) as refused:
        templates.check_template(uow, NEW_PLAN.format(province="QNG", standing="CA", lead="STTTT",
                                                      day="2026-01-15"), "new.yaml")
    assert "ceased on 2025-02-28" in str(refused.value.errors)
    assert "QNG-SKHCN" in str(refused.value.errors)


def test_a_plan_of_2026_of_a_province_merged_away_is_refused_naming_the_province_it_became(national_database):
    uow = UnitOfWork(national_database.sessions)
    with pytest.raises(Invalid) as refused:
        templates.check_template(uow, NEW_PLAN.format(province="NDH", standing="CA", lead="CA", day="2026-01-15"),
                                 "new.yaml")
    assert "was merged into NBH on 1 July 2025" in str(refused.value.errors["province"])


def test_a_plan_of_2026_naming_today_s_bodies_is_valid(national_database, clock):
    from engine.services import definitions
    uow = UnitOfWork(national_database.sessions)
    definitions.deploy_directory(uow, clock, SYSTEM)
    valid = templates.check_template(uow, NEW_PLAN.format(province="LDG", standing="SNV", lead="SNNMT",
                                                          day="2026-01-15"), "new.yaml")
    assert valid.key == "qng-2026-test"


def test_a_plan_naming_a_body_of_another_province_is_refused_saying_whose_it_is(national_database):
    uow = UnitOfWork(national_database.sessions)
    template = NEW_PLAN.format(province="LDG", standing="SNV", lead="SNNMT", day="2026-01-15") \
        .replace("lead: LDG-SNNMT", "lead: GLI-SCT")
    with pytest.raises(Invalid) as refused:
        templates.check_template(uow, template, "new.yaml")
    assert "is a body of GLI, not of LDG" in str(refused.value.errors)


LAM_DONG_PLAN = "\n".join((
    "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 15/KH-UBND",
    "Lâm Đồng, ngày 12 tháng 1 năm 2026", "KẾ HOẠCH", "Phát triển thương mại điện tử năm 2026",
    "II. NỘI DUNG THỰC HIỆN", "1. Hỗ trợ doanh nghiệp bán hàng trực tuyến",
    "(Sở Công Thương chủ trì, Sở Khoa học và Công nghệ, UBND các xã, phường, đặc khu phối hợp thực hiện "
    "trong tháng 6/2026)",
    "IV. TỔ CHỨC THỰC HIỆN", "1. Giao Sở Công Thương là cơ quan thường trực.")) + "\n"


def test_a_lam_dong_plan_of_2026_is_drafted_with_lam_dong_s_bodies_and_its_communes(whole):
    from engine.drafting import draft_here
    draft = draft_here(LAM_DONG_PLAN.encode(), "ke-hoach.txt", whole)
    item = draft.template["items"][0]
    assert draft.template["province"] == "LDG"
    assert item["lead"] == "LDG-SCT"
    # "Sở Khoa học và Công nghệ, UBND các xã, phường, đặc khu": the department and every commune, neither lost
    assert item["coordinating"] == ["LDG-SKHCN", {"groups": ["communes"]}]
    assert draft.template["standing_body"] == "LDG-SCT"


def test_the_directory_kept_for_reading_documents_is_read_again_after_any_change_to_it(national_database, clock):
    from engine.services import agencies
    uow = UnitOfWork(national_database.sessions)
    with uow:
        before_mark = uow.audit.directory_mark()
        before = uow.agencies.directory_json(before_mark)
    agencies.rename_agency(uow, clock, SYSTEM, "LDG-SCT", "Sở Công Thương tỉnh Lâm Đồng (tên mới)")
    with uow:
        mark = uow.audit.directory_mark()
        after = uow.agencies.directory_json(mark)
    assert mark > before_mark
    assert "(tên mới)" in after.decode() and "(tên mới)" not in before.decode()


def test_seed_agencies_yaml_is_the_directory_the_seed_loads_written_out(whole, national_database):
    """seed/agencies.yaml is the product's directory as a file, for tools that read it: it must say what the seed
    loads (the national data and seed/plan_agencies.yaml); `planflow agencies dump -o seed/agencies.yaml` writes
    it again after a change."""
    written = yaml.load((ROOT / "seed" / "agencies.yaml").read_text(encoding="utf-8"),
                        Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert written == directory.directory_file(UnitOfWork(national_database.sessions))
    assert len([p for p in written["provinces"] if "valid_until" not in p and p["code"] != "VN"]) == 34
