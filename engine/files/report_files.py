"""Writing the progress report as people file it: a .docx in the layout of Vietnamese administrative
documents (Nghị định 30/2020/NĐ-CP), and as JSON and CSV for spreadsheets.

The .docx has the national motto and the issuing body side by side at the
top, the number and the place and date, the title, the body by item (lead
agency, status, results), the overdue items, and the recipients (Nơi nhận)
beside the signature block; Times New Roman 13–14 pt on A4 with the margins
the decree gives. Its words are Vietnamese.
"""
from __future__ import annotations

import csv
import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from engine.files.spreadsheets import inert_row
from engine.i18n import in_language, label
from engine.model.clock import LOCAL_TZ
from engine.model.progress_report import ProgressReport

FONT = "Times New Roman"


def progress_docx(report: ProgressReport) -> bytes:
    document = Document()
    _page(document)
    _header(document, report)
    _title(document, report)
    _summary(document, report)
    _items(document, report)
    _overdue(document, report)
    _closing(document, report)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def progress_json(report: ProgressReport) -> dict[str, Any]:
    return {
        "plan": {"id": report.plan_id, "symbol": report.plan_symbol, "title": report.plan_title},
        "issuer": report.issuer_name, "recipients": report.recipient_names,
        "period": ({"code": report.period.code, "words": in_language(report.period.words),
                    "start": report.period.start.isoformat(), "end": report.period.end.isoformat()}
                   if report.period else None),
        "as_of": report.as_of.astimezone(LOCAL_TZ).isoformat(), "counts": report.counts,
        "items": [{"number": item.number, "title": item.title, "lead_agency": item.lead_agency,
                   "lead_name": in_language(item.lead_name), "coordinating": item.coordinating,
                   "due": item.due.astimezone(LOCAL_TZ).isoformat() if item.due else None, "status": item.status,
                   "status_label": in_language(label(item.status)), "results": item.results}
                  for item in report.items if not item.heading],
        "overdue": [item.number for item in report.overdue],
        "report_late": [item.number for item in report.report_late],
    }


def progress_csv(report: ProgressReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["STT", "Nội dung", "Cơ quan chủ trì (mã)", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn",
                     "Tình trạng (mã)", "Tình trạng", "Kết quả"])
    for item in report.items:
        if item.heading:
            continue
        # A result typed as "=HYPERLINK(…)" is text to a spreadsheet program, never a formula.
        writer.writerow(inert_row([item.number, item.title, item.lead_agency or "", in_language(item.lead_name) or "",
                                   "; ".join(item.coordinating), _day(item.due) if item.due else "", item.status,
                                   in_language(label(item.status)), " | ".join(item.results)]))
    return "\ufeff" + out.getvalue()  # a byte-order mark, so that spreadsheet programs read the diacritics


# --- The .docx, part by part ---------------------------------------------------------------

def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(6)


def _header(document, report: ProgressReport) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(table, (Cm(6.0), Cm(10.0)))
    left, right = table.rows[0].cells
    _line(left, report.issuer_name.upper(), bold=True, size=12, first=True)
    _line(left, "———", size=11)
    _line(left, f"Số:        /BC-{_initials(report.issuer_name)}", size=13)
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, first=True)
    _line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13, underline=True)
    day = report.written_on
    _line(right, f"{report.province_name}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}",
          italic=True, size=13)


def _title(document, report: ProgressReport) -> None:
    _centered(document, "BÁO CÁO", bold=True, size=14, before=18)
    period = f" ({in_language(report.period.words)})" if report.period else ""
    _centered(document, f"Kết quả thực hiện Kế hoạch số {report.plan_symbol}{period}", bold=True, size=14)
    _centered(document, report.plan_title, size=13, italic=True, after=12)


def _summary(document, report: ProgressReport) -> None:
    counts = report.counts
    total = sum(counts.values())
    _heading(document, "I. TÌNH HÌNH CHUNG")
    as_of = report.as_of.astimezone(LOCAL_TZ)
    _paragraph(document, f"Tính đến ngày {_day(as_of)}, Kế hoạch có {total} nội dung được giao thực hiện: "
                         f"{counts['done_on_time']} nội dung hoàn thành đúng hạn, {counts['done_late']} nội dung "
                         f"hoàn thành quá hạn, {counts['in_progress']} nội dung đang thực hiện (trong hạn), "
                         + (f"{counts['report_late']} nội dung chậm báo cáo, " if counts["report_late"] else "")
                         + f"{counts['overdue']} nội dung quá hạn chưa hoàn thành.")


def _items(document, report: ProgressReport) -> None:
    _heading(document, "II. KẾT QUẢ THỰC HIỆN TỪNG NỘI DUNG")
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    widths = (Cm(1.3), Cm(6.2), Cm(3.0), Cm(2.5), Cm(3.0))  # 16 cm: the A4 width less the margins
    _fixed_widths(table, widths)
    for cell, text, width in zip(table.rows[0].cells, ("STT", "Nội dung", "Cơ quan chủ trì", "Tình trạng",
                                                      "Kết quả"), widths):
        cell.width = width
        _line(cell, text, bold=True, size=12, first=True, center=True)
    for item in report.items:
        row = table.add_row().cells
        for cell, width in zip(row, widths):
            cell.width = width
        if item.heading:
            merged = row[1].merge(row[4])
            _line(row[0], item.number, bold=True, size=12, first=True, center=True)
            _line(merged, item.title, bold=True, size=12, first=True)
            continue
        due = f" (hạn {_day(item.due)})" if item.due else ""
        for cell, text in zip(row, (item.number, item.title + due, in_language(item.lead_name) or "",
                                    in_language(label(item.status)),
                                    "; ".join(item.results) or "Chưa có báo cáo kết quả")):
            _line(cell, text, size=12, first=True, center=cell is row[0] or cell is row[3])


def _overdue(document, report: ProgressReport) -> None:
    _heading(document, "III. NỘI DUNG QUÁ HẠN CHƯA HOÀN THÀNH")
    if not report.overdue:
        _paragraph(document, "Không có nội dung quá hạn.")
    for item in report.overdue:
        _paragraph(document, f"- Nội dung {item.number}: {item.title} (chủ trì: {in_language(item.lead_name)}; "
                             f"hạn {_day(item.due)}).")


def _closing(document, report: ProgressReport) -> None:
    document.add_paragraph()
    table = document.add_table(rows=1, cols=2)
    _fixed_widths(table, (Cm(8), Cm(8)))
    left, right = table.rows[0].cells
    _line(left, "Nơi nhận:", bold=True, italic=True, size=12, first=True, center=False)
    for name in report.recipient_names:
        _line(left, f"- {name};", size=11, center=False)
    _line(left, "- Lưu: VT.", size=11, center=False)
    _line(right, "THỦ TRƯỞNG CƠ QUAN", bold=True, size=14, first=True, center=True)
    _line(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=13, center=True)


# --- Typesetting ------------------------------------------------------------------------

def _fixed_widths(table, widths) -> None:
    """Column widths that word processors keep (python-docx's autofit lets LibreOffice spread them evenly)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _line(cell, text: str, bold: bool = False, italic: bool = False, underline: bool = False, size: int = 13,
          first: bool = False, center: bool = True) -> None:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, bold, italic, underline, size)


def _run(paragraph, text: str, bold: bool = False, italic: bool = False, underline: bool = False,
         size: int = 14) -> None:
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.name, run.font.size = FONT, Pt(size)
    fonts = run._element.get_or_add_rPr().find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run._element.get_or_add_rPr().append(fonts)
    fonts.set(qn("w:eastAsia"), FONT)


def _centered(document, text: str, bold: bool = False, italic: bool = False, size: int = 14, before: int = 0,
              after: int = 0) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before, paragraph.paragraph_format.space_after = Pt(before), Pt(after)
    _run(paragraph, text, bold, italic, size=size)


def _heading(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    _run(paragraph, text, bold=True)


def _paragraph(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1)
    _run(paragraph, text)


def _day(when) -> str:
    return when.astimezone(LOCAL_TZ).strftime("%d/%m/%Y")


def _initials(name: str) -> str:
    """The abbreviation of a body for its document numbers: Công an tỉnh Quảng Ngãi → CAT (the first words)."""
    words = [word for word in name.split() if word[:1].isalpha()]
    letters = "".join(word[0] for word in words[:3]).upper()
    return letters.replace("Đ", "D") or "BC"
