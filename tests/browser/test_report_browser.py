"""The progress report written in a real browser: the coordinator goes from the plan's page to the report's,
writes the assessment and the recommendations, saves, and downloads the .docx, which prints them; the page at
laptop and phone widths is screenshot (tests/artifacts/web/) and checked with axe-core."""
from __future__ import annotations

import io

from docx import Document

from .test_notices_browser import launch_249
from .test_story_249 import accessible

ASSESSMENT = "Các cơ quan, đơn vị đã triển khai Kế hoạch nghiêm túc, đúng tiến độ."
SECOND = "Công tác tuyên truyền trên không gian mạng được đẩy mạnh."
RECOMMENDATION = "Đề nghị UBND tỉnh bố trí kinh phí năm 2023 cho các hội thảo chuyên đề."


def test_the_coordinator_writes_the_report_s_sections_and_downloads_them_in_the_docx(person):
    coordinator = person("dieuphoi")
    plan_id = launch_249(coordinator, "browser-report")
    page = coordinator.open(f"/plans/{plan_id}")
    page.click("text=viết đánh giá, nhiệm vụ tới, kiến nghị và người ký")
    page.wait_for_load_state()
    assert page.url.endswith(f"/plans/{plan_id}/report")
    assert "chưa đặt người ký trong danh bạ" in page.locator("p.warning").inner_text()
    page.fill("#s-assessment", f"{ASSESSMENT}\n{SECOND}")
    page.fill("#s-recommendations", RECOMMENDATION)
    page.click("text=Lưu báo cáo")
    page.wait_for_load_state()
    assert "Đã lưu." in page.locator("p.notice").inner_text()
    assert page.input_value("#s-assessment") == f"{ASSESSMENT}\n{SECOND}"  # kept, and shown again
    accessible(coordinator, "50-report-laptop")
    with page.expect_download() as waiting:
        page.click("p.downloads >> text=Word (.docx)")
    download = waiting.value
    assert download.suggested_filename == "249-KH-BCD138.docx"
    with open(download.path(), "rb") as saved:
        paragraphs = [p.text for p in Document(io.BytesIO(saved.read())).paragraphs if p.text.strip()]
    start = paragraphs.index("II. ĐÁNH GIÁ CHUNG")
    assert paragraphs[start:start + 5] == ["II. ĐÁNH GIÁ CHUNG", ASSESSMENT, SECOND, "III. KIẾN NGHỊ, ĐỀ XUẤT",
                                           RECOMMENDATION]


def test_the_report_s_page_on_a_phone(person):
    coordinator = person("dieuphoi")
    plan_id = launch_249(coordinator, "browser-report")
    approver = person("pheduyet", width=390, height=844)
    page = approver.open(f"/plans/{plan_id}/report")
    assert page.locator("h1").inner_text().startswith("Báo cáo kết quả thực hiện Kế hoạch số")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the side
    accessible(approver, "51-report-phone")


def test_the_administrator_sets_the_standing_body_s_signer_and_the_report_s_page_names_them(person):
    admin = person("quantri")
    page = admin.open("/admin/agencies/QNG-CA")
    page.fill("#s-title", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC")
    page.fill("#s-name", "Nguyễn Văn An")
    page.click("text=Lưu người ký")
    page.wait_for_load_state()
    assert "Đã lưu" in page.locator("p.notice").inner_text()
    assert "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC — Nguyễn Văn An" in page.locator("dl.facts").inner_text()
    accessible(admin, "52-agency-signer-laptop")
    coordinator = person("dieuphoi")
    report = coordinator.open(f"/plans/{launch_249(coordinator, 'browser-report')}/report")
    assert "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC — Nguyễn Văn An" in report.locator("section", has_text="Người ký").inner_text()
    assert report.locator("p.warning").count() == 0
