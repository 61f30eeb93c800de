"""The administrators' API: provinces brought on board, a province's bodies added, renamed, merged and retired,
its people invited, corrected and disabled, and the one-time links people set their password with; each change
in the audit log, and nothing of another province within an administrator's reach."""
from __future__ import annotations

from datetime import timedelta

import pytest

from .administrators import administrator, onboard_lam_dong, stranger, token_of
from .conftest import Client


@pytest.fixture
def national(as_user):
    return as_user("quantri")


@pytest.fixture
def qng_admin(app):
    return administrator(app, "qng-quantri", "QNG-UBND")


def actions(national, prefix: str) -> list[str]:
    return [event["action"] for event in national.get(f"/api/v1/audit?action={prefix}&limit=1000")
            .get_json()["events"]]


# --- provinces -------------------------------------------------------------------------------------------------
def test_the_provinces_are_today_s_34_and_with_all_those_merged_into_them_too(national):
    today = national.get("/api/v1/provinces").get_json()
    everything = national.get("/api/v1/provinces?all=1").get_json()
    assert len(today) == 34 and len(everything) > 34
    assert {"Tỉnh Đắk Nông", "Tỉnh Bình Thuận"} <= set(national.get("/api/v1/provinces/LDG").get_json()["predecessors"])


def test_a_national_administrator_brings_a_province_on_board_and_gets_the_links_of_those_without_e_mail(national):
    made = national.post("/api/v1/provinces", json={"name": "Lâm Đồng", "admin": {"email": "qt@lamdong.gov.vn"},
                                                    "coordinator": {"username": "dieuphoi.lamdong"}})
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["province"]["code"] == "LDG" and body["province"]["onboarded_at"]
    links = {invitation["username"]: invitation["link"] for invitation in body["invitations"]}
    assert links["quantri.ldg"] is None
    assert links["dieuphoi.lamdong"].startswith("https://localhost/invitations/")
    assert "province.onboarded" in actions(national, "province.")


def test_a_province_on_board_already_is_not_brought_on_board_twice(national):
    assert national.post("/api/v1/provinces", json={"name": "LDG"}).status_code == 201
    assert national.post("/api/v1/provinces", json={"name": "LDG"}).status_code == 409


def test_a_provincial_administrator_does_not_bring_provinces_on_board(qng_admin):
    assert qng_admin.post("/api/v1/provinces", json={"name": "Lâm Đồng"}).status_code == 403


def test_the_links_lead_to_the_configured_address_when_there_is_one(app, national):
    settings = app.extensions["planflow"].settings
    app.extensions["planflow"].settings = settings.but(base_url="https://planflow.lamdong.gov.vn")
    made = national.post("/api/v1/provinces", json={"name": "Lâm Đồng"}).get_json()
    assert made["invitations"][0]["link"].startswith("https://planflow.lamdong.gov.vn/invitations/")


# --- the directory ---------------------------------------------------------------------------------------------
def test_the_whole_directory_comes_a_page_at_a_time_with_its_count_in_a_header(national):
    first = national.get("/api/v1/agencies")
    total = int(first.headers["X-Total-Count"])
    assert total > 5000 and len(first.get_json()) == 500
    last = national.get(f"/api/v1/agencies?page={total // 1000 + 1}&per_page=1000").get_json()
    assert len(last) == total % 1000


def test_a_province_s_directory_comes_whole_in_one_page(national):
    answer = national.get("/api/v1/agencies?province=LDG")
    assert len(answer.get_json()) == int(answer.headers["X-Total-Count"]) == 161


def test_an_administrator_adds_a_body_to_their_province(qng_admin, national):
    added = qng_admin.post("/api/v1/agencies", json={"code": "QNG-BQLKKT", "name": "Ban Quản lý Khu kinh tế Dung Quất",
                                                     "province": "QNG", "kind": "other"})
    assert added.status_code == 201, added.get_json()
    assert "QNG-BQLKKT" in {a["code"] for a in qng_admin.get("/api/v1/agencies?search=dung quat").get_json()}
    assert "agency.added" in actions(national, "agency.")


def test_a_renamed_body_keeps_its_old_name_as_another_name(qng_admin, national):
    renamed = qng_admin.post("/api/v1/agencies/QNG-SKHCN/rename", json={"name": "Sở Khoa học, Công nghệ và Số"})
    assert renamed.status_code == 200, renamed.get_json()
    assert "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi" in renamed.get_json()["aliases"]
    found = qng_admin.get("/api/v1/agencies?search=khoa hoc va cong nghe quang ngai").get_json()
    assert [agency["code"] for agency in found] == ["QNG-SKHCN"]
    assert "agency.renamed" in actions(national, "agency.")


def test_a_merge_moves_the_people_and_records_the_successor(qng_admin, national):
    merged = qng_admin.post("/api/v1/agencies/QNG-STTTT/merge", json={"codes": ["QNG-SGDDT"], "last_day": "2022-05-31"})
    assert merged.status_code == 200, merged.get_json()
    history = qng_admin.get("/api/v1/agencies/QNG-SGDDT/history").get_json()
    assert history["agency"]["successors"] == ["QNG-STTTT"] and history["agency"]["valid_until"] == "2022-05-31"
    people = {p["username"]: p["agency"] for p in qng_admin.get("/api/v1/people?per_page=200").get_json()["people"]}
    assert people["sgddt"] == "QNG-STTTT"
    assert "agency.merged" in actions(national, "agency.")


def test_a_retired_body_is_in_the_directory_until_its_last_day_only(qng_admin, national):
    retired = qng_admin.post("/api/v1/agencies/QNG-H-LYSON/retire", json={"last_day": "2022-06-30",
                                                                          "successors": ["QNG-UBND"]})
    assert retired.status_code == 200 and retired.get_json()["valid_until"] == "2022-06-30"
    on = {day: {a["code"] for a in qng_admin.get(f"/api/v1/agencies?province=QNG&on={day}").get_json()}
          for day in ("2022-06-30", "2022-07-01")}
    assert "QNG-H-LYSON" in on["2022-06-30"] and "QNG-H-LYSON" not in on["2022-07-01"]
    assert "agency.retired" in actions(national, "agency.")


def test_a_body_s_history_names_where_its_duties_came_from(qng_admin):
    qng_admin.post("/api/v1/agencies/QNG-STTTT/merge", json={"codes": ["QNG-SGDDT"]})
    history = qng_admin.get("/api/v1/agencies/QNG-STTTT/history").get_json()
    assert [before["code"] for before in history["predecessors"]] == ["QNG-SGDDT"]
    assert [event["action"] for event in history["events"]] == ["agency.merged"]


def test_a_quang_ngai_administrator_cannot_change_lam_dong_s_bodies(app, qng_admin):
    onboard_lam_dong(app)
    assert qng_admin.post("/api/v1/agencies/LDG-SNV/rename", json={"name": "Sở Nội vụ"}).status_code == 404
    assert qng_admin.post("/api/v1/agencies/LDG-SNV/retire", json={}).status_code == 404
    assert qng_admin.get("/api/v1/agencies/LDG-SNV/history").status_code == 404
    assert qng_admin.post("/api/v1/agencies", json={"code": "LDG-X", "name": "X", "province": "LDG"}).status_code == 403
    assert qng_admin.get("/api/v1/agencies?province=LDG").status_code == 403


def test_someone_who_is_not_an_administrator_changes_no_body(as_user):
    assert as_user("dieuphoi").post("/api/v1/agencies/QNG-SKHCN/rename", json={"name": "X"}).status_code == 403


# --- people ----------------------------------------------------------------------------------------------------
def test_a_provincial_administrator_lists_the_people_of_their_province_only(app, qng_admin):
    onboard_lam_dong(app)
    listed = {p["username"] for p in qng_admin.get("/api/v1/people?per_page=200").get_json()["people"]}
    assert {"congan", "dieuphoi", "qng-quantri"} <= listed and not {"quantri.ldg", "canbo.ldg", "quantri"} & listed
    assert qng_admin.get("/api/v1/people?province=LDG").status_code == 403


def test_a_quang_ngai_administrator_cannot_see_or_change_lam_dong_s_people(app, qng_admin):
    onboard_lam_dong(app)
    assert qng_admin.send("patch", "/api/v1/people/canbo.ldg", json={"display_name": "X"}).status_code == 404
    assert qng_admin.post("/api/v1/people/canbo.ldg/disable").status_code == 404
    assert qng_admin.post("/api/v1/people/canbo.ldg/reset-password").status_code == 404
    invited = qng_admin.post("/api/v1/people", json={"username": "x.ldg", "roles": ["agency_member"],
                                                     "agency": "LDG-SNV"})
    assert invited.status_code == 403


def test_a_person_s_roles_and_agency_are_corrected_and_the_change_audited(qng_admin, national):
    changed = qng_admin.send("patch", "/api/v1/people/stttt", json={"roles": ["agency_member", "approver"],
                                                           "agency": "QNG-SGDDT", "email": ""})
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert body["roles"] == ["agency_member", "approver"] and body["agency"] == "QNG-SGDDT" and body["email"] is None
    assert "user.updated" in actions(national, "user.")


def test_a_person_is_not_moved_to_a_body_that_does_not_exist_today(qng_admin):
    qng_admin.post("/api/v1/agencies/QNG-H-LYSON/retire", json={"last_day": "2022-05-31"})
    moved = qng_admin.send("patch", "/api/v1/people/stttt", json={"agency": "QNG-H-LYSON"})
    assert moved.status_code == 422 and "agency" in moved.get_json()["errors"]


def test_a_disabled_person_signs_in_no_more_until_enabled(app, qng_admin, national):
    assert qng_admin.post("/api/v1/people/congan/disable").get_json()["state"] == "disabled"
    assert Client(app, "congan").get("/api/v1/me").status_code == 401
    assert qng_admin.post("/api/v1/people/congan/enable").get_json()["state"] == "active"
    assert Client(app, "congan").get("/api/v1/me").status_code == 200
    assert actions(national, "user.")[-2:] == ["user.disabled", "user.enabled"]


def test_an_administrator_cannot_disable_themself(qng_admin):
    assert qng_admin.post("/api/v1/people/qng-quantri/disable").status_code == 422


# --- the links -------------------------------------------------------------------------------------------------
def invite(admin: Client, username: str = "canbo.skhcn", email: str | None = None) -> dict:
    made = admin.post("/api/v1/people", json={"username": username, "roles": ["agency_member"],
                                              "agency": "QNG-SKHCN", "display_name": "Cán bộ Sở KH&CN", "email": email})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def test_an_invited_person_sets_a_password_through_the_link_and_signs_in(app, qng_admin):
    token = token_of(invite(qng_admin)["link"])
    anyone = stranger(app)
    assert anyone.get(f"/api/v1/invitations/{token}").get_json() == {"username": "canbo.skhcn", "purpose": "invite"}
    assert anyone.post(f"/api/v1/invitations/{token}", json={"password": "mật khẩu đủ dài"}).status_code == 200
    signed = anyone.post("/api/v1/login", json={"username": "canbo.skhcn", "password": "mật khẩu đủ dài"})
    assert signed.status_code == 200


def test_a_link_works_once(app, qng_admin):
    token = token_of(invite(qng_admin)["link"])
    anyone = stranger(app)
    anyone.post(f"/api/v1/invitations/{token}", json={"password": "mật khẩu đủ dài"})
    assert anyone.post(f"/api/v1/invitations/{token}", json={"password": "mật khẩu khác nữa"}).status_code == 404


def test_a_link_whose_time_has_passed_is_refused(app, clock, qng_admin):
    token = token_of(invite(qng_admin)["link"])
    clock.advance(timedelta(days=15))
    assert stranger(app).get(f"/api/v1/invitations/{token}").status_code == 404


def test_a_short_password_is_refused_and_the_link_still_works(app, qng_admin):
    token = token_of(invite(qng_admin)["link"])
    anyone = stranger(app)
    assert anyone.post(f"/api/v1/invitations/{token}", json={"password": "ngắn"}).status_code == 422
    assert anyone.get(f"/api/v1/invitations/{token}").status_code == 200


def test_a_reset_sends_a_new_link_and_the_old_one_stops_working(app, qng_admin, national):
    old = token_of(invite(qng_admin)["link"])
    reset = qng_admin.post("/api/v1/people/canbo.skhcn/reset-password")
    assert reset.status_code == 201
    new = token_of(reset.get_json()["link"])
    anyone = stranger(app)
    assert anyone.get(f"/api/v1/invitations/{old}").status_code == 404
    assert anyone.get(f"/api/v1/invitations/{new}").status_code == 200
    assert "user.password_reset_sent" in actions(national, "user.")


def test_a_link_mailed_to_the_person_is_not_in_the_answer(qng_admin):
    made = invite(qng_admin, email="canbo@skhcn.quangngai.gov.vn")
    assert made["mailed"] is True and made["link"] is None
