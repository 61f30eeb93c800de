"""The launch form as a coordinator uses it: only their province's templates, opened on one of them; the name
and items read with the year they chose, never "{year}"; nothing typed for them (the template's examples are
placeholders, an empty field is a Vietnamese error at that field); and the plan's page says it was launched."""
from __future__ import annotations

import re

from .test_web_pages import PLAN_249, page_client


def options(html: str) -> list[str]:
    select = re.search(r'<select id="template" name="template">(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]+)"', select)


def test_the_form_offers_only_the_coordinators_province_s_templates_and_opens_on_one(as_user):
    html = page_client(as_user, "dieuphoi").get("/plans/new").get_data(as_text=True)
    offered = options(html)
    assert offered and all(key.startswith("qng-") for key in offered)  # Quảng Ngãi's, none of Lâm Đồng's …
    assert "ldg-cchc-2026" not in html and "gli-cv-930-ubnd-kgvx" not in html
    chosen = re.search(r'<option value="([^"]+)" selected', html).group(1)
    assert chosen in offered
    everyone = {entry["key"] for entry in as_user("dieuphoi").get("/api/v1/templates").get_json()}
    assert "ldg-cchc-2026" in everyone  # the templates exist; the form just does not offer them


def test_another_province_s_template_asked_for_by_name_is_not_there(as_user):
    coordinator = page_client(as_user, "dieuphoi")
    assert coordinator.get("/plans/new?template=ldg-cchc-2026").status_code == 404
    refused = coordinator.post("/plans/new", data={"csrf_token": coordinator.csrf, "template": "ldg-cchc-2026",
                                                   "number": "01", "year": "2026", "issued_on": "2026-01-05",
                                                   "action": "launch"})
    assert refused.status_code == 404
    assert as_user("dieuphoi").get("/api/v1/plans").get_json()["total"] == 0


def test_the_year_is_shown_as_chosen_never_as_a_placeholder(as_user):
    coordinator = page_client(as_user, "dieuphoi")
    opened = coordinator.get("/plans/new?template=qng-ke-hoach-trien-khai").get_data(as_text=True)
    assert "{year}" not in opened and "{number}" not in opened
    preview = coordinator.post("/plans/new", data={
        "csrf_token": coordinator.csrf, "template": "qng-ke-hoach-trien-khai", "issuer": "QNG-STTTT",
        "number": "45/KH-STTTT", "year": "2023", "action": "preview"}).get_data(as_text=True)
    assert "{year}" not in preview
    assert "thường xuyên đến hết năm 2023" in preview or "31/12/2023" in preview
    whole = coordinator.get("/plans/new?template=qng-249-kh-bcd138").get_data(as_text=True)
    assert "trên địa bàn tỉnh Quảng Ngãi năm …" in whole  # the year not chosen yet: a blank, not 2022


def test_an_empty_field_is_an_error_at_that_field_never_the_template_s_example(as_user):
    coordinator = page_client(as_user, "dieuphoi")
    answer = coordinator.post("/plans/new", data={"csrf_token": coordinator.csrf, "template": "qng-249-kh-bcd138",
                                                  "number": "", "year": "", "issued_on": "2022-05-26",
                                                  "action": "launch"})
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    for name, label in (("number", "Số kế hoạch"), ("year", "Năm thực hiện")):
        error = re.search(rf'<p class="field-error" id="p-{name}-error">([^<]+)</p>', html)
        assert error and label in error.group(1) and "bắt buộc" in error.group(1)
        assert re.search(rf'id="p-{name}"[^>]*aria-invalid="true"', html, re.S)
    assert 'placeholder="249"' in html and 'value="249"' not in html  # the example, as a placeholder only
    assert "p-issued_on-error" not in html
    assert as_user("dieuphoi").get("/api/v1/plans").get_json()["total"] == 0  # nothing launched with 249 or 2022


def test_a_launch_is_announced_on_the_plan_s_page(as_user):
    coordinator = page_client(as_user, "dieuphoi")
    launched = coordinator.post("/plans/new", data={"csrf_token": coordinator.csrf, **PLAN_249, "number": "250",
                                                    "year": "2023", "action": "launch"})
    assert launched.status_code == 302
    location = launched.headers["Location"]
    assert re.search(r"/plans/\d+\?launched=1$", location)
    html = coordinator.get(location).get_data(as_text=True)
    plan = as_user("dieuphoi").get("/api/v1/plans").get_json()["plans"][0]
    assert plan["symbol"] == "250/KH-BCD138" and plan["title"].endswith("năm 2023")
    items = len(as_user("dieuphoi").get(f"/api/v1/plans/{plan['id']}").get_json()["items"])
    assert f"Đã ban hành kế hoạch 250/KH-BCD138, {items} nội dung." in html
    assert "Đã ban hành kế hoạch" not in coordinator.get(location.split("?")[0]).get_data(as_text=True)


def test_the_api_keeps_launching_with_the_template_s_defaults(as_user):
    """The API and the command line still take a template's default for a parameter not sent (documented)."""
    launched = as_user("dieuphoi").post("/api/v1/plans", json={"template": "qng-249-kh-bcd138", "parameters": {}})
    assert launched.status_code == 201 and launched.get_json()["symbol"] == "249/KH-BCD138"
