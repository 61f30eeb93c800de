"""My work in a real browser: a coordinator searches and filters the province's work and pages through it, every
choice kept in the address; an approver finds the approvals waiting for them first, under their own heading;
the page fits a phone. A coordinator launches a plan from the form and is told so. Laptop and phone widths are
screenshot (tests/artifacts/web/) and checked with axe-core."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from .test_story_249 import accessible


def api(who, method: str, path: str, body: dict | None = None) -> dict:
    """A call of the JSON API from the person's own session, with its CSRF token, as the pages' scripts do."""
    request = who.context.request
    token = request.get(f"{who.base}/api/v1/me").json()["csrf_token"]
    answer = request.fetch(f"{who.base}{path}", method=method, headers={"X-CSRF-Token": token}, data=body)
    assert answer.ok, answer.text()
    return answer.json()


def launched_249(coordinator, key: str) -> dict:
    return api(coordinator, "POST", "/api/v1/plans", {
        "template": "qng-249-kh-bcd138", "parameters": {"relevant_units": ["QNG-STTTT"]}, "idempotency_key": key,
        "allow_duplicate_symbol": True})


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_a_coordinator_searches_filters_and_pages_through_the_work(person):
    coordinator = person("dieuphoi")
    plan = launched_249(coordinator, "browser-work-filters")
    page = coordinator.open("/work")
    page.fill("#q", "ke hoach cu the")  # IV.3, each body's own implementing plan, typed without diacritics
    page.select_option("#plan", str(plan["id"]))
    page.click("form.work-filters button[type=submit]")
    page.wait_for_load_state()
    assert query(page)["q"] == ["ke hoach cu the"] and query(page)["plan"] == [str(plan["id"])]
    assert "Trang 1/" in page.locator("p.total").inner_text()
    first = page.locator("tbody tr").all_inner_texts()
    assert len(first) == 25 and all("IV.3" in row for row in first)
    accessible(coordinator, "30-work-filtered-laptop")
    page.locator("nav.pages a[rel=next]").click()
    page.wait_for_load_state()
    assert query(page)["page"] == ["2"] and query(page)["q"] == ["ke hoach cu the"]  # the filters kept
    second = page.locator("tbody tr").all_inner_texts()
    assert second and not set(second) & set(first)
    page.locator("nav.status-links a", has_text="sắp đến hạn").click()  # a status, keeping the search and plan
    page.wait_for_load_state()
    assert query(page)["status"] == ["due_soon"] and query(page)["plan"] == [str(plan["id"])]
    assert "page" not in query(page)
    assert "Không có việc nào đang mở khớp với điều kiện lọc." in page.locator("p.empty").inner_text()
    page.click("text=Bỏ lọc")
    page.wait_for_load_state()
    assert urlparse(page.url).query == "" and page.locator("tbody tr").count() == 25
    phone = person("dieuphoi", width=390, height=844)
    page = phone.open(f"/work?plan={plan['id']}&q=ke+hoach+cu+the&page=2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the filters and pages wrap, no side scroll
    accessible(phone, "35-work-filtered-phone")


def test_an_approver_finds_the_approvals_first_and_a_returned_report_is_marked(person):
    coordinator, officer, approver = person("dieuphoi"), person("congan"), person("pheduyet")
    plan = launched_249(coordinator, "browser-work-approvals")
    rows = api(coordinator, "GET", f"/api/v1/tasks?plan={plan['id']}&agency=QNG-CA&per_page=200")["tasks"]
    reports = {row["item_number"]: row["id"] for row in rows if row["lane"] == "lead"}
    for number in ("4", "5"):
        api(officer, "POST", f"/api/v1/tasks/{reports[number]}/complete", {"data": {"summary": f"Báo cáo {number}"}})
    page = approver.open(f"/work?plan={plan['id']}")
    mine = page.locator("section.approvals")
    assert mine.locator("h2").inner_text() == "Chờ tôi phê duyệt"
    assert mine.locator("tbody tr").count() == 2 and mine.locator(".badge.mark").first.inner_text() == "chờ phê duyệt"
    assert page.locator("h2").nth(1).inner_text().startswith("Việc của ")  # the agency's own work comes after
    mine.locator("tbody tr", has_text="nội dung 5").locator("a").first.click()
    page.wait_for_load_state()
    page.check("input[name=approved][value=false]")
    page.fill("#f-return_reason", "Nêu rõ nguồn kinh phí")
    page.click("#task-form button[type=submit]")
    page.wait_for_load_state()
    page = officer.open(f"/work?plan={plan['id']}&status=returned")
    assert page.locator("tbody tr").count() == 1
    assert "bị trả lại" in page.locator("tbody tr").inner_text() and "nội dung 5" in page.locator("tbody tr").inner_text()
    phone = person("pheduyet", width=390, height=844)
    page = phone.open(f"/work?plan={plan['id']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the side
    assert page.locator("section.approvals tbody tr").count() == 1
    accessible(phone, "31-work-approvals-phone")
    approver.open(f"/work?plan={plan['id']}")
    accessible(approver, "32-work-approvals-laptop")


def test_a_launch_from_the_form_is_announced(person):
    coordinator = person("dieuphoi")
    page = coordinator.open("/plans/new")
    assert all(value.startswith("qng-") for value in page.locator("#template option").evaluate_all(
        "options => options.map(o => o.value)"))
    page.select_option("#template", "qng-ke-hoach-trien-khai")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    page.click("button[value=preview]")  # nothing typed: each needed field says so, in Vietnamese
    page.wait_for_load_state()
    assert "Chưa nhập Số kế hoạch" in page.locator("#p-number-error").inner_text()
    page.check("input[name=issuer][value=QNG-STTTT]")
    page.fill("#p-number", "77/KH-STTTT")
    page.fill("#p-year", "2023")
    page.click("button[value=preview]")
    page.wait_for_load_state()
    assert "năm 2023" in page.locator("#preview-title + p").inner_text() or "2023" in page.content()
    assert "{year}" not in page.content()
    accessible(coordinator, "33-launch-form")
    page.click("button[value=launch]")
    page.wait_for_load_state()
    assert re.search(r"/plans/\d+\?launched=1$", page.url)
    assert re.match(r"Đã ban hành kế hoạch 77/KH-STTTT, \d+ nội dung\.", page.locator("p.notice").inner_text())
    accessible(coordinator, "34-launched-plan")
