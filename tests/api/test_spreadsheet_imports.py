"""Lâm Đồng's administrator imports the province's people from a spreadsheet and exports them and the directory,
through the API, the pages and the command line, each calling the same use cases: an import answers what it
did (the links of those without an e-mail address among it), a refused one answers 422 with each wrong row
and leaves no one behind; another province's administrator gets nothing of Lâm Đồng."""
from __future__ import annotations

import io

import pytest
from click.testing import CliRunner

from engine.model.actors import SYSTEM
from engine.model.clock import FixedClock, parse_instant
from engine.services import users
from engine.store import UnitOfWork
from tests.unit import people_sheets as sheets

from .conftest import PASSWORD, Client

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAD_EMAIL = ["khac.ldg", "Khác", "khac@", "LDG-STP", "cán bộ", ""]


@pytest.fixture
def clock():
    return FixedClock(parse_instant("2025-09-01T08:00+07:00"))  # after the communes of 1 July 2025


def person(app, username: str, role: str, agency: str) -> Client:
    """A person added with the demo password, signed in with a token of their own."""
    with app.app_context():
        from frontdoor.context import clock, unit_of_work
        users.add_user(unit_of_work(), clock(), SYSTEM, username, PASSWORD, [role], agency)
        token = users.create_token(unit_of_work(), clock(), SYSTEM, username, "tests")
    client = Client(app)
    client.headers["Authorization"] = f"Bearer {token}"
    return client


@pytest.fixture
def admin(app) -> Client:
    return person(app, "quantri.ldg", "admin", "LDG-VPUBND")


def counts(app) -> tuple[int, int]:
    uow = UnitOfWork(app.extensions["planflow"].database.sessions)
    with uow:
        return len(uow.users.all()), len(uow.outbox.all())


def post_file(client: Client, url: str, data: bytes, name: str = "nguoi-dung.xlsx"):
    return client.send("post", url, content_type="multipart/form-data", data={"file": (io.BytesIO(data), name)})


# --- the API ---------------------------------------------------------------------------------------------------
def test_thirty_people_posted_as_an_xlsx_are_invited_and_the_links_of_those_without_an_address_come_back(app, admin):
    before = counts(app)
    answer = post_file(admin, "/api/v1/people/import", sheets.xlsx(sheets.thirty()))
    assert answer.status_code == 201, answer.get_json()
    done = answer.get_json()
    assert (done["province"], done["invited"], done["mailed"], len(done["links"])) == ("LDG", 30, 20, 10)
    assert counts(app) == (before[0] + 30, before[1] + 20)


def test_a_refused_import_answers_422_with_the_wrong_row_and_leaves_no_one_behind(app, admin):
    before = counts(app)
    answer = post_file(admin, "/api/v1/people/import", sheets.xlsx(sheets.with_row(BAD_EMAIL)))
    assert (answer.status_code, answer.mimetype) == (422, "application/problem+json")
    assert list(answer.get_json()["errors"]) == ["row 7.email"]
    assert counts(app) == before


def test_a_zip_bomb_posted_as_an_xlsx_is_refused_with_422(app, admin):
    answer = post_file(admin, "/api/v1/people/import", sheets.xlsx_bomb())
    assert answer.status_code == 422 and answer.get_json()["errors"] == {"file": ["zip bomb"]}


def test_the_people_export_is_an_xlsx_with_its_header_in_bold(app, admin):
    from openpyxl import load_workbook
    post_file(admin, "/api/v1/people/import", sheets.xlsx(sheets.thirty()))
    answer = admin.get("/api/v1/people/export?format=xlsx")
    sheet = load_workbook(io.BytesIO(answer.data)).active
    assert answer.headers["Content-Type"] == XLSX and sheet.title == "Người dùng"
    assert [cell.value for cell in sheet[1]] == sheets.HEADER and sheet["A1"].font.bold
    assert sheet.max_row == 1 + 1 + 30  # the header, the administrator, the thirty


def test_the_directory_exported_as_csv_names_lam_dong_s_bodies_in_the_columns_an_import_reads(app, admin):
    answer = admin.get("/api/v1/agencies/export?format=csv")
    lines = answer.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Mã,Tên,Tên ngắn,Tỉnh,Cấp,Loại,Cơ quan cấp trên,Nhóm,Tên khác,Từ ngày,Đến ngày"
    assert any(line.startswith("LDG-STP,Sở Tư pháp tỉnh Lâm Đồng,") for line in lines)


def test_the_administrator_of_another_province_neither_exports_nor_imports_lam_dong_s_people(app):
    other = person(app, "quantri.ndh", "admin", "NDH-UBND")
    assert other.get("/api/v1/people/export?province=LDG").status_code == 403
    answer = post_file(other, "/api/v1/people/import?province=LDG", sheets.xlsx(sheets.thirty()))
    assert answer.status_code == 403


def test_a_coordinator_imports_no_one(app):
    coordinator = person(app, "dieuphoi.ldg", "coordinator", "LDG-VPUBND")
    assert post_file(coordinator, "/api/v1/people/import", sheets.xlsx(sheets.thirty())).status_code == 403


# --- the pages -------------------------------------------------------------------------------------------------
@pytest.fixture
def admin_page(app, admin) -> Client:
    return Client(app, "quantri.ldg", session=True)


def page_post(client: Client, url: str, data: bytes, name: str = "nguoi-dung.xlsx"):
    return client.post(url, content_type="multipart/form-data",
                       data={"csrf_token": client.csrf, "file": (io.BytesIO(data), name)})


def test_the_import_page_shows_each_refused_row_with_what_is_wrong(app, admin_page):
    answer = page_post(admin_page, "/admin/people/import", sheets.xlsx(sheets.with_row(BAD_EMAIL)))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert '<th scope="row">7</th>' in page and "&#39;khac@&#39; không phải là địa chỉ thư điện tử" in page


def test_the_import_page_hands_over_the_links_of_those_without_an_address(app, admin_page):
    answer = page_post(admin_page, "/admin/people/import", sheets.xlsx(sheets.thirty()))
    page = answer.get_data(as_text=True)
    assert "Đã mời 30 người vào LDG; đã gửi 20 liên kết qua thư điện tử." in page
    assert page.count("/invitations/") == 10


def test_the_export_page_downloads_the_directory_as_csv(app, admin_page):
    answer = admin_page.get("/admin/agencies/export?format=csv")
    assert answer.headers["Content-Type"].startswith("text/csv")
    assert "co-quan-LDG.csv" in answer.headers["Content-Disposition"]


def test_a_national_administrator_is_asked_which_province_to_export(app):
    answer = Client(app, "quantri", session=True).get("/admin/people/export")
    assert answer.status_code == 422 and 'name="province"' in answer.get_data(as_text=True)


def test_the_import_page_is_refused_to_a_coordinator(app):
    person(app, "dieuphoi.ldg", "coordinator", "LDG-VPUBND")
    assert Client(app, "dieuphoi.ldg", session=True).get("/admin/people/import").status_code == 403


# --- the command line ------------------------------------------------------------------------------------------
def cli(app, *args):
    from cli import main
    return CliRunner().invoke(main, ["--database-url", app.config["DATABASE_URL"], *args])


def test_the_command_line_imports_the_thirty_and_prints_the_links_to_hand_over(app, admin, tmp_path):
    file = tmp_path / "nguoi-dung.xlsx"
    file.write_bytes(sheets.xlsx(sheets.thirty()))
    result = cli(app, "users", "import", str(file), "--as", "quantri.ldg")
    assert result.exit_code == 0, result.output
    assert "30 people of LDG invited; 20 links mailed" in result.output
    assert result.output.count("hand over this one-time link") == 10


def test_the_command_line_prints_each_wrong_row_on_its_line_and_exits_2(app, admin, tmp_path):
    rows = sheets.thirty()
    rows[3][2], rows[20][3] = "sai@", "NDH-CA"
    file = tmp_path / "nguoi-dung.csv"
    file.write_bytes(sheets.csv_of(rows))
    before = counts(app)
    result = cli(app, "users", "import", str(file), "--as", "quantri.ldg")
    assert result.exit_code == 2
    assert [line.split(":")[0].strip() for line in result.output.splitlines()[1:]] == ["row 5.email", "row 22.agency"]
    assert counts(app) == before


def test_the_command_line_exports_the_directory_that_imports_back(app, admin, tmp_path):
    out = tmp_path / "co-quan.xlsx"
    assert cli(app, "agencies", "export", "-o", str(out), "--as", "quantri.ldg").exit_code == 0
    again = cli(app, "agencies", "import", str(out), "--as", "quantri.ldg")  # every body there already
    assert again.exit_code == 2 and "agency code LDG-STP is taken" in again.output
