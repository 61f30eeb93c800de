"""What people write into a progress report, as the report prints it: paragraphs, the signer's lines, the
recipients without the dashes people type; and the issuer's name broken evenly in the heading."""
from __future__ import annotations

import pytest

from docx.shared import Cm

from engine.files.report_files import KEPT_WHOLE, _balanced, _lines_of
from engine.model.report_texts import ReportTexts, paragraphs, recipient_lines, signer_of, signer_problems


def test_each_line_written_is_a_paragraph_and_blank_lines_are_dropped():
    assert paragraphs("Một.\r\n\r\n  Hai   ba.\n\n\n- Bốn;") == ["Một.", "Hai ba.", "- Bốn;"]


def test_a_report_s_sections_are_those_written_in_the_order_printed():
    texts = ReportTexts(assessment="A", shortcomings=" \n ", recommendations="B\nC")
    assert texts.sections() == [("assessment", ["A"]), ("recommendations", ["B", "C"])]


@pytest.mark.parametrize("typed, lines", [
    ("KT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN", ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"]),
    ("KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN", ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"]),
    ("  CHỦ TỊCH  ", ["CHỦ TỊCH"]),
])
def test_a_position_is_printed_a_line_at_a_time(typed, lines):
    assert signer_of(typed, " Nguyễn  Văn A ").title_lines == lines
    assert signer_of(typed, " Nguyễn  Văn A ").name == "Nguyễn Văn A"


def test_nobody_is_a_signer_without_a_position_and_a_name_alone_is_refused():
    assert signer_of("", "Nguyễn Văn A") is None and signer_of(None, None) is None
    assert set(signer_problems("", "Nguyễn Văn A")) == {"signer_title"}
    assert set(signer_problems("A\nB\nC\nD", None)) == {"signer_title"}
    assert set(signer_problems("CHỦ TỊCH", "x" * 121)) == {"signer_name"}
    assert signer_problems("CHỦ TỊCH", None) == {} and signer_problems(None, None) == {}


def test_recipients_lose_the_dashes_and_semicolons_typed_and_the_archive_line():
    assert recipient_lines("- Bộ Công an;\n\n• Thường trực Tỉnh ủy,\nLưu: VT, CAT.\n  UBND tỉnh  ") == [
        "Bộ Công an", "Thường trực Tỉnh ủy", "UBND tỉnh"]


@pytest.mark.parametrize("name, lines", [
    ("CÔNG AN TỈNH QUẢNG NGÃI", ["CÔNG AN TỈNH", "QUẢNG NGÃI"]),
    ("SỞ NỘI VỤ", ["SỞ NỘI VỤ"]),
    ("UBND", ["UBND"]),
])
def test_the_issuer_s_name_breaks_between_words_into_even_lines(name, lines):
    assert _balanced(name) == lines


def test_a_long_name_breaks_into_lines_that_fit_the_heading():
    lines = _balanced("BAN CHỈ ĐẠO PHÒNG, CHỐNG TỘI PHẠM, TỆ NẠN XÃ HỘI TỈNH QUẢNG NGÃI")
    assert " ".join(lines) == "BAN CHỈ ĐẠO PHÒNG, CHỐNG TỘI PHẠM, TỆ NẠN XÃ HỘI TỈNH QUẢNG NGÃI"
    assert all(len(line) <= 20 for line in lines) and len(lines) >= 3


def test_a_row_of_a_few_lines_is_kept_on_one_page_and_a_tall_one_may_run_on():
    widths = (Cm(1.9), Cm(5.3), Cm(2.9), Cm(2.4), Cm(3.5))
    short = (["4"], ["Xây dựng và nhân rộng các mô hình (hạn 30/09/2022)"], ["Công an tỉnh Quảng Ngãi"],
             ["hoàn thành đúng hạn"], ["Đã tổ chức tọa đàm tại 3 đơn vị"])
    tall = (*short[:4], [f"Sở thứ {n} đã ban hành Kế hoạch cải cách hành chính năm 2026" for n in range(6)])
    assert _lines_of(short, widths) <= KEPT_WHOLE < _lines_of(tall, widths)
