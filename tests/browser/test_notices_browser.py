"""Notices in a real browser: a launch gives the lead agency's officer new work; the bell in the header counts
it; the officer follows one notice from the bell to its task, and the count goes down. Laptop and phone
widths are screenshot (tests/artifacts/web/) and checked with axe-core."""
from __future__ import annotations

import re

from .test_story_249 import accessible


def launch_249(coordinator, key: str = "browser-notices") -> int:
    """The coordinator launches plan 249 (a copy: the symbol may be launched already) through the API, with the
    page's session and its CSRF token, as the pages' own scripts do; its id (``key``: the launch's idempotency key,
    one a test)."""
    request = coordinator.context.request
    token = request.get(f"{coordinator.base}/api/v1/me").json()["csrf_token"]
    answer = request.post(f"{coordinator.base}/api/v1/plans", headers={"X-CSRF-Token": token}, data={
        "template": "qng-249-kh-bcd138", "parameters": {"relevant_units": ["QNG-STTTT"]},
        "idempotency_key": key, "allow_duplicate_symbol": True})
    assert answer.status in (200, 201), answer.text()
    return answer.json()["id"]


def bell_count(page) -> int:
    count = page.locator("a.bell .count")
    return int(count.inner_text()) if count.count() else 0


def test_an_officer_follows_a_notice_from_the_bell_to_its_task(person):
    officer = person("congan")
    before = bell_count(officer.open("/work"))
    launch_249(person("dieuphoi"))
    page = officer.open("/work")
    after = bell_count(page)
    assert after >= before + 5  # the five items Công an tỉnh leads
    page.click("a.bell")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Thông báo"
    first = page.locator("ol.notices li.unread", has_text="Việc mới giao Công an tỉnh").first
    assert "thuộc kế hoạch 249/KH-BCD138" in first.inner_text()
    accessible(officer, "20-notices-laptop")
    first.locator("button.open").click()
    page.wait_for_load_state()
    assert re.search(r"/tasks/[0-9a-f-]+$", page.url), page.url
    assert "Thực hiện nội dung và báo cáo kết quả" in page.content()
    assert bell_count(page) == after - 1


def test_the_inbox_on_a_phone(person):
    approver = person("pheduyet", width=390, height=844)
    page = approver.open("/notices")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the side
    accessible(approver, "21-notices-phone")
