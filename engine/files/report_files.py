"""Writing the progress report as people file it: a .docx in the layout of Vietnamese administrative
documents (Nghị định 30/2020/NĐ-CP), and as JSON and CSV for spreadsheets.

The .docx has the national motto and the issuing body side by side at the
top, the number and the place and date, the title; part I, the figures, made
from the plan (the counts, each item with its lead agency, status and results,
the overdue items); then the sections people wrote (đánh giá chung; tồn tại,
hạn chế; nhiệm vụ thời gian tới; kiến nghị), each numbered on; and the
recipients (Nơi nhận) bottom left beside the signature block bottom right.
Times New Roman 13–14 pt on A4 with the margins the decree gives, the page
number at the top of every page but the first. Its words are Vietnamese.
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
from engine.model.report_texts import HEADINGS

#: The parts of a report, numbered as written: the figures are I, the sections people wrote come after.
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
#: A row of the items' table up to this many lines is kept on one page; a taller one may run onto the next
#: rather than leave most of a page blank.
KEPT_WHOLE = 12

FONT = "Times New Roman"


def progress_docx(report: ProgressReport) -> bytes:
    document = Document()
    _page(document)
    _page_numbers(document)
    _header(document, report)
    _title(document, report)
    _heading(document, "I. KẾT QUẢ THỰC HIỆN KẾ HOẠCH")
    _summary(document, report)
    _items(document, report)
    _overdue(document, report)
    _written(document, report)
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
        "sections": {key: paragraphs for key, paragraphs in report.texts.sections()},
        "signer": ({"title_lines": report.signer.title_lines, "name": report.signer.name}
                   if report.signer else None),
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
    _fixed_widths(table, (Cm(6.5), Cm(9.5)))
    left, right = table.rows[0].cells
    for number, line in enumerate(_balanced(report.issuer_name.upper())):
        _line(left, line, bold=True, size=12, first=number == 0)
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
    _heading(document, "1. Tình hình chung", indent=True)
    as_of = report.as_of.astimezone(LOCAL_TZ)
    _paragraph(document, f"Tính đến ngày {_day(as_of)}, Kế hoạch có {total} nội dung được giao thực hiện: "
                         f"{counts['done_on_time']} nội dung hoàn thành đúng hạn, {counts['done_late']} nội dung "
                         f"hoàn thành quá hạn, {counts['in_progress']} nội dung đang thực hiện (trong hạn), "
                         + (f"{counts['report_late']} nội dung chậm báo cáo, " if counts["report_late"] else "")
                         + f"{counts['overdue']} nội dung quá hạn chưa hoàn thành.")


def _items(document, report: ProgressReport) -> None:
    _heading(document, "2. Kết quả thực hiện từng nội dung", indent=True)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    _repeat_as_header(table.rows[0])
    widths = (Cm(1.9), Cm(5.3), Cm(2.9), Cm(2.4), Cm(3.5))  # 16 cm: the A4 width less the margins
    _fixed_widths(table, widths)
    for cell, text, width in zip(table.rows[0].cells, ("STT", "Nội dung", "Cơ quan chủ trì", "Tình trạng",
                                                      "Kết quả"), widths):
        cell.width = width
        _line(cell, text, bold=True, size=12, first=True, center=True)
    for item in report.items:
        added = table.add_row()
        row = added.cells
        for cell, width in zip(row, widths):
            cell.width = width
        if item.heading:
            _unsplit(added)
            merged = row[1].merge(row[4])
            _line(row[0], item.number, bold=True, size=12, first=True, center=True)
            _line(merged, item.title, bold=True, size=12, first=True)
            continue
        due = f" (hạn {_day(item.due)})" if item.due else ""
        texts = ([item.number], [item.title + due], [in_language(item.lead_name) or ""],
                 [in_language(label(item.status))], item.results or ["Chưa có báo cáo kết quả"])
        if _lines_of(texts, widths) <= KEPT_WHOLE:
            _unsplit(added)
        for index, (cell, paragraphs) in enumerate(zip(row, texts)):
            for number, text in enumerate(paragraphs):  # each agency's result a paragraph of its own
                _line(cell, text, size=12, first=number == 0, center=index in (0, 3))


def _overdue(document, report: ProgressReport) -> None:
    _heading(document, "3. Nội dung quá hạn chưa hoàn thành", indent=True, before=12)
    if not report.overdue:
        _paragraph(document, "Không có nội dung quá hạn.")
    for item in report.overdue:
        _paragraph(document, f"- Nội dung {item.number}: {item.title} (chủ trì: {in_language(item.lead_name)}; "
                             f"hạn {_day(item.due)}).")


def _written(document, report: ProgressReport) -> None:
    """The sections people wrote, numbered after the figures; each line of theirs a paragraph."""
    for number, (key, paragraphs) in zip(ROMAN[1:], report.texts.sections()):
        _heading(document, f"{number}. {HEADINGS[key]}", before=12)
        for text in paragraphs:
            _paragraph(document, text)


def _closing(document, report: ProgressReport) -> None:
    """Nơi nhận bottom left, the signature block bottom right (Nghị định 30/2020, Phụ lục I): the position in
    capitals, room for the signature and seal, then the full name; with nobody named, the room and a note."""
    spacer = document.add_paragraph()
    spacer.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=2)
    _fixed_widths(table, (Cm(7.5), Cm(8.5)))
    _unsplit(table.rows[0])
    left, right = table.rows[0].cells
    _line(left, "Nơi nhận:", bold=True, italic=True, size=12, first=True, center=False)
    for name in report.recipient_names:
        _line(left, f"- {name};", size=11, center=False)
    _line(left, "- Lưu: VT.", size=11, center=False)
    signer = report.signer
    lines = [line.upper() for line in signer.title_lines] if signer else ["THỦ TRƯỞNG CƠ QUAN"]
    for number, line in enumerate(lines):
        _line(right, line, bold=True, size=13, first=number == 0)
    if not signer or not signer.name:
        _line(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=13)
    for _ in range(4):  # the room for the signature and the seal
        _line(right, "", size=13)
    if signer and signer.name:
        _line(right, signer.name, bold=True, size=14)


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


def _heading(document, text: str, indent: bool = False, before: int = 6) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.keep_with_next = True
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    _run(paragraph, text, bold=True)


def _paragraph(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1)
    _run(paragraph, text)


def _page_numbers(document) -> None:
    """The page number centred at the top of each page but the first (Nghị định 30/2020, Phụ lục I): a PAGE
    field, which Word and LibreOffice fill in, so that the PDF made from the .docx has them too."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.header_distance = Cm(1)
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "", size=13)
    _field(paragraph, "PAGE", "2")


def _field(paragraph, code: str, shown: str) -> None:
    """A field (``PAGE``) in the paragraph: its code between begin and end marks, and the text shown until a
    word processor updates it."""
    def run_with(child) -> None:
        run = paragraph.add_run()
        run.font.name, run.font.size = FONT, Pt(13)
        run._element.append(child)

    begin, instruction, separate, end = (OxmlElement("w:fldChar"), OxmlElement("w:instrText"),
                                         OxmlElement("w:fldChar"), OxmlElement("w:fldChar"))
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    separate.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    for child in (begin, instruction, separate):
        run_with(child)
    paragraph.add_run(shown).font.size = Pt(13)
    run_with(end)


def _repeat_as_header(row) -> None:
    """The row is printed again at the top of each page the table runs onto."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _lines_of(texts, widths) -> int:
    """About how many lines the tallest cell of a row takes, its paragraphs in 12 pt Times in its width."""
    def lines(paragraphs, width) -> int:
        per_line = max(int((width.cm - 0.4) * 4.6), 1)  # some 4.6 characters a centimetre, less the padding
        return sum(-(-len(text) // per_line) or 1 for text in paragraphs)
    return max(lines(paragraphs, width) for paragraphs, width in zip(texts, widths))


def _unsplit(row) -> None:
    """The row is kept on one page rather than cut across two."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _balanced(name: str, width: int = 18) -> list[str]:
    """A body's name in lines of about ``width`` characters, broken between words so that the lines come out
    even (CÔNG AN TỈNH / QUẢNG NGÃI, not CÔNG AN TỈNH QUẢNG / NGÃI)."""
    words = name.split()
    if len(name) <= width or len(words) < 2:
        return [name]
    lines = -(-len(name) // width)
    best: list[str] = [name]
    for count in range(max(lines, 2), len(words) + 1):
        target = len(name) / count
        found, line = [], []
        for word in words:
            if line and len(" ".join([*line, word])) > target + 4 and len(found) < count - 1:
                found.append(" ".join(line))
                line = []
            line.append(word)
        found.append(" ".join(line))
        best = found
        if max(len(text) for text in found) <= width:
            break
    return best


def _day(when) -> str:
    return when.astimezone(LOCAL_TZ).strftime("%d/%m/%Y")


def _initials(name: str) -> str:
    """The abbreviation of a body for its document numbers: Công an tỉnh Quảng Ngãi → CAT (the first words)."""
    words = [word for word in name.split() if word[:1].isalpha()]
    letters = "".join(word[0] for word in words[:3]).upper()
    return letters.replace("Đ", "D") or "BC"
