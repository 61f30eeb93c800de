"""The official progress report of plan 249/KH-BCD138: a .docx in the administrative layout, JSON and CSV.

The .docx is parsed back; where LibreOffice is installed (``.ci/run`` installs
it) it is also rendered to PDF and its first page to PNG, kept in
tests/artifacts/ for a person to look at.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from engine.errors import Invalid
from engine.model.actors import SYSTEM
from engine.model.clock import parse_instant
from engine.model.progress_report import parse_period
from engine.services import launches, progress_reports, tasks, worklists
from tests.conftest import member_of

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture
def plan(uow, clock, plan_249):
    """Plan 249 launched on 1 June 2022; item 4 done on 20 September; looked at on 1 October 2022."""
    view = launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT"]})
    item_4 = next(item for item in view.items if item.number == "4")
    clock.set(parse_instant("2022-09-20T09:00+07:00"))
    page = worklists.worklist(uow, clock, SYSTEM)
    for task in [t for t in page.tasks if t.instance_id == item_4.instances[0]["id"]]:
        data = {"contribution": {"summary": "Đã phối hợp"}} if task.lane == "coordinating" else {
            "summary": "Đã tổ chức tọa đàm tại 3 đơn vị"}
        tasks.complete_task(uow, clock, member_of(task.assigned_agency), task.id, data)
    review = next(t for t in worklists.worklist(uow, clock, SYSTEM).tasks if t.element_id == "review_result")
    tasks.complete_task(uow, clock, SYSTEM, review.id, {"approved": True})
    clock.set(parse_instant("2022-10-01T08:00+07:00"))
    return view


def test_the_docx_lists_each_item_with_its_lead_agency_by_name_and_its_status(uow, clock, plan):
    content, media_type, name = progress_reports.progress_document(uow, clock, SYSTEM, plan.id, None, "docx")
    assert media_type.endswith("wordprocessingml.document") and name == "249-KH-BCD138.docx"
    document = Document(io.BytesIO(content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1] and "Độc lập - Tự do - Hạnh phúc" in header[1]
    assert "CÔNG AN TỈNH\nQUẢNG NGÃI" in header[0] and "Số:" in header[0]
    assert "Quảng Ngãi, ngày 01 tháng 10 năm 2022" in header[1]
    assert "BÁO CÁO" in text and "Kết quả thực hiện Kế hoạch số 249/KH-BCD138" in text
    rows = {row.cells[0].text: [cell.text for cell in row.cells] for row in document.tables[1].rows[1:]}
    assert set(rows) == {"1", "2", "3", "4", "5", "6", "7", "IV.3"}
    assert rows["4"][2] == "Công an tỉnh Quảng Ngãi" and rows["4"][3] == "hoàn thành đúng hạn"
    assert rows["4"][4] == "Đã tổ chức tọa đàm tại 3 đơn vị"
    assert rows["3"][2] == "Sở Thông tin và Truyền thông tỉnh Quảng Ngãi"
    assert rows["6"][3] == "quá hạn chưa hoàn thành" and rows["7"][3] == "chưa đến hạn"
    assert "3. Nội dung quá hạn chưa hoàn thành" in text and "- Nội dung 6:" in text
    closing = document.tables[2].rows[0].cells[0].text
    assert closing.startswith("Nơi nhận:") and "Ủy ban nhân dân tỉnh Quảng Ngãi" in closing and "Lưu: VT" in closing


def test_a_period_reports_as_of_its_data_cut_off(uow, clock, plan):
    report = progress_reports.progress_report(uow, clock, SYSTEM, plan.id, "2022-Q3")
    assert report.as_of == parse_instant("2022-09-14T23:59:59.999999+07:00")
    item_4 = next(item for item in report.items if item.number == "4")
    assert item_4.status == "in_progress" and item_4.results == []  # done on 20 September: after the cut-off
    assert report.counts == {"done_on_time": 0, "done_late": 0, "in_progress": 7, "report_late": 0, "overdue": 1}


@pytest.mark.parametrize("text, start, end", [
    ("2022", "2021-12-15T00:00:00+07:00", "2022-12-14"), ("2022-H1", "2021-12-15T00:00:00+07:00", "2022-06-14"),
    ("2022-H2", "2022-06-15T00:00:00+07:00", "2022-12-14"), ("2022-Q3", "2022-06-15T00:00:00+07:00", "2022-09-14"),
    ("2022-09", "2022-08-15T00:00:00+07:00", "2022-09-14"), ("2022-01", "2021-12-15T00:00:00+07:00", "2022-01-14"),
])
def test_periods_span_the_data_cut_offs_of_decree_09(text, start, end):
    period = parse_period(text)
    assert period.start.isoformat() == start and period.end.date().isoformat() == end


@pytest.mark.parametrize("text", ["2022-H3", "2022-Q5", "2022-13", "22", "2022-W1", "next year"])
def test_a_period_that_is_none_of_those_is_refused(text):
    with pytest.raises(Invalid):
        parse_period(text)


def test_json_and_csv_carry_the_same_items(uow, clock, plan):
    as_json = json.loads(progress_reports.progress_document(uow, clock, SYSTEM, plan.id, None, "json")[0])
    assert as_json["counts"] == {"done_on_time": 1, "done_late": 0, "in_progress": 6, "report_late": 0, "overdue": 1}
    assert [item["number"] for item in as_json["items"]] == ["1", "2", "3", "4", "5", "6", "7", "IV.3"]
    assert as_json["overdue"] == ["6"]
    as_csv = progress_reports.progress_document(uow, clock, SYSTEM, plan.id, None, "csv")[0].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert [row["STT"] for row in rows] == [item["number"] for item in as_json["items"]]
    assert rows[3]["Tình trạng"] == "hoàn thành đúng hạn" and rows[3]["Cơ quan chủ trì"] == "Công an tỉnh Quảng Ngãi"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed; .ci/run "
                                                           "installs it to render the report")
def test_the_report_renders_to_pdf_and_its_first_page_is_kept_as_a_png(uow, clock, plan, tmp_path):
    content, _, name = progress_reports.progress_document(uow, clock, SYSTEM, plan.id, None, "docx")
    (tmp_path / name).write_bytes(content)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / name)], check=True, capture_output=True,
                   timeout=120)
    pdf = tmp_path / name.replace(".docx", ".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(ARTIFACTS / "progress-report-249-page-1")], check=True, capture_output=True, timeout=60)
    png = ARTIFACTS / "progress-report-249-page-1.png"
    assert png.stat().st_size > 20_000 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
