"""The progress report written before it is produced: the four sections on the report's page and by the API,
kept per plan and audited; who signs, set on the standing body in the directory or on the report; the .docx
prints them (read back with python-docx) and numbers its pages."""
from __future__ import annotations

import io
import re

import pytest
from docx import Document

from .test_review_loop import launch_249
from .test_web_pages import page_client

SECTIONS = {
    "assessment": "Các cơ quan, đơn vị đã triển khai Kế hoạch nghiêm túc.\n\nCông tác tuyên truyền được đẩy mạnh.",
    "shortcomings": "- Một số nội dung còn chậm tiến độ.\n- Kinh phí bố trí còn hạn chế.",
    "next_tasks": "",
    "recommendations": "Đề nghị UBND tỉnh bố trí kinh phí năm 2023.",
}


@pytest.fixture
def plan(as_user):
    return launch_249(as_user("dieuphoi"), key="qng-249-report-sections")[0]


def form_of(page: str) -> dict[str, str]:
    """The hidden fields of the report's form: its CSRF token and the version it shows."""
    return {name: value for name, value in re.findall(r'name="(csrf_token|version)" value="([^"]*)"', page)}


def docx_text(client, plan_id: int) -> tuple[list[str], Document]:
    response = client.get(f"/api/v1/plans/{plan_id}/report?format=docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    return [paragraph.text for paragraph in document.paragraphs if paragraph.text.strip()], document


def put_sections(client, plan_id: int, **body):
    return client.send("put", f"/api/v1/plans/{plan_id}/report/sections", json=body)


def test_sections_written_on_the_page_are_kept_audited_and_shown_again(as_user, plan):
    client = page_client(as_user, "dieuphoi")
    plan_page = client.get(f"/plans/{plan['id']}").get_data(as_text=True)
    assert f'href="/plans/{plan["id"]}/report"' in plan_page
    page = client.get(f"/plans/{plan['id']}/report").get_data(as_text=True)
    assert "Đánh giá chung" in page and "Kiến nghị, đề xuất" in page
    saved = client.post(f"/plans/{plan['id']}/report", data={**form_of(page), **SECTIONS,
                                                             "signer_title": "", "signer_name": "", "recipients": ""})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/plans/{plan['id']}/report?saved=1")
    again = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Đã lưu." in again
    assert "Kinh phí bố trí còn hạn chế." in again and 'name="version" value="1"' in again
    events = as_user("kiemtra").get("/api/v1/audit?action=plan.report_written").get_json()
    written = [event for event in events["events"] if event["action"] == "plan.report_written"]
    assert written[-1]["actor"] == "dieuphoi" and written[-1]["data"]["plan_id"] == plan["id"]
    assert written[-1]["data"]["sections"] == ["assessment", "shortcomings", "recommendations"]


def test_the_docx_prints_the_sections_numbered_after_the_figures_each_line_a_paragraph(as_user, plan):
    assert put_sections(as_user("congan"), plan["id"], **SECTIONS).status_code == 200
    paragraphs, _ = docx_text(as_user("dieuphoi"), plan["id"])
    start = paragraphs.index("II. ĐÁNH GIÁ CHUNG")
    assert paragraphs.index("I. KẾT QUẢ THỰC HIỆN KẾ HOẠCH") < start
    assert paragraphs[start:start + 8] == [
        "II. ĐÁNH GIÁ CHUNG", "Các cơ quan, đơn vị đã triển khai Kế hoạch nghiêm túc.",
        "Công tác tuyên truyền được đẩy mạnh.", "III. TỒN TẠI, HẠN CHẾ, KHÓ KHĂN, VƯỚNG MẮC",
        "- Một số nội dung còn chậm tiến độ.", "- Kinh phí bố trí còn hạn chế.",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT", "Đề nghị UBND tỉnh bố trí kinh phí năm 2023."]  # the empty one is left out
    assert not any("NHIỆM VỤ TRỌNG TÂM" in text for text in paragraphs)
    as_json = as_user("dieuphoi").get(f"/api/v1/plans/{plan['id']}/report?format=json").get_json()
    assert list(as_json["sections"]) == ["assessment", "shortcomings", "recommendations"]
    assert as_json["sections"]["shortcomings"] == ["- Một số nội dung còn chậm tiến độ.",
                                                   "- Kinh phí bố trí còn hạn chế."]


def test_a_report_nobody_wrote_has_no_sections_and_leaves_the_signature_to_the_hand(as_user, plan):
    paragraphs, document = docx_text(as_user("dieuphoi"), plan["id"])
    assert not any(text.startswith("II.") for text in paragraphs)
    signature = document.tables[-1].rows[0].cells[1].text
    assert signature.split("\n")[:2] == ["THỦ TRƯỞNG CƠ QUAN", "(Ký, ghi rõ họ tên, đóng dấu)"]
    assert signature.strip().endswith("(Ký, ghi rõ họ tên, đóng dấu)")  # room for a hand, and no name invented
    page = page_client(as_user, "pheduyet").get(f"/plans/{plan['id']}/report").get_data(as_text=True)
    assert "chưa đặt người ký trong danh bạ" in page


def test_the_signer_set_on_the_standing_body_signs_its_reports(as_user, plan):
    admin = as_user("quantri")
    answer = admin.send("put", "/api/v1/agencies/QNG-CA/signer",
                        json={"title": "KT. GIÁM ĐỐC / Phó Giám đốc", "name": "Nguyễn Văn An"})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["signer_name"] == "Nguyễn Văn An"
    _, document = docx_text(as_user("dieuphoi"), plan["id"])
    signature = [line for line in document.tables[-1].rows[0].cells[1].text.split("\n") if line]
    assert signature == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]
    history = admin.get("/api/v1/agencies/QNG-CA/history").get_json()
    assert history["events"][-1]["action"] == "agency.signer_set"
    assert history["events"][-1]["data"]["to"] == "KT. GIÁM ĐỐC / Phó Giám đốc — Nguyễn Văn An"
    page = page_client(as_user, "dieuphoi").get(f"/plans/{plan['id']}/report").get_data(as_text=True)
    assert "Nguyễn Văn An" in page and "chưa đặt người ký" not in page


def test_the_report_s_own_signer_and_recipients_stand_in_for_the_standing_body_s(as_user, plan):
    as_user("quantri").send("put", "/api/v1/agencies/QNG-CA/signer", json={"title": "GIÁM ĐỐC", "name": "Trần B"})
    written = put_sections(as_user("pheduyet"), plan["id"], signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
                           signer_name="Lê Văn C", recipients=["- Bộ Công an;", "Thường trực Tỉnh ủy", "Lưu: VT"])
    assert written.status_code == 200, written.get_json()
    body = written.get_json()
    assert body["signer"] == {"title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "title_lines": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
                              "name": "Lê Văn C"}
    assert body["standing_signer"]["name"] == "Trần B" and body["recipients"] == ["Bộ Công an", "Thường trực Tỉnh ủy"]
    _, document = docx_text(as_user("dieuphoi"), plan["id"])
    recipients, signature = (cell.text for cell in document.tables[-1].rows[0].cells)
    assert recipients.split("\n") == ["Nơi nhận:", "- Bộ Công an;", "- Thường trực Tỉnh ủy;", "- Lưu: VT."]
    assert "Lê Văn C" in signature and "Trần B" not in signature


def test_what_is_saved_is_read_back_by_the_api_and_a_stale_save_is_refused(as_user, plan):
    client = as_user("congan")
    first = put_sections(client, plan["id"], version=0, **SECTIONS)
    assert first.status_code == 200 and first.get_json()["version"] == 1
    read = as_user("stttt").get(f"/api/v1/plans/{plan['id']}/report/sections").get_json()  # whoever sees the plan
    assert {key: read[key] for key in SECTIONS} == {key: value.strip() for key, value in SECTIONS.items()}
    assert read["may_write"] is False and read["updated_by"] == "congan"
    stale = put_sections(as_user("dieuphoi"), plan["id"], version=0, assessment="Ghi đè")
    assert stale.status_code == 409
    assert as_user("dieuphoi").get(f"/api/v1/plans/{plan['id']}/report/sections").get_json()["assessment"] \
        == SECTIONS["assessment"]


def test_only_coordinators_and_the_standing_body_write_the_report(as_user, plan):
    refused = put_sections(as_user("stttt", language=None), plan["id"], assessment="x")
    assert refused.status_code == 403 and "cơ quan thường trực" in refused.get_json()["detail"]
    assert page_client(as_user, "stttt").get(f"/plans/{plan['id']}/report").status_code == 403
    assert f"/plans/{plan['id']}/report\"" not in page_client(as_user, "stttt").get(
        f"/plans/{plan['id']}").get_data(as_text=True)
    assert put_sections(as_user("kiemtra"), plan["id"], assessment="x").status_code == 403
    assert put_sections(as_user("pheduyet"), plan["id"], assessment="x").status_code == 200


def test_a_section_too_long_or_a_name_without_a_position_is_refused_in_vietnamese(as_user, plan):
    too_long = put_sections(as_user("dieuphoi", language=None), plan["id"], assessment="x" * 20_001)
    assert too_long.status_code == 422
    assert too_long.get_json()["errors"]["assessment"] == ["mỗi phần tối đa 20.000 ký tự (phần này có 20001)"]
    nameless = put_sections(as_user("dieuphoi", language=None), plan["id"], signer_name="Nguyễn Văn A")
    assert nameless.status_code == 422 and nameless.get_json()["errors"]["signer_title"][0].startswith(
        "ghi cả chức vụ của người ký")
    client = page_client(as_user, "dieuphoi")
    page = client.get(f"/plans/{plan['id']}/report").get_data(as_text=True)
    refused = client.post(f"/plans/{plan['id']}/report", data={**form_of(page), "assessment": "Giữ lại",
                                                               "signer_name": "Nguyễn Văn A"})
    assert refused.status_code == 422
    shown = refused.get_data(as_text=True)
    assert "ghi cả chức vụ của người ký" in shown and ">Giữ lại</textarea>" in shown
    assert as_user("dieuphoi").get(f"/api/v1/plans/{plan['id']}/report/sections").get_json()["version"] == 0


def test_the_administrator_sets_the_signer_on_the_body_s_page(as_user):
    client = page_client(as_user, "quantri")
    page = client.get("/admin/agencies/QNG-CA").get_data(as_text=True)
    assert "chưa đặt" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    saved = client.post("/admin/agencies/QNG-CA", data={"csrf_token": token, "action": "signer",
                                                        "signer_title": "GIÁM ĐỐC", "signer_name": "Phạm Văn D"})
    assert saved.status_code == 302
    shown = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "GIÁM ĐỐC — Phạm Văn D" in shown
    refused = client.post("/admin/agencies/QNG-CA", data={"csrf_token": token, "action": "signer",
                                                          "signer_title": "", "signer_name": "Phạm Văn D"})
    assert refused.status_code == 422 and "ghi cả chức vụ của người ký" in refused.get_data(as_text=True)


def test_the_docx_numbers_its_pages_with_a_page_field_from_the_second(as_user, plan):
    _, document = docx_text(as_user("dieuphoi"), plan["id"])
    section = document.sections[0]
    assert section.different_first_page_header_footer  # no number on the first page (Nghị định 30/2020)
    header = section.header._element.xml
    assert "<w:instrText" in header and " PAGE " in header and 'w:fldCharType="begin"' in header
    assert not section.first_page_header._element.xml.count("PAGE")
