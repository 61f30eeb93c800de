"""Word's own ways of writing a plan: sections and items numbered by Word's automatic numbering read with the
labels Word shows ("I.", "1.", "1.1.", "a)", "-", "+"), whether a paragraph or its style asks for them; a
numbering part that is broken gives unlabelled text, never a crash; an old Word 97-2003 .doc reads as the
.docx LibreOffice makes of it, and where LibreOffice is not installed is refused in Vietnamese with the way
out; a file is read by what it holds, not by its name.

Every document is made here: python-docx with numbering XML written out, LibreOffice for the .doc."""
from __future__ import annotations

import io
import subprocess
import zipfile
import pytest
import yaml

from engine.drafting import draft_here, legacy
from engine.drafting.reading import read_document
from engine.errors import Invalid
from engine.i18n import in_language
from engine.model.agencies import Agency, AgencyDirectory
from tests.conftest import ROOT

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
NUMBERING_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
needs_libreoffice = pytest.mark.skipif(legacy.libreoffice() is None,
                                       reason="LibreOffice (soffice) is not installed; .ci/run installs it")


def level(index: int, style: str, text: str, start: int = 1, more: str = "") -> str:
    return (f'<w:lvl w:ilvl="{index}"><w:start w:val="{start}"/><w:numFmt w:val="{style}"/>'
            f'<w:lvlText w:val="{text}"/>{more}</w:lvl>')


#: A plan's outline as Word keeps it: sections, items, sub-items, letters, then "-" and "+" bullets, and a
#: bullet drawn in the Symbol font (a private-use glyph).
OUTLINE = ('<w:abstractNum w:abstractNumId="1">' + level(0, "upperRoman", "%1.") + level(1, "decimal", "%2.")
           + level(2, "decimal", "%2.%3.") + level(3, "lowerLetter", "%4)") + level(4, "bullet", "-")
           + level(5, "bullet", "+") + level(6, "bullet", "\uf0b7") + "</w:abstractNum>")
#: Headings numbered "1.", "1.1." through their styles; a legal level writes "1.1.1" under an upper-Roman one.
HEADINGS = ('<w:abstractNum w:abstractNumId="2">' + level(0, "decimal", "%1.") + level(1, "decimal", "%1.%2.")
            + "</w:abstractNum>")
LEGAL = ('<w:abstractNum w:abstractNumId="3">' + level(0, "upperRoman", "%1.") + level(1, "decimal", "%1.%2.",
                                                                                        more="<w:isLgl/>")
         + "</w:abstractNum>")


def num(number: int, abstract: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{number}"><w:abstractNumId w:val="{abstract}"/>{overrides}</w:num>'


def word(paragraphs: list, numbering: str | None = OUTLINE + num(1, 1), styles: str = "") -> bytes:
    """A .docx of ``paragraphs``: (text, numId, level) with either None where the paragraph leaves it out,
    (text, style) for a paragraph of a style, (text, numId, level, style) for both, or a list of rows of cells
    for a table (each cell a paragraph tuple); ``numbering`` holds the numbering part's definitions (None: the
    document has no numbering part), ``styles`` more paragraph styles."""
    import docx
    from docx.oxml import parse_xml
    document = docx.Document()
    for paragraph in paragraphs:
        if isinstance(paragraph, list):
            table = document.add_table(rows=len(paragraph), cols=len(paragraph[0]))
            for row, cells in zip(table.rows, paragraph):
                for cell, content in zip(row.cells, cells):
                    _fill(cell.paragraphs[0], content)
        else:
            _fill(document.add_paragraph(), paragraph)
    for style in parse_xml(f"<w:styles {W}>{styles}</w:styles>"):
        document.styles.element.append(style)
    part = document.part.numbering_part
    if numbering is None:
        rid = next(key for key, rel in document.part.rels.items() if rel.reltype == NUMBERING_RELATIONSHIP)
        document.part.drop_rel(rid)
    else:
        for child in list(part.element):
            part.element.remove(child)
        for child in parse_xml(f"<w:numbering {W}>{numbering}</w:numbering>"):
            part.element.append(child)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _fill(paragraph, content: tuple) -> None:
    """The paragraph's run, style and numbering, written as XML (a numId Word would not write included)."""
    from docx.oxml import parse_xml
    text, number, index, style = content if len(content) == 4 else \
        (content[0], None, None, content[1]) if len(content) == 2 else (*content, None)
    paragraph.add_run(text)
    properties = paragraph._p.get_or_add_pPr()
    if style:
        properties.get_or_add_pStyle().val = style
    if number is not None or index is not None:
        properties.append(parse_xml(f"<w:numPr {W}>" + (f'<w:ilvl w:val="{index}"/>' if index is not None else "")
                                    + (f'<w:numId w:val="{number}"/>' if number is not None else "") + "</w:numPr>"))


def texts(data: bytes, name: str = "plan.docx") -> list[str]:
    return [paragraph.text for paragraph in read_document(data, name)]


def test_a_plans_outline_numbered_by_word_reads_with_the_labels_word_shows():
    document = word([
        ("KẾ HOẠCH", None, None),
        ("NỘI DUNG THỰC HIỆN", 1, 0), ("Cải cách thể chế", 1, 1), ("Rà soát văn bản", 1, 2),
        ("Ban hành văn bản", 1, 2), ("Sở Tư pháp chủ trì", 1, 3), ("Các sở phối hợp", 1, 3),
        ("Báo cáo quý", 1, 4), ("Báo cáo năm", 1, 5), ("Báo cáo đột xuất", 1, 6),
        [[("Nội dung", None, None), ("Kiểm tra", 1, 1)]],  # counted as Word counts it, left as it is typed
        ("Cải cách hành chính", 1, 1), ("Đơn giản hóa thủ tục", 1, 2), ("Văn phòng chủ trì", 1, 3),
        ("TỔ CHỨC THỰC HIỆN", 1, 0), ("Giao Sở Nội vụ theo dõi", 1, 1),
        ("", 1, 1),  # an empty numbered paragraph: counted, and no paragraph of its own
        ("Giao Sở Tài chính bảo đảm kinh phí", None, None)])
    assert texts(document) == [
        "KẾ HOẠCH", "I. NỘI DUNG THỰC HIỆN", "1. Cải cách thể chế", "1.1. Rà soát văn bản", "1.2. Ban hành văn bản",
        "a) Sở Tư pháp chủ trì", "b) Các sở phối hợp", "- Báo cáo quý", "+ Báo cáo năm", "- Báo cáo đột xuất",
        "Nội dung | Kiểm tra",
        "3. Cải cách hành chính", "3.1. Đơn giản hóa thủ tục", "a) Văn phòng chủ trì",
        "II. TỔ CHỨC THỰC HIỆN", "1. Giao Sở Nội vụ theo dõi", "Giao Sở Tài chính bảo đảm kinh phí"]


def style(name: str, based_on: str | None = None, number: int | None = None, index: int | None = None) -> str:
    numbered = "".join((f'<w:ilvl w:val="{index}"/>' if index is not None else "",
                        f'<w:numId w:val="{number}"/>' if number is not None else ""))
    return (f'<w:style w:type="paragraph" w:styleId="{name}"><w:name w:val="{name}"/>'
            + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "")
            + (f"<w:pPr><w:numPr>{numbered}</w:numPr></w:pPr>" if numbered else "") + "</w:style>")


def test_numbering_given_by_a_style_and_the_style_it_is_based_on_reads_and_a_cycle_of_styles_ends():
    styles = (style("Muc", number=2, index=0) + style("MucCon", based_on="Muc", index=1)
              + style("VongA", based_on="VongB") + style("VongB", based_on="VongA"))
    document = word([("Mục một", "Muc"), ("Việc thứ nhất", "MucCon"), ("Việc thứ hai", "MucCon"),
                     ("Mục hai", "Muc"), ("Việc của mục hai", "MucCon"), ("Đoạn kiểu vòng", "VongA"),
                     ("Đoạn bỏ số", 0, None, "Muc"),  # numId 0 takes it out of its style's list
                     ("Phần một", 3, 0), ("Điều luật", 3, 1)],
                    numbering=OUTLINE + HEADINGS + LEGAL + num(1, 1) + num(2, 2) + num(3, 3), styles=styles)
    assert texts(document) == ["1. Mục một", "1.1. Việc thứ nhất", "1.2. Việc thứ hai", "2. Mục hai",
                               "2.1. Việc của mục hai", "Đoạn kiểu vòng", "Đoạn bỏ số",
                               "I. Phần một", "1.1. Điều luật"]


def test_a_list_that_overrides_its_start_or_a_level_begins_where_it_says():
    overrides = ('<w:lvlOverride w:ilvl="1"><w:startOverride w:val="5"/></w:lvlOverride>'
                 '<w:lvlOverride w:ilvl="3">' + level(3, "upperLetter", "%4.") + "</w:lvlOverride>")
    document = word([("Nhiệm vụ", 1, 1), ("Nhiệm vụ", 1, 1), ("Tiếp từ năm", 2, 1), ("Tiếp", 2, 1),
                     ("Chữ hoa", 2, 3)], numbering=OUTLINE + num(1, 1) + num(2, 1, overrides))
    assert texts(document) == ["1. Nhiệm vụ", "2. Nhiệm vụ", "5. Tiếp từ năm", "6. Tiếp", "A. Chữ hoa"]


PLAIN = [("Kế hoạch", 1, 0), ("Nhiệm vụ", 2, 7), ("Việc", "abc", 0), ("Việc khác", 4, 0)]
BROKEN_NUMBERING = {
    "no numbering part at all": None,
    "lists that name nothing or say nothing": (
        num(1, 9) + '<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="x"><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>' + num(2, 2)
        + '<w:abstractNum w:abstractNumId="4"><w:numStyleLink w:val="Nowhere"/></w:abstractNum>' + num(4, 4)),
    "a numbering part holding something else": '<w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body>',
    "numbers Word would never write": (
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="99999999999999999999"/>'
        '<w:numFmt/><w:lvlText/></w:lvl><w:lvl w:ilvl="0"/></w:abstractNum>' + num(1, 1) + num(1, 1)
        + '<w:num><w:abstractNumId w:val="1"/></w:num><w:num w:numId="4"/>'),
}


@pytest.mark.parametrize("case", BROKEN_NUMBERING)
def test_a_broken_numbering_part_leaves_the_text_as_typed(case):
    assert texts(word(PLAIN, numbering=BROKEN_NUMBERING[case])) == ["Kế hoạch", "Nhiệm vụ", "Việc", "Việc khác"]


def test_counts_past_what_letters_and_roman_numerals_write_are_written_in_decimal():
    numbering = ('<w:abstractNum w:abstractNumId="1">' + level(0, "lowerLetter", "%1)", start=32767)
                 + level(1, "upperRoman", "%2.", start=4000) + "</w:abstractNum>" + num(1, 1))
    assert texts(word([("Chữ", 1, 0), ("Số La Mã", 1, 1)], numbering=numbering)) == ["32767) Chữ", "4000. Số La Mã"]


def test_a_numbering_part_that_is_not_xml_is_refused_plainly_before_it_is_parsed():
    with zipfile.ZipFile(io.BytesIO(word(PLAIN))) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members["word/numbering.xml"] = b"<w:numbering><w:num"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    with pytest.raises(Invalid) as refused:
        read_document(buffer.getvalue(), "plan.docx")
    assert "not well-formed XML" in refused.value.message and "word/numbering.xml" in refused.value.message


def test_a_plan_whose_items_word_numbers_is_drafted_with_them():
    rows = yaml.safe_load((ROOT / "seed" / "plan_agencies.yaml").read_text(encoding="utf-8"))["agencies"]
    directory = AgencyDirectory.of(Agency(**{key: tuple(value) if isinstance(value, list) else value
                                             for key, value in row.items()}) for row in rows)
    document = word([("UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None, None),
                     ("Số: 12/KH-UBND", None, None), ("Quảng Ngãi, ngày 2 tháng 3 năm 2023", None, None),
                     ("KẾ HOẠCH", None, None), ("Tuyên truyền pháp luật năm 2023", None, None),
                     ("MỤC ĐÍCH, YÊU CẦU", 1, 0), ("NỘI DUNG THỰC HIỆN", 1, 0),
                     ("Tuyên truyền trên báo chí", 1, 1),
                     ("(Sở Thông tin và Truyền thông chủ trì, Công an tỉnh phối hợp thực hiện trong tháng 4/2023)",
                      None, None),
                     ("Kiểm tra việc thực hiện", 1, 1), ("(Công an tỉnh chủ trì thực hiện trong tháng 6/2023)",
                                                         None, None)])
    items = draft_here(document, "plan.docx", directory).template["items"]
    assert [(str(item["number"]), item["lead"]) for item in items] == [("1", "QNG-STTTT"), ("2", "QNG-CA")]


PLAN = [("KẾ HOẠCH", None, None), ("NỘI DUNG", 1, 0), ("Tuyên truyền pháp luật", 1, 1),
        ("Sở Tư pháp chủ trì", 1, 3), [[("STT", None, None), ("Nội dung", None, None)],
                                       [("1", None, None), ("Kiểm tra", None, None)]],
        ("Tổ chức thực hiện", None, None)]


@needs_libreoffice
def test_a_word_97_document_made_by_libreoffice_reads_as_the_docx_it_was_made_from(tmp_path, monkeypatch):
    monkeypatch.setattr(legacy.tempfile, "tempdir", str(tmp_path))  # where the reading's own folder goes
    source = tmp_path / "plan.docx"
    source.write_bytes(word(PLAN))
    subprocess.run([legacy.libreoffice(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(source)], check=True, capture_output=True,
                   timeout=60)
    made = (tmp_path / "plan.doc").read_bytes()
    assert made.startswith(legacy.OLE2)
    assert texts(made, "plan.doc") == texts(source.read_bytes()) == [
        "KẾ HOẠCH", "I. NỘI DUNG", "1. Tuyên truyền pháp luật", "a) Sở Tư pháp chủ trì", "STT | Nội dung",
        "1 | Kiểm tra", "Tổ chức thực hiện"]
    assert not list(tmp_path.glob("planflow-doc-*"))  # the conversion's folder is gone


OLD_WORD = legacy.OLE2 + bytes(500) + "WordDocument".encode("utf-16-le") + bytes(500)


def test_a_doc_where_libreoffice_is_not_installed_is_refused_saying_to_save_it_as_docx(monkeypatch):
    monkeypatch.setattr(legacy, "libreoffice", lambda: None)
    for data in (OLD_WORD, rb"{\rtf1\ansi K\'ea ho\'b9ch}"):
        with pytest.raises(Invalid) as refused:
            read_document(data, "ke-hoach.doc")
        assert refused.value.errors == {"file": ["old word format"]}
        vietnamese = in_language(refused.value.message)
        assert vietnamese.startswith("ke-hoach.doc là văn bản Word cũ") and "lưu lại thành .docx" in vietnamese


def test_a_file_named_doc_is_read_by_what_it_holds(monkeypatch):
    monkeypatch.setattr(legacy, "libreoffice", lambda: pytest.fail("LibreOffice is not needed here"))
    text = "KẾ HOẠCH\nI. NỘI DUNG\n1. Tuyên truyền\n".encode()
    assert texts(text, "plan.doc") == texts(text, "plan.txt") == ["KẾ HOẠCH", "I. NỘI DUNG", "1. Tuyên truyền"]
    assert texts(word(PLAN[:3]), "plan.doc") == ["KẾ HOẠCH", "I. NỘI DUNG", "1. Tuyên truyền pháp luật"]
    workbook = legacy.OLE2 + bytes(500) + "Workbook".encode("utf-16-le")
    with pytest.raises(Invalid) as refused:
        read_document(workbook, "plan.doc")
    assert refused.value.errors == {"file": ["not a word document"]}
    assert "không phải văn bản Word" in in_language(refused.value.message)
