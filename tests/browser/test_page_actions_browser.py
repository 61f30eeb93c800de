"""The everyday actions, from the pages, in a real browser: an officer takes a task, asks for more time and
at last hands the task to a colleague; the
standing body's approver grants it; the lead reminds the silent coordinating agency, whose people are told, and
the coordinator then waives its contribution; the coordinator reads the reporting page, asks for an ad-hoc report there, and downloads the progress
report from the plan page. Laptop and phone widths are screenshot (tests/artifacts/web/) and checked with axe."""
from __future__ import annotations

from .test_notices_browser import launch_249
from .test_story_249 import accessible


def lead_task_of_item_4(who, plan_id: int):
    """The officer's task of item 4 (Công an tỉnh leads, Sở TT&TT coordinates), from my work."""
    page = who.open(f"/work?plan={plan_id}")
    page.locator("tbody tr", has_text="nhân rộng các mô hình").first.locator("a").first.click()
    page.wait_for_load_state()
    return page


def test_take_ask_for_time_grant_remind_and_waive_from_the_pages(person):
    coordinator = person("dieuphoi")
    plan_id = launch_249(coordinator)
    officer = person("congan")
    page = lead_task_of_item_4(officer, plan_id)
    task_url = page.url
    page.click("text=Nhận xử lý")
    page.wait_for_load_state()
    assert "Bạn đã nhận xử lý nhiệm vụ" in page.locator("p.notice").inner_text()
    assert "Đang do congan xử lý" in page.locator("p.status").inner_text()
    page.click("summary:has-text('Xin gia hạn')")
    page.fill("#extension-until", "2023-01-15")
    page.fill("#extension-reason", "Chờ số liệu tổng hợp của các huyện")
    page.click("button:has-text('Gửi đề nghị')")
    page.wait_for_load_state()
    assert "Đề nghị gia hạn của bạn đã được gửi cơ quan thường trực." in page.content()
    page.click("summary:has-text('Nhắc Sở Thông tin')")
    page.fill("textarea[id^=remind-reason]:visible", "Đề nghị Sở TT&TT gửi ý kiến trước ngày 20/9")
    page.click("details[open] button:has-text('Gửi lời nhắc')")
    page.wait_for_load_state()
    assert "Đã nhắc cơ quan" in page.locator("p.notice").inner_text()
    accessible(officer, "40-task-actions-laptop")

    approver = person("pheduyet", width=390, height=844)
    page = approver.open(task_url.removeprefix(approver.base))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "Quyết định về đề nghị gia hạn" in page.content()
    accessible(approver, "41-extension-decision-phone")
    page.fill("#grant-until", "2022-12-31")
    page.click("button[value=grant]")
    page.wait_for_load_state()
    assert "Đã đồng ý gia hạn" in page.locator("p.notice").inner_text()
    assert "31/12/2022" in page.locator("p.status").inner_text()

    page = coordinator.open(task_url.removeprefix(coordinator.base))
    page.click("summary:has-text('Miễn ý kiến phối hợp của Sở Thông tin')")
    page.fill("textarea[id^=waive-reason]:visible", "Sở TT&TT đã báo cáo nội dung này trong nội dung 3")
    page.click("details[open] button:has-text('Miễn ý kiến')")
    page.wait_for_load_state()
    assert "Đã miễn ý kiến phối hợp" in page.locator("p.notice").inner_text()
    page = officer.open(task_url.removeprefix(officer.base))
    page.select_option("#hand-to", "pheduyet")
    page.click("button:has-text('Chuyển')")
    page.wait_for_load_state()
    assert "Đã chuyển nhiệm vụ." in page.locator("p.notice").inner_text()
    assert "Đang do pheduyet xử lý" in page.locator("p.status").inner_text()
    told = person("stttt").open("/notices").locator("ol.notices li", has_text="nhắc Sở TT").first.inner_text()
    assert "Đề nghị Sở TT&TT gửi ý kiến trước ngày 20/9" in told


def test_reporting_page_ad_hoc_request_and_report_download(person):
    coordinator = person("dieuphoi")
    plan_id = launch_249(coordinator)
    page = coordinator.open(f"/plans/{plan_id}")
    with page.expect_download() as download:
        page.click("a:has-text('Word (.docx)')")
    assert download.value.suggested_filename.endswith(".docx")
    page.click("text=Kỳ báo cáo và báo cáo đột xuất")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Chế độ báo cáo của kế hoạch")
    page.click("summary:has-text('Yêu cầu báo cáo đột xuất')")
    page.fill("#subject", "Báo cáo nhanh vụ việc lừa đảo qua mạng")
    page.fill("#due", "2022-06-20")
    page.check("input[name=agencies][value=QNG-CA]")
    page.click("button:has-text('Gửi yêu cầu báo cáo')")
    page.wait_for_load_state()
    assert "Đã gửi yêu cầu báo cáo đột xuất" in page.locator("p.notice").inner_text()
    assert "Báo cáo nhanh vụ việc lừa đảo qua mạng" in page.locator("#ad-hoc").inner_text()
    accessible(coordinator, "42-reporting-laptop")
    phone = person("dieuphoi", width=390, height=844)
    page = phone.open(f"/plans/{plan_id}/reporting")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    accessible(phone, "43-reporting-phone")
    work = person("congan").open("/work")
    assert "Báo cáo nhanh vụ việc lừa đảo qua mạng" in work.content()
