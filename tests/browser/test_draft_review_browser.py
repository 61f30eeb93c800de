"""A coordinator turns a plan document into a template in chromium: uploads it, follows a field to the sentence it
was read from, is shown a problem in Vietnamese at its field, corrects two fields, saves, registers and launches
the plan; on a phone the document and the form stack. Screenshots go to /tmp/shots/draft-*.png."""
from __future__ import annotations

import re
from pathlib import Path

from tests.api.test_draft_review import PLAN as REVIEWED_PLAN

SHOTS = Path("/tmp/shots")
#: The review page's plan of Quảng Ngãi (the demo province), under a number of its own; its fourth item names its
#: lead as no directory does.
PLAN = REVIEWED_PLAN.replace("Số: 91/KH-UBND", "Số: 93/KH-UBND")


def shot(who, name: str, at: str | None = None) -> None:
    """The whole page, or what the window shows with ``at`` scrolled into view (the sticky parts where they
    stay)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    if at:
        who.page.locator(at).scroll_into_view_if_needed()
    who.page.screenshot(path=str(SHOTS / f"draft-{name}.png"), full_page=at is None)


def submit(page, selector: str) -> None:
    page.click(selector)
    page.wait_for_load_state()


def upload(who, tmp_path) -> str:
    document = tmp_path / "ke-hoach-93-ma-tuy.txt"
    document.write_text(PLAN, encoding="utf-8")
    page = who.open("/templates/draft")
    page.set_input_files("#document", str(document))
    submit(page, "main form button[type=submit]")
    assert re.search(r"/templates/drafts/\d+$", page.url), page.url
    return page.url


def test_a_coordinator_checks_corrects_registers_and_launches_a_drafted_template(person, tmp_path):
    coordinator = person("dieuphoi")
    upload(coordinator, tmp_path)
    page = coordinator.page
    assert page.locator("fieldset.item").count() == 4
    assert page.locator("#f-items-1-lead").input_value() == "QNG-STP"
    shot(coordinator, "1-review")
    page.locator("#f-items-1-lead").locator("xpath=..").locator("a.source").click()
    assert "Sở Tư pháp" in page.locator(".paragraphs mark.focus").inner_text()  # the sentence, highlighted
    assert page.locator("#f-items-1-deadline").is_visible() and not page.locator("#f-items-1-until").is_visible()
    shot(coordinator, "2-from-the-document", at="#f-items-1-lead")
    assert coordinator.serious_accessibility_problems() == []

    submit(page, "button[value=save]")  # item 4's lead is still the name as written
    error = page.locator("#f-items-3-lead").locator("xpath=..").locator(".field-error").inner_text()
    assert "không phải là mã cơ quan" in error
    assert page.locator("#para-15").is_visible()  # the document is still there
    shot(coordinator, "3-problem-at-its-field", at="#f-items-3-schedule")
    listed = page.locator("ul.to-fields a").first
    assert listed.inner_text().startswith("Nội dung 4 · ")  # the problems listed above, each a link to its field
    shot(coordinator, "3-problems-listed", at="h1")

    page.select_option("#f-items-3-lead", "QNG-STTTT")
    page.fill("#f-items-0-title", "Tuyên truyền trên báo Quảng Ngãi và đài phát thanh")
    submit(page, "button[value=save]")
    assert "Mẫu không còn lỗi" in page.locator("main").inner_text()
    assert page.locator("#f-items-0-title").input_value() == "Tuyên truyền trên báo Quảng Ngãi và đài phát thanh"
    shot(coordinator, "4-saved", at="h1")

    submit(page, "button[value=register]")
    done = page.locator(".notice.done")
    assert "Đã đăng ký mẫu" in done.inner_text()
    shot(coordinator, "5-registered", at="h1")
    submit(page, "text=Khởi chạy kế hoạch")
    assert page.locator("h1").inner_text() == "Triển khai kế hoạch"
    assert "Tuyên truyền trên báo Quảng Ngãi và đài phát thanh" in page.locator("ol.preview").inner_text()
    page.fill("#p-number", "93")  # the document's own number and date: placeholders, typed by the coordinator
    page.fill("#p-issued_on", "2022-05-10")
    submit(page, "button[value=preview]")
    shot(coordinator, "6-launch-preview")
    submit(page, "button[value=launch]")
    assert re.search(r"/plans/\d+\?launched=1$", page.url) and "93/KH-UBND" in page.locator("h1").inner_text()
    shot(coordinator, "7-launched")


def test_the_review_stacks_on_a_phone(person, tmp_path):
    coordinator = person("dieuphoi", width=390, height=844)
    upload(coordinator, tmp_path)
    page = coordinator.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the side
    document, form = page.locator("section.document").bounding_box(), page.locator("section.template-form").bounding_box()
    assert form["y"] >= document["y"] + document["height"]  # the form under the document
    shot(coordinator, "8-phone", at="h1")
    page.click("#f-items-1-lead >> xpath=.. >> a.source")
    assert "Sở Tư pháp" in page.locator(".paragraphs mark.focus").inner_text()
    shot(coordinator, "9-phone-from-the-document", at=".paragraphs mark.focus")
    shot(coordinator, "10-phone-item", at="#f-items-3-lead")
