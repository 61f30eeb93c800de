"""Lâm Đồng's administrator brings the province's people in from a spreadsheet and takes them and the directory
out again: every row is checked before anything is written; one wrong row refuses the file, each wrong row
named with what is wrong with it, and nothing is imported; a file that is not a spreadsheet at all (a zip
bomb, UTF-16, no header) is refused before it is read. What is exported imports back."""
from __future__ import annotations

import io
import resource
from time import perf_counter

import pytest

from engine.errors import Invalid
from engine.i18n import Message
from engine.model.actors import SYSTEM, Actor
from engine.model.clock import FixedClock, parse_instant
from engine.model.policy import Forbidden
from engine.services import directory, people_files
from engine.store import UnitOfWork
from engine.store.audit.log import AuditFilter
from tests.unit import people_sheets as sheets

LINK = "https://planflow.lamdong.gov.vn"
ADMIN = Actor("quantri.ldg", agency="LDG-VPUBND", roles=frozenset({"admin"}), province="LDG")
NATIONAL_ADMIN = Actor("quantri", roles=frozenset({"admin"}))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(parse_instant("2025-09-01T08:00+07:00"))  # after the communes of 1 July 2025


@pytest.fixture
def uow(national_database) -> UnitOfWork:
    return UnitOfWork(national_database.sessions)


def imported(uow, clock, data: bytes, name: str = "nguoi-dung.xlsx", actor: Actor = ADMIN, province=None):
    return people_files.import_people(uow, clock, actor, data, name, LINK, province)


def counts(uow) -> tuple[int, int]:
    with uow:
        return len(uow.users.all()), len(uow.outbox.all())


def agency_of(uow, username: str) -> str:
    with uow:
        return uow.users.by_username(username).agency


# --- thirty people of Lâm Đồng ---------------------------------------------------------------------------------
def test_thirty_people_of_lam_dong_in_an_xlsx_become_thirty_users(uow, clock):
    before, _ = counts(uow)
    imported(uow, clock, sheets.xlsx(sheets.thirty()))
    assert counts(uow)[0] - before == 30


def test_the_twenty_with_an_address_are_mailed_their_link_and_the_ten_without_get_theirs_handed_over(uow, clock):
    _, mails = counts(uow)
    done = imported(uow, clock, sheets.xlsx(sheets.thirty()))
    assert (counts(uow)[1] - mails, done.mailed, len(done.links)) == (20, 20, 10)
    assert all(made.link.startswith(LINK + "/invitations/") for made in done.links)


@pytest.mark.parametrize("username, agency", [
    ("canbo01.ldg", "LDG-STP"),  # by its name: "Sở Tư pháp"
    ("canbo02.ldg", "LDG-P-XUANHUONGDALAT"),  # "UBND phường Xuân Hương - Đà Lạt"
    ("canbo03.ldg", "LDG-X-LACDUONG"),  # "Ủy ban nhân dân xã Lạc Dương"
    ("canbo06.ldg", "LDG-VPUBND"),  # "Văn phòng UBND tỉnh"
    ("canbo07.ldg", "LDG-SNV"),  # "ldg-snv"
    ("canbo08.ldg", "LDG-P-1BAOLOC"),  # "UBND phường 1 Bảo Lộc"
    ("canbo09.ldg", "LDG-SNNMT"),  # the department set up on 1 March 2025, by its name
])
def test_each_person_belongs_to_the_body_the_row_names_by_code_or_as_the_directory_writes_it(uow, clock, username,
                                                                                             agency):
    imported(uow, clock, sheets.xlsx(sheets.thirty()))
    assert agency_of(uow, username) == agency


def test_the_roles_are_read_from_the_words_people_use(uow, clock):
    imported(uow, clock, sheets.xlsx(sheets.thirty()))
    with uow:
        assert sorted(uow.users.by_username("canbo03.ldg").roles) == ["agency_member", "approver"]


def test_the_import_is_audited_once_with_its_counts_and_the_file_s_sha256(uow, clock):
    import hashlib
    data = sheets.xlsx(sheets.thirty())
    imported(uow, clock, data)
    with uow:
        events = uow.audit.filtered(AuditFilter(action="people.imported"))
    assert [(event.data["people"], event.data["mailed"], event.data["sha256"]) for event in events] == \
        [(30, 20, hashlib.sha256(data).hexdigest())]


def test_a_csv_in_utf_8_with_semicolons_and_no_byte_order_mark_is_read_as_well(uow, clock):
    done = imported(uow, clock, sheets.csv_of(sheets.thirty(), encoding="utf-8", delimiter=";"), "nguoi-dung.csv")
    assert len(done.invitations) == 30 and agency_of(uow, "canbo01.ldg") == "LDG-STP"


def test_english_headers_are_read_as_the_vietnamese_ones(uow, clock):
    header = ["username", "display_name", "email", "agency", "roles", "province"]
    imported(uow, clock, sheets.csv_of(sheets.thirty(), header=header), "people.csv")
    assert agency_of(uow, "canbo02.ldg") == "LDG-P-XUANHUONGDALAT"


def test_a_row_naming_a_province_merged_into_lam_dong_in_2025_is_of_lam_dong(uow, clock):
    rows = sheets.thirty()[:2]
    rows[1][5] = "Đắk Nông"
    assert len(imported(uow, clock, sheets.xlsx(rows)).invitations) == 2


def test_the_sheet_named_nguoi_dung_is_read_whichever_comes_first(uow, clock):
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(sheets.xlsx(sheets.thirty())))
    book.create_sheet("Hướng dẫn", 0).append(["Điền một người mỗi dòng"])
    out = io.BytesIO()
    book.save(out)
    assert len(imported(uow, clock, out.getvalue()).invitations) == 30


def test_a_title_above_the_header_is_passed_over(uow, clock):
    titled = [["DANH SÁCH CÁN BỘ, CÔNG CHỨC TỈNH LÂM ĐỒNG"], [], sheets.HEADER, *sheets.thirty()]
    assert len(imported(uow, clock, sheets.xlsx(titled, header=None)).invitations) == 30


# --- refused row by row, nothing imported ------------------------------------------------------------------------
MALFORMED = {  # what is wrong: (the rows, the error's key, what it says)
    "a user name twice in the file": (sheets.with_row(["canbo01.ldg", "Trần Thị B", "", "LDG-STP", "cán bộ", ""]),
                                      "row 7.username", "the user name canbo01.ldg is also on row 2"),
    "a user who is there already": (sheets.with_row(["tuphap.ldg", "Cán bộ", "", "LDG-STP", "cán bộ", ""]),
                                    "row 7.username", "user 'tuphap.ldg' exists already"),
    "an address someone has already": (sheets.with_row(["khac.ldg", "Khác", "TuPhap@lamdong.gov.vn", "LDG-STP",
                                                        "cán bộ", ""]), "row 7.email",
                                       "the address TuPhap@lamdong.gov.vn is the user tuphap.ldg's already"),
    "an e-mail address twice": (sheets.with_row(["khac.ldg", "Khác", "CANBO01@lamdong.gov.vn", "LDG-STP", "cán bộ",
                                                 ""]), "row 7.email",
                                "the address CANBO01@lamdong.gov.vn is also on row 2"),
    "an unknown province": (sheets.with_row(["khac.ldg", "Khác", "", "LDG-STP", "cán bộ", "Atlantis"]),
                            "row 7.province", "no province or city named 'Atlantis'"),
    "another province named": (sheets.with_row(["khac.ldg", "Khác", "", "LDG-STP", "cán bộ", "Quảng Ngãi"]),
                               "row 7.province", "this row is for QNG; the file goes into LDG"),
    "a bad e-mail address": (sheets.with_row(["khac.ldg", "Khác", "khac@", "LDG-STP", "cán bộ", ""]),
                             "row 7.email", "'khac@' is not an e-mail address"),
    "a body of another province": (sheets.with_row(["khac.ldg", "Khác", "", "QNG-CA", "cán bộ", ""]),
                                   "row 7.agency", "QNG-CA (Công an tỉnh Quảng Ngãi) is a body of QNG; this file "
                                                   "is for LDG"),
    "a body that ceased before today": (sheets.with_row(["khac.ldg", "Khác", "", "Sở Thông tin và Truyền thông",
                                                         "cán bộ", ""]), "row 7.agency", "ceased on 2025-02-28"),
    "a body no one knows": (sheets.with_row(["khac.ldg", "Khác", "", "Sở Tư phap va Ngoai giao", "cán bộ", ""]),
                            "row 7.agency", "no body of LDG is named or coded 'Sở Tư phap va Ngoai giao'"),
    "a role no one has": (sheets.with_row(["khac.ldg", "Khác", "", "LDG-STP", "giám đốc", ""]), "row 7.roles",
                          "'giám đốc' is not a role"),
    "no role": (sheets.with_row(["khac.ldg", "Khác", "", "LDG-STP", "", ""]), "row 7.roles",
                "write one or more of: điều phối, cán bộ"),
    "no body": (sheets.with_row(["khac.ldg", "Khác", "", "", "cán bộ", ""]), "row 7.agency",
                "write the body this person works in"),
    "a value beyond the header": (sheets.with_row(["khac.ldg", "Khác", "", "LDG-STP", "cán bộ", "", "thừa"]),
                                  "row 7.columns", "a value (thừa) in a column with no header"),
}


@pytest.fixture
def someone_there(uow, clock):
    """A person of Sở Tư pháp invited before the import."""
    from engine.services.invitations import Person, invite
    invite(uow, clock, ADMIN, Person("tuphap.ldg", ("agency_member",), "LDG-STP", "Lê Tư Pháp",
                                     "tuphap@lamdong.gov.vn"), LINK)


@pytest.mark.parametrize("case", MALFORMED)
def test_a_file_with_one_wrong_row_is_refused_naming_the_row_and_nothing_is_imported(uow, clock, someone_there,
                                                                                    case):
    rows, key, says = MALFORMED[case]
    before = counts(uow)
    with pytest.raises(Invalid) as refused:
        imported(uow, clock, sheets.xlsx(rows))
    assert says in refused.value.errors[key][0]
    assert refused.value.message.startswith("1 of the 31 rows of nguoi-dung.xlsx are wrong, so nothing was imported")
    assert counts(uow) == before


def test_every_wrong_row_is_named_not_only_the_first(uow, clock):
    rows = sheets.thirty()
    rows[3][2], rows[20][3] = "sai@", "NDH-CA"
    with pytest.raises(Invalid) as refused:
        imported(uow, clock, sheets.xlsx(rows))
    assert set(refused.value.errors) == {"row 5.email", "row 22.agency"}


def test_each_refusal_is_a_message_to_translate(uow, clock):
    with pytest.raises(Invalid) as refused:
        imported(uow, clock, sheets.xlsx(MALFORMED["a body of another province"][0]))
    assert all(isinstance(message, Message) for messages in refused.value.errors.values() for message in messages)
    assert isinstance(refused.value.message, Message)


NOT_SHEETS = {  # what the file is: (its bytes, its name, what the refusal says)
    "a CSV in UTF-16": (lambda: sheets.csv_of(sheets.thirty(), encoding="utf-16"), "nguoi-dung.csv",
                        "is not in UTF-8 (it is in UTF-16)"),
    "a CSV in Windows-1258": (lambda: sheets.csv_of([["a", "Lê Văn An", "", "LDG-STP", "can bo", ""]],
                                                    header=["Ten dang nhap", "Ho va ten"], encoding="cp1258"),
                              "nguoi-dung.csv", "is not in UTF-8"),
    "a file with no header": (lambda: sheets.xlsx(sheets.thirty(), header=None), "nguoi-dung.xlsx",
                              "has no header row"),
    "a header without the roles": (lambda: sheets.csv_of([], header=sheets.HEADER[:4]), "nguoi-dung.csv",
                                   "the column Vai trò is missing"),
    "a header with a column no one reads": (lambda: sheets.csv_of([], header=[*sheets.HEADER, "Ghi chú"]),
                                            "nguoi-dung.csv", "the column 'Ghi chú' is not one planflow reads"),
    "a header and no rows": (lambda: sheets.csv_of([]), "nguoi-dung.csv", "has no rows below its header"),
    "nothing at all": (lambda: b"", "nguoi-dung.csv", "is empty"),
    "5,001 people": (lambda: sheets.csv_of(sheets.thirty()[:1] * 5001), "nguoi-dung.csv",
                     "has more than 5000 rows; split it"),
    "41 columns": (lambda: sheets.csv_of([], header=[*sheets.HEADER, *(["x"] * 35)]), "nguoi-dung.csv",
                   "has more than 40 columns"),
    "an .xlsx whose sheet unpacks to more than it says": (sheets.xlsx_bomb, "nguoi-dung.xlsx",
                                                          "unpacks to more than its declared size (a zip bomb)"),
    "an .xlsx whose sheet says it unpacks to 512 MiB": (lambda: sheets.xlsx_bomb(declared=None), "nguoi-dung.xlsx",
                                                        "(a zip bomb)"),
    "a zip that is no workbook": (lambda: sheets.xlsx_bomb()[:40], "nguoi-dung.xlsx", "is not a readable .xlsx"),
    "an old .xls": (lambda: b"\xd0\xcf\x11\xe0" + b"\0" * 100, "nguoi-dung.xls", "an old Excel file (.xls)"),
}


@pytest.mark.parametrize("case", NOT_SHEETS)
def test_a_file_that_is_not_a_sheet_of_people_is_refused_and_nothing_is_imported(uow, clock, case):
    make, name, says = NOT_SHEETS[case]
    before = counts(uow)
    with pytest.raises(Invalid) as refused:
        imported(uow, clock, make(), name)
    assert says in refused.value.message
    assert counts(uow) == before


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it_at_once_and_in_little_memory(uow, clock, monkeypatch):
    import openpyxl
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *args, **kwargs: pytest.fail("openpyxl read the bomb"))
    bomb, before, started = sheets.xlsx_bomb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, perf_counter()
    with pytest.raises(Invalid, match="zip bomb"):
        imported(uow, clock, bomb)
    assert perf_counter() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 48 * 1024  # KiB; the sheet is 512 MiB


# --- who imports where -------------------------------------------------------------------------------------------
def test_the_administrator_of_another_province_cannot_import_into_lam_dong(uow, clock):
    other = Actor("quantri.ndh", agency="NDH-UBND", roles=frozenset({"admin"}), province="NDH")
    with pytest.raises(Forbidden):
        imported(uow, clock, sheets.xlsx(sheets.thirty()), actor=other, province="LDG")


def test_a_coordinator_imports_no_one(uow, clock):
    coordinator = Actor("dieuphoi.ldg", agency="LDG-VPUBND", roles=frozenset({"coordinator"}), province="LDG")
    with pytest.raises(Forbidden):
        imported(uow, clock, sheets.xlsx(sheets.thirty()), actor=coordinator)


def test_a_national_administrator_imports_into_the_province_the_file_names(uow, clock):
    done = imported(uow, clock, sheets.xlsx(sheets.thirty()), actor=NATIONAL_ADMIN)
    assert done.province == "LDG"


def test_a_national_administrator_s_file_that_names_no_province_is_refused(uow, clock):
    rows = [row[:5] for row in sheets.thirty()]
    with pytest.raises(Invalid, match="say which province nguoi-dung.xlsx is for"):
        imported(uow, clock, sheets.xlsx(rows, header=sheets.HEADER[:5]), actor=NATIONAL_ADMIN)


# --- taken out, and back in ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_exported_people_read_back_as_the_same_people(uow, clock, kind):
    imported(uow, clock, sheets.xlsx(sheets.thirty()))
    exported = people_files.export_people(uow, ADMIN, kind=kind)
    with pytest.raises(Invalid) as again:  # the same people, so each is there already
        imported(uow, clock, exported.content, exported.filename)
    assert len([key for key in again.value.errors if key.endswith(".username")]) == 30
    assert exported.filename == f"nguoi-dung-LDG.{kind}"


def test_a_name_that_would_be_a_formula_is_exported_inert_and_imports_back_as_written(uow, clock):
    rows = sheets.thirty()[:1]
    rows[0][1] = "=HYPERLINK(\"http://x\",\"y\")"
    imported(uow, clock, sheets.csv_of(rows), "nguoi-dung.csv")
    exported = people_files.export_people(uow, ADMIN, kind="csv")
    assert "'=HYPERLINK" in exported.content.decode("utf-8-sig")
    from engine.files.sheets import read_sheet
    assert read_sheet(exported.content, "x.csv").rows[0][1][1] == rows[0][1]


def test_the_administrator_of_another_province_exports_none_of_lam_dong_s_people(uow, clock):
    other = Actor("quantri.ndh", agency="NDH-UBND", roles=frozenset({"admin"}), province="NDH")
    with pytest.raises(Forbidden):
        people_files.export_people(uow, other, "LDG")


@pytest.fixture
def elsewhere(databases, empty_schema, tmp_path) -> UnitOfWork:
    """A new installation: planflow's schema and nothing else."""
    from engine.store import Database
    url = databases.copy(empty_schema, tmp_path, "elsewhere")
    made = Database(url)
    yield UnitOfWork(made.sessions)
    made.dispose()
    databases.drop(url)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_lam_dong_s_directory_exported_imports_into_a_new_installation_as_it_was(uow, elsewhere, clock, kind):
    exported = people_files.export_agencies(uow, ADMIN, kind=kind)
    directory.load_national(elsewhere, clock, SYSTEM, codes=[])  # the provinces known, none of their bodies
    done = people_files.import_agencies(elsewhere, clock, ADMIN, exported.content, exported.filename)
    again = people_files.export_agencies(elsewhere, ADMIN, kind="csv")
    original = people_files.export_agencies(uow, ADMIN, kind="csv")
    assert len(done.agencies) > 150 and again.content == original.content


def test_a_body_s_days_are_read_as_excel_and_vietnamese_write_them(uow, clock):
    header = ["Mã", "Tên", "Từ ngày", "Đến ngày"]
    rows = [["LDG-BQLKKT", "Ban Quản lý các khu kinh tế", "45839", "31/12/2030"]]  # 45839: 1 July 2025
    done = people_files.import_agencies(uow, clock, ADMIN, sheets.csv_of(rows, header=header), "co-quan.csv")
    assert [(view.valid_from.isoformat(), view.valid_until.isoformat()) for view in done.agencies] == \
        [("2025-07-01", "2030-12-31")]


def test_a_directory_file_with_a_code_twice_or_taken_is_refused_row_by_row(uow, clock):
    header = ["Mã", "Tên", "Tỉnh", "Cấp", "Loại"]
    rows = [["LDG-BQLKKT", "Ban Quản lý các khu kinh tế", "LDG", "department", "other"],
            ["LDG-BQLKKT", "Ban Quản lý khác", "LDG", "department", "other"],
            ["LDG-STP", "Sở Tư pháp", "LDG", "department", "department"]]
    with pytest.raises(Invalid) as refused:
        people_files.import_agencies(uow, clock, ADMIN, sheets.csv_of(rows, header=header), "co-quan.csv")
    assert {key: str(messages[0]) for key, messages in refused.value.errors.items()} == {
        "row 3.code": "the code LDG-BQLKKT is also on row 2", "row 4.code": "agency code LDG-STP is taken"}
