"""The administrators' pages: the provinces, a province's directory and its people, and the page of a one-time
link where an invited person sets their password. Each page is its administrator's; others are refused, and
another province's bodies and people are not there at all."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from .administrators import LINK, administrator, onboard_lam_dong, stranger
from .conftest import Client

PAGES = {
    "/admin/provinces": "Tỉnh Lâm Đồng",
    "/admin/provinces/LDG": "Các đơn vị hợp nhất vào",
    "/admin/agencies?province=QNG": "Thêm cơ quan",
    "/admin/agencies/QNG-CA": "Hợp nhất các cơ quan khác vào cơ quan này",
    "/admin/people": "Mời người dùng",
    "/admin/people/congan": "Gửi liên kết đặt mật khẩu mới",
}


def page_client(app, username: str) -> Client:
    """A browser signed in as ``username``: Vietnamese, as the pages are unless the reader chooses English."""
    client = Client(app, username, session=True)
    client.headers.pop("Accept-Language", None)
    return client


def form(client: Client, url: str, **fields) -> object:
    return client.post(url, data={"csrf_token": client.csrf, **fields})


@pytest.fixture
def national(app):
    return page_client(app, "quantri")


@pytest.fixture
def qng_admin(app):
    administrator(app, "qng-quantri", "QNG-UBND")
    return page_client(app, "qng-quantri")


@pytest.mark.parametrize("path", list(PAGES))
def test_each_administration_page_renders_in_vietnamese_for_its_administrator(national, path):
    answer = national.get(path)
    assert answer.status_code == 200, path
    assert PAGES[path] in answer.get_data(as_text=True)


def test_the_navigation_offers_administration_to_administrators_only(app, national):
    assert 'href="/admin">Quản trị</a>' in national.get("/work").get_data(as_text=True)
    assert 'href="/admin"' not in page_client(app, "dieuphoi").get("/work").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/admin/provinces", "/admin/agencies", "/admin/people", "/admin/people/pheduyet",
                                  "/admin/agencies/QNG-CA", "/admin/provinces/QNG"])
def test_the_administration_pages_are_refused_to_a_coordinator(app, path):
    assert page_client(app, "dieuphoi").get(path).status_code == 403


def test_a_national_administrator_brings_a_province_on_board_and_sees_the_link_of_whom_has_no_e_mail(national):
    answer = form(national, "/admin/provinces", province="LDG", admin_email="quantri@lamdong.gov.vn")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Tỉnh Lâm Đồng đã tham gia hệ thống" in text
    assert "đã gửi tới quantri@lamdong.gov.vn" in text
    assert len(LINK.findall(text)) == 1  # dieuphoi.ldg's: no e-mail address


def test_the_link_is_shown_once_and_never_again(national):
    form(national, "/admin/provinces", province="LDG")
    assert not LINK.search(national.get("/admin/provinces").get_data(as_text=True))
    assert not LINK.search(national.get("/admin/people?province=LDG").get_data(as_text=True))


def test_a_quang_ngai_administrator_neither_sees_nor_changes_lam_dong(app, qng_admin):
    onboard_lam_dong(app)
    assert qng_admin.get("/admin/provinces/LDG").status_code == 404
    assert qng_admin.get("/admin/agencies/LDG-SNV").status_code == 404
    assert form(qng_admin, "/admin/agencies/LDG-SNV", action="rename", name="Sở X").status_code == 404
    assert qng_admin.get("/admin/agencies?province=LDG").status_code == 403
    assert qng_admin.get("/admin/people/canbo.ldg").status_code == 404
    assert form(qng_admin, "/admin/people/canbo.ldg", action="disable").status_code == 404
    assert qng_admin.get("/admin/people?province=LDG").status_code == 403
    assert "canbo.ldg" not in qng_admin.get("/admin/people").get_data(as_text=True)
    invited = form(qng_admin, "/admin/people", username="x.ldg", roles="agency_member", agency="LDG-SNV")
    assert invited.status_code == 403
    assert Client(app, "quantri").get("/api/v1/people?search=x.ldg").get_json()["people"] == []


def test_the_provinces_page_of_a_provincial_administrator_lists_their_own_province(qng_admin):
    text = qng_admin.get("/admin/provinces").get_data(as_text=True)
    assert "Tỉnh Quảng Ngãi" in text and "Tỉnh Lâm Đồng" not in text and "Đưa vào hệ thống" not in text


def test_a_directory_of_124_communes_is_shown_a_page_at_a_time(app, national):
    onboard_lam_dong(app)
    text = national.get("/admin/agencies?province=LDG&on=2025-08-01&group=communes").get_data(as_text=True)
    assert "124 cơ quan của LDG" in text and "trang 1/3" in text
    assert len(re.findall(r'href="/admin/agencies/LDG-', text)) == 50


def invite_on_the_page(admin: Client, username: str = "canbo.skhcn") -> str:
    answer = form(admin, "/admin/people", username=username, display_name="Cán bộ Sở KH&CN", roles="agency_member",
                  agency="QNG-SKHCN")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:2000]
    return LINK.search(answer.get_data(as_text=True)).group(0)


def set_password(app, link: str, password: str = "mật khẩu đủ dài", again: str | None = None):
    browser = stranger(app)
    page = browser.get(link).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return browser.post(link, data={"csrf_token": token, "password": password, "confirm": again or password})


def test_an_invited_person_opens_the_link_sets_a_password_and_signs_in(app, qng_admin):
    link = invite_on_the_page(qng_admin)
    assert "Đặt mật khẩu cho canbo.skhcn" in stranger(app).get(link).get_data(as_text=True)
    done = set_password(app, link)
    assert done.status_code == 200 and 'href="/login"' in done.get_data(as_text=True)
    signed = stranger(app).post("/api/v1/login", json={"username": "canbo.skhcn", "password": "mật khẩu đủ dài"})
    assert signed.status_code == 200


def test_the_link_works_once(app, qng_admin):
    link = invite_on_the_page(qng_admin)
    set_password(app, link)
    again = stranger(app).get(link)
    assert again.status_code == 404 and "Liên kết này không dùng được" in again.get_data(as_text=True)


def test_an_expired_link_is_refused_with_a_way_to_ask_the_administrator(app, clock, qng_admin):
    link = invite_on_the_page(qng_admin)
    clock.advance(timedelta(days=15))
    answer = stranger(app).get(link)
    assert answer.status_code == 404
    assert "đề nghị quản trị viên gửi cho bạn liên kết mới" in answer.get_data(as_text=True)


def test_a_reset_from_the_person_s_page_sends_a_new_link_and_the_old_one_stops_working(app, qng_admin):
    old = invite_on_the_page(qng_admin)
    answer = form(qng_admin, "/admin/people/canbo.skhcn", action="reset")
    new = LINK.search(answer.get_data(as_text=True)).group(0)
    assert new != old
    assert stranger(app).get(old).status_code == 404 and stranger(app).get(new).status_code == 200


def test_two_different_passwords_set_nothing_and_neither_is_put_in_the_page(app, qng_admin):
    link = invite_on_the_page(qng_admin)
    answer = set_password(app, link, "mật khẩu thứ nhất", "mật khẩu thứ hai")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "Hai mật khẩu không giống nhau" in text
    assert "thứ nhất" not in text and "thứ hai" not in text
    assert stranger(app).get(link).status_code == 200


def test_the_password_form_without_its_token_sets_nothing(app, qng_admin):
    link = invite_on_the_page(qng_admin)
    answer = stranger(app).post(link, data={"password": "mật khẩu đủ dài", "confirm": "mật khẩu đủ dài"})
    assert answer.status_code == 400 and stranger(app).get(link).status_code == 200


def test_the_link_s_page_is_sent_to_no_other_site_as_a_referrer(app, qng_admin):
    assert stranger(app).get(invite_on_the_page(qng_admin)).headers["Referrer-Policy"] == "no-referrer"


def test_an_administrator_corrects_a_person_s_roles_on_their_page(app, qng_admin):
    answer = form(qng_admin, "/admin/people/stttt", action="update", display_name="Cán bộ Sở TT&TT",
                  email="stttt@quangngai.gov.vn", agency="QNG-STTTT", roles=["agency_member", "approver"])
    assert answer.status_code == 302
    person = Client(app, "quantri").get("/api/v1/people?search=stttt").get_json()["people"][0]
    assert person["roles"] == ["agency_member", "approver"] and person["email"] == "stttt@quangngai.gov.vn"


def test_a_disabled_person_is_shown_disabled_and_enabled_again(qng_admin):
    form(qng_admin, "/admin/people/congan", action="disable")
    assert "đã khóa" in qng_admin.get("/admin/people/congan").get_data(as_text=True)
    form(qng_admin, "/admin/people/congan", action="enable")
    assert "đang hoạt động" in qng_admin.get("/admin/people/congan").get_data(as_text=True)


def test_an_administrator_cannot_disable_themself_on_the_page(qng_admin):
    answer = form(qng_admin, "/admin/people/qng-quantri", action="disable")
    assert answer.status_code == 422 and "không thể tự khóa" in answer.get_data(as_text=True)


def test_renaming_merging_and_retiring_on_a_body_s_page_are_each_in_its_history(qng_admin):
    assert form(qng_admin, "/admin/agencies/QNG-STTTT", action="rename", name="Sở Khoa học và Số").status_code == 302
    assert form(qng_admin, "/admin/agencies/QNG-STTTT", action="merge", codes="QNG-SGDDT").status_code == 302
    assert form(qng_admin, "/admin/agencies/QNG-STTTT", action="retire", last_day="2022-12-31",
                codes="QNG-SKHCN").status_code == 302
    text = qng_admin.get("/admin/agencies/QNG-STTTT").get_data(as_text=True)
    assert "được đổi tên" in text and "được hợp nhất" in text and "chấm dứt hoạt động" in text
    assert "ngày cuối cùng 2022-12-31" in text
