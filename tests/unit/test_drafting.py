"""Drafting a template from the plan document: plan 249/KH-BCD138 as text, as .docx paragraphs and as an
appendix table gives its seven items with the leads, coordinating agencies and timings the document writes;
a news article is no plan; hostile files are refused before parsing; the draft validates and launches.

The expected values below are copied from the document's own sentences (the parentheses after each item).
"""
from __future__ import annotations

import io
import zipfile

import pytest
import yaml

from engine.errors import Invalid
from engine.model.actors import SYSTEM
from engine.services import launches, templates
from tests.conftest import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
PLAN_249 = SEEDS / "001_8b1ac648bc3e6d98.txt"
ARTICLE = SEEDS / "004_e3d56a5d5655f3c7.txt"

needs_seeds = pytest.mark.skipif(not PLAN_249.exists(), reason=f"the seed documents are not at {SEEDS}")

#: (number, lead, performers, coordinating, schedule) as the document's sentences say them.
EXPECTED_249 = [
    # "(Thủ trưởng các sở, ban, ngành, hội, đoàn thể tỉnh, Chủ tịch UBND huyện, thị xã, thành phố thực hiện
    #   thường xuyên từ nay đến hết năm 2022)"
    ("1", None, {"groups": ["departments", "mass_organisations", "districts"]}, None,
     {"continuous": {"until": "2022-12-31"}}),
    ("2", "QNG-CA", None, None, {"continuous": {"until": "2022-12-31"}}),  # "(Công an tỉnh thực hiện thường xuyên …)"
    # "(Sở Thông tin và Truyền thông chủ trì, Công an tỉnh phối hợp thực hiện thường xuyên …)"
    ("3", "QNG-STTTT", None, ["QNG-CA"], {"continuous": {"until": "2022-12-31"}}),
    # "(Công an tỉnh chủ trì, phối hợp các đơn vị, địa phương có liên quan thực hiện trong tháng 9/2022)"
    ("4", "QNG-CA", None, [{"param": "relevant_units"}], {"window": {"month": 9, "year": "2022"}}),
    ("5", "QNG-CA", None, [{"param": "relevant_units"}], {"window": {"month": 10, "year": "2022"}}),
    ("6", "QNG-CA", None, [{"param": "relevant_units"}], {"window": {"month": 7, "year": "2022"}}),
    ("7", "QNG-CA", None, [{"param": "relevant_units"}], {"window": {"month": 11, "year": "2022"}}),
]


def draft_of(uow, data: bytes, name: str):
    return templates.draft_from_document(uow, SYSTEM, data, name)


def assignments(draft) -> list[tuple]:
    found = []
    for entry in draft.template["items"]:
        schedule = {key: value for key, value in (entry.get("schedule") or {}).items() if key != "text"} or None
        found.append((str(entry["number"]), entry.get("lead"), entry.get("performers"), entry.get("coordinating"),
                      schedule))
    return found


@needs_seeds
def test_plan_249_as_text_gives_its_seven_items_as_the_document_assigns_them(uow, agencies, standard_processes):
    draft = draft_of(uow, PLAN_249.read_bytes(), PLAN_249.name)
    assert assignments(draft) == EXPECTED_249
    template = draft.template
    assert (template["province"], template["issuer"], template["standing_body"]) == ("QNG", "QNG-BCD138", "QNG-CA")
    assert template["symbol"] == "{number}/KH-BCD138" and template["parameters"]["number"]["default"] == "249"
    assert template["parameters"]["issued_on"]["default"] == "2022-05-25"
    assert template["name"].startswith("Thực hiện Chỉ thị số 03/CT-UBND ngày 28/4/2022")
    title_span = draft.items[2].spans["title"]
    assert title_span.text.startswith("Nghiên cứu ứng dụng tiện ích của công nghệ thông tin")
    assert draft.items[2].spans["assignment"].text.startswith("(Sở Thông tin và Truyền thông chủ trì")
    assert draft.flags == []


@needs_seeds
def test_a_news_article_is_no_plan_and_says_what_was_looked_for(uow, agencies, standard_processes):
    with pytest.raises(Invalid) as refused:
        draft_of(uow, ARTICLE.read_bytes(), ARTICLE.name)
    assert "no plan structure found" in refused.value.message
    assert "numbered items" in refused.value.message


@needs_seeds
@pytest.mark.parametrize("seed, number, province, leads", [
    ("000_a70965064eec73d5.txt", "22", "NDH", ["NDH-BCD138"]),  # "Ban Chỉ đạo 138 tỉnh ban hành Kế hoạch số 22/KH-BCĐ"
    ("002_85bc1fd0ce64e35b.txt", "930", "GLI", ["GLI-STTTT", "GLI-CA", None]),  # "Công văn số 930/UBND-KGVX"
])
def test_a_report_about_a_plan_drafts_the_plan_it_names_and_says_it_is_a_report(uow, agencies, standard_processes,
                                                                                  seed, number, province, leads):
    draft = draft_of(uow, (SEEDS / seed).read_bytes(), seed)
    template = draft.template
    assert (template["parameters"]["number"]["default"], template["province"]) == (number, province)
    assert [entry.get("lead") for entry in template["items"]] == leads
    assert draft.flags[0].path == "document_type" and "a report about the plan" in draft.flags[0].message


@needs_seeds
def test_the_same_plan_as_docx_paragraphs_gives_the_same_draft(uow, agencies, standard_processes):
    import docx
    document = docx.Document()
    for line in PLAN_249.read_text(encoding="utf-8").splitlines():
        if line.strip():
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    from_docx = draft_of(uow, buffer.getvalue(), "249.docx")
    from_text = draft_of(uow, PLAN_249.read_bytes(), PLAN_249.name)
    assert from_docx.template == from_text.template


def appendix_docx(titles: dict[str, str] | None = None) -> bytes:
    """Plan 249 written in the appendix form: a table STT | Nội dung | chủ trì | phối hợp | thời gian | sản phẩm
    (with the items' titles as ``titles`` gives them, else short ones)."""
    import docx
    text = PLAN_249.read_text(encoding="utf-8").splitlines()
    document = docx.Document()
    for line in ("UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "BAN CHỈ ĐẠO 138 Độc lập - Tự do - Hạnh phúc", "Số: 249/KH-BCD138",
                 "Quảng Ngãi, ngày 25 tháng 5 năm 2022", "KẾ HOẠCH", next(l for l in text if l.startswith("Thực hiện")),
                 "II. NỘI DUNG THỰC HIỆN"):
        document.add_paragraph(line)
    rows = [("1", "Nâng cao nhận thức, phát huy vai trò, trách nhiệm của toàn hệ thống chính trị trong xây dựng "
                  "phong trào toàn dân bảo vệ ANTQ trên không gian mạng",
             "Thủ trưởng các sở, ban, ngành, hội, đoàn thể tỉnh, Chủ tịch UBND huyện, thị xã, thành phố", "",
             "thường xuyên từ nay đến hết năm 2022"),
            ("2", "Xây dựng nội dung, hình thức hướng dẫn, phổ biến, tuyên truyền", "Công an tỉnh", "",
             "thường xuyên từ nay đến hết năm 2022"),
            ("3", "Nghiên cứu ứng dụng tiện ích của công nghệ thông tin", "Sở Thông tin và Truyền thông",
             "Công an tỉnh", "thường xuyên từ nay đến hết năm 2022"),
            ("4", "Xây dựng và nhân rộng các mô hình", "Công an tỉnh", "các đơn vị, địa phương có liên quan",
             "Tháng 9/2022"),
            ("5", "Đảm bảo nguồn lực", "Công an tỉnh", "các đơn vị liên quan", "Tháng 10/2022"),
            ("6", "Tổ chức Hội thảo chuyên đề", "Công an tỉnh", "các đơn vị có liên quan", "Tháng 7/2022"),
            ("7", "Tổ chức kiểm tra, đánh giá", "Công an tỉnh", "các đơn vị, địa phương có liên quan",
             "Tháng 11/2022")]
    table = document.add_table(rows=2, cols=6)
    for cell, text_ in zip(table.rows[0].cells, ("STT", "Nội dung, nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
                                                 "Thời gian hoàn thành", "Sản phẩm")):
        cell.text = text_
    group = table.rows[1].cells
    group[0].merge(group[5]).text = "Nhóm nhiệm vụ tuyên truyền"  # a group row over the whole width
    for number, title, lead, partners, time in rows:
        title = (titles or {}).get(number, title)
        cells = table.add_row().cells
        for cell, value in zip(cells, (number, title, lead, partners, time, "Báo cáo")):
            cell.text = value
    for line in ("IV. TỔ CHỨC THỰC HIỆN", "1. Giao Công an tỉnh là cơ quan thường trực, phối hợp với Văn phòng "
                 "Ủy ban nhân dân tỉnh tham mưu Ủy ban nhân dân tỉnh kiểm tra, đôn đốc."):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@needs_seeds
def test_the_same_plan_as_an_appendix_table_gives_the_same_draft(uow, agencies, standard_processes):
    from_text = draft_of(uow, PLAN_249.read_bytes(), PLAN_249.name)
    titles = {str(entry["number"]): entry["title"] for entry in from_text.template["items"]}
    from_table = draft_of(uow, appendix_docx(titles), "249-phu-luc.docx")
    assert assignments(from_table) == EXPECTED_249

    def without_body(template):
        """What the table form cannot say the same: the body text under the items, the words of a timing
        ("Tháng 9/2022" for "trong tháng 9/2022", read alike), the paragraphs around the table, and the products
        (the table has a column for them; the text writes none)."""
        items = [{**{k: v for k, v in entry.items() if k not in ("text", "outputs")},
                  "schedule": {k: v for k, v in entry["schedule"].items() if k != "text"}}
                 for entry in template["items"]]
        return {**template, "items": items, "implements": [], "reporting": {"to": template["reporting"]["to"]}}
    assert without_body(from_table.template) == without_body(from_text.template)


@needs_seeds
def test_the_draft_of_plan_249_validates_and_launches(uow, clock, agencies, standard_processes, tmp_path):
    from engine.drafting.writing import draft_yaml
    draft = draft_of(uow, PLAN_249.read_bytes(), PLAN_249.name)
    text = draft_yaml(draft, PLAN_249.name)
    assert "# source [paragraph" in text
    assert yaml.safe_load(text) == draft.template  # the comments change nothing
    info = templates.register_template(uow, clock, SYSTEM, text.encode("utf-8"), "249-draft.yaml")
    plan = launches.launch_plan(uow, clock, SYSTEM, info.key, {"relevant_units": ["QNG-STTTT"]})
    assert plan.symbol == "249/KH-BCD138" and len(plan.items) == 7
    assert {item.number: item.lead for item in plan.items}["3"] == "QNG-STTTT"


def test_an_unknown_agency_is_kept_as_written_and_flagged_with_a_suggestion(uow, agencies, standard_processes):
    text = ("UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/KH-UBND\n"
            "Quảng Ngãi, ngày 2 tháng 3 năm 2023\nKẾ HOẠCH\nTuyên truyền pháp luật năm 2023\n"
            "II. NỘI DUNG THỰC HIỆN\n1. Tuyên truyền trên báo chí\n"
            "(Sở Thông tin Truyền thông chủ trì, Công an tỉnh phối hợp thực hiện trong tháng 4/2023)\n"
            "2. Kiểm tra\n(Công an tỉnh chủ trì thực hiện)\n")
    draft = draft_of(uow, text.encode(), "short.txt")
    flags = {flag.path: flag for flag in draft.flags}
    assert flags["items.1.lead"].suggestions == ["QNG-STTTT"]
    assert draft.template["items"][0]["lead"] == "Sở Thông tin Truyền thông"  # kept as written, to be fixed
    assert "items.2.schedule" in flags  # no time given: flagged, not guessed
    assert "standing_body" in flags


@pytest.mark.parametrize("make, message", [
    (lambda: _zip({"word/document.xml": b"<w/>", "word/vbaProject.bin": b"x"}), "macros"),
    (lambda: _zip({"word/document.xml": b"0" * 30_000_000}), "zip bomb"),
    (lambda: _zip({"xl/workbook.xml": b"<x/>"}), "not a Word document"),
    (lambda: _blank_pdf(), "scan"),  # pages but no text: no OCR here, or OCR finds nothing
    (lambda: b"%PDF-1.4 not really a pdf", "PDF"),
    (lambda: "Kế hoạch".encode("utf-16"), "neither .docx, PDF nor UTF-8 text"),
])
def test_a_hostile_or_unreadable_file_is_refused_plainly(uow, agencies, standard_processes, make, message):
    with pytest.raises(Invalid) as refused:
        draft_of(uow, make(), "plan.docx")
    assert message in refused.value.message


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter
    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(595, 842)
    writer.write(buffer)
    return buffer.getvalue()


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_decomposed_vietnamese_reads_as_the_directorys_names(uow, agencies, standard_processes):
    import unicodedata
    text = ("Số: 5/KH-CAT\nQuảng Ngãi, ngày 2 tháng 3 năm 2023\nKẾ HOẠCH\nPhòng ngừa vi phạm\n"
            "II. NỘI DUNG THỰC HIỆN\n1. Tập huấn\n(Công an tỉnh chủ trì thực hiện trong tháng 5/2023)\n")
    draft = draft_of(uow, unicodedata.normalize("NFD", text).encode(), "nfd.txt")
    assert draft.template["items"][0]["lead"] == "QNG-CA"


PLAN_TGG = SEEDS / "003_9ee80f6356b4ae95.txt"


@needs_seeds
def test_the_tien_giang_plan_gives_its_five_items_and_each_agencys_duties_with_the_yearly_and_ad_hoc_reports(
        uow, agencies, standard_processes):
    draft = draft_of(uow, PLAN_TGG.read_bytes(), PLAN_TGG.name)
    template = draft.template
    content = [entry for entry in template["items"] if not str(entry["number"]).startswith("IV.")]
    assert [entry["number"] for entry in content] == ["1", "2", "3", "4", "5"]
    assert content[0]["title"].startswith("Xây dựng, hoàn thiện các văn bản pháp lý")
    # II.4: "- Sở Thông tin và Truyền thông chủ trì, phối hợp chặt chẽ với các sở, ngành, các cấp liên quan …"
    assert content[3]["lead"] == "TGG-STTTT" and content[3]["coordinating"] == {"groups": ["departments"]}
    duties = {entry["number"]: entry.get("lead") or entry.get("performers") for entry in template["items"]
              if str(entry["number"]).startswith("IV.")}
    assert duties == {"IV.1": "TGG-STTTT", "IV.2": "TGG-CA", "IV.3": "TGG-SVHTTDL", "IV.4": "TGG-SGDDT",
                      "IV.5": "TGG-STC", "IV.6": {"groups": ["districts"]}, "IV.7": {"groups": ["departments"]}}
    # IV.8: "… báo cáo định kỳ hàng năm hoặc đột xuất kết quả thực hiện về Ủy ban nhân dân tỉnh (qua Sở Thông tin
    # và Truyền thông)"; IV.1: "Giao Sở Thông tin và Truyền thông - Cơ quan Thường trực …"
    assert template["reporting"]["periodic"] == ["yearly"] and template["reporting"]["ad_hoc"] is True
    assert (template["province"], template["standing_body"]) == ("TGG", "TGG-STTTT")
    flagged = {flag.path for flag in draft.flags}
    assert {"symbol", "issuer", "items.1.lead", "items.1.schedule"} <= flagged  # left open by the text: said so


@needs_seeds
def test_the_tien_giang_draft_registers_and_launches_once_its_flagged_fields_are_filled(
        uow, clock, agencies, standard_processes):
    """The plan leaves its content items without a lead or a time (its agencies' duties follow in IV): the
    coordinator fills each flagged field, as the review form lets them, and the plan launches."""
    draft = draft_of(uow, PLAN_TGG.read_bytes(), PLAN_TGG.name)
    template = draft.template
    flagged = {flag.path for flag in draft.flags}
    for entry in template["items"]:
        if f"items.{entry['number']}.lead" in flagged:
            entry["performers"] = {"groups": ["departments"]}
        if f"items.{entry['number']}.schedule" in flagged:
            entry["schedule"], entry["process"] = {"text": "trong năm 2018", "year": "2018"}, "plan_item"
    info = templates.register_template(uow, clock, SYSTEM, yaml.safe_dump(template, allow_unicode=True).encode(),
                                       "tgg-draft.yaml")
    plan = launches.launch_plan(uow, clock, SYSTEM, info.key, {"number": "1278", "issued_on": "2018-01-15"})
    assert plan.symbol.startswith("1278/") and len(plan.items) == len(template["items"])
    assert {item.number: item.lead for item in plan.items}["IV.2"] == "TGG-CA"  # "2. Công an tỉnh" and its duties


def test_a_quarter_and_the_expected_outputs_are_read_and_the_quarter_flagged(uow, agencies, standard_processes):
    text = ("UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 9/KH-UBND\n"
            "Quảng Ngãi, ngày 2 tháng 3 năm 2023\nKẾ HOẠCH\nPhòng ngừa vi phạm\nII. NỘI DUNG THỰC HIỆN\n"
            "1. Rà soát văn bản\nSản phẩm: Báo cáo rà soát; Danh mục văn bản cần sửa đổi\n"
            "(Sở Tư pháp chủ trì, Công an tỉnh phối hợp thực hiện trong quý III/2023)\n"
            "IV. TỔ CHỨC THỰC HIỆN\n1. Giao Công an tỉnh là cơ quan thường trực.\n")
    draft = draft_of(uow, text.encode(), "q.txt")
    item = draft.template["items"][0]
    assert item["schedule"] == {"text": "thực hiện trong quý III/2023", "deadline": "2023-09-30"}
    assert item["outputs"] == ["Báo cáo rà soát", "Danh mục văn bản cần sửa đổi"]
    assert [flag.path for flag in draft.flags] == ["items.1.schedule"]


def test_a_docx_that_declares_xml_entities_is_refused_before_parsing(uow, agencies, standard_processes):
    bomb = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><w>&b;</w>'
    with pytest.raises(Invalid) as refused:
        draft_of(uow, _zip({"word/document.xml": bomb}), "bomb.docx")
    assert "declares XML entities" in refused.value.message


def test_labelled_lines_read_as_the_sentence_they_stand_for(uow, agencies, standard_processes):
    text = ("UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 10/KH-UBND\n"
            "Quảng Ngãi, ngày 2 tháng 3 năm 2023\nKẾ HOẠCH\nPhòng ngừa vi phạm\nII. NỘI DUNG THỰC HIỆN\n"
            "1. Tổ chức hội nghị quán triệt\nTổ chức hội nghị cho cán bộ chủ chốt.\n"
            "- Cơ quan chủ trì: Sở TT&TT\n- Cơ quan phối hợp: Công an tỉnh, Sở Tư pháp\n"
            "- Thời gian thực hiện: Tháng 9/2023\n- Sản phẩm: Hội nghị\n"
            "2. Tập huấn cho các huyện\nĐơn vị thực hiện: UBND các huyện, thị xã, thành phố\n"
            "Thời gian thực hiện: trước ngày 15/12/2023\n"
            "IV. TỔ CHỨC THỰC HIỆN\n1. Giao Công an tỉnh là cơ quan thường trực.\n")
    draft = draft_of(uow, text.encode(), "labelled.txt")
    first, second = draft.template["items"]
    assert (first["lead"], first["coordinating"]) == ("QNG-STTTT", ["QNG-CA", "QNG-STP"])
    assert first["schedule"]["window"] == {"month": 9, "year": "2023"} and first["text"].startswith("Tổ chức hội")
    assert second["performers"] == {"groups": ["districts"]} and second["schedule"]["deadline"] == "2023-12-15"
    assert draft.items[0].spans["lead"].text == "Sở TT&TT" and first["outputs"] == ["Hội nghị"]
    assert draft.items[0].spans["assignment"].text == "- Cơ quan chủ trì: Sở TT&TT"
    assert draft.flags == []


def _scanned_plan(tmp_path) -> bytes:
    """Plan text printed to PDF by LibreOffice, then drawn to a grey image and wrapped in a PDF of its own:
    a scan, with no text layer."""
    import shutil
    import subprocess
    import zlib

    import docx
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        pytest.skip("LibreOffice and poppler-utils make the scan in this test (.ci/run installs them)")
    document = docx.Document()
    for line in ("Số: 31/KH-UBND", "Quảng Ngãi, ngày 2 tháng 3 năm 2023", "KẾ HOẠCH", "Phòng ngừa vi phạm pháp luật",
                 "II. NỘI DUNG THỰC HIỆN", "1. Tập huấn cán bộ", "(Công an tỉnh chủ trì thực hiện trong tháng 5/2023)"):
        document.add_paragraph(line)
    document.save(tmp_path / "scan.docx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "scan.docx")], check=True, capture_output=True,
                   timeout=120)
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-singlefile", str(tmp_path / "scan.pdf"),
                    str(tmp_path / "page")], check=True, capture_output=True, timeout=60)
    raw = (tmp_path / "page.pgm").read_bytes()
    header = raw.split(b"\n", 3)  # P5, "width height", 255, pixels
    width, height = (int(value) for value in header[1].split())
    pixels = zlib.compress(header[3])
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 {width * 72 // 150} {height * 72 // 150}]"
               f"/Resources<</XObject<</I 4 0 R>>>>/Contents 5 0 R>>".encode(),
               f"<</Type/XObject/Subtype/Image/Width {width}/Height {height}/ColorSpace/DeviceGray"
               f"/BitsPerComponent 8/Filter/FlateDecode/Length {len(pixels)}>>stream\n".encode() + pixels
               + b"\nendstream"]
    draw = f"q {width * 72 // 150} 0 0 {height * 72 // 150} 0 0 cm /I Do Q".encode()
    objects.append(f"<</Length {len(draw)}>>stream\n".encode() + draw + b"\nendstream")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj".encode() + body + b"endobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_a_scanned_plan_is_read_by_ocr_where_tesseract_is_installed(uow, agencies, standard_processes, tmp_path):
    import shutil
    import subprocess
    if not shutil.which("tesseract") or "vie" not in subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split():
        pytest.skip("tesseract-ocr with its Vietnamese data is not installed (.ci/run installs it)")
    draft = draft_of(uow, _scanned_plan(tmp_path), "scan.pdf")
    item = draft.template["items"][0]
    assert item["title"] == "Tập huấn cán bộ" and item["lead"] == "QNG-CA"
    assert item["schedule"]["window"] == {"month": 5, "year": "2023"}
