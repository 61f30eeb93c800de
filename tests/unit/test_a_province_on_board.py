"""A province on board in minutes, from the command line of a fresh install: Lâm Đồng brought on board, thirty of
its people imported from a spreadsheet, its plan of 2026 registered and launched with its real bodies (its
departments and its 124 communes), and each task in the worklist of the body it is assigned to."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from cli import main
from tests.conftest import TEMPLATES
from tests.unit import people_sheets

NOW = "2026-01-05T08:00+07:00"


@pytest.fixture
def run(databases, tmp_path):
    url = databases.new(tmp_path, "fresh")

    def invoke(*args):
        return CliRunner().invoke(main, ["--database-url", url, "--now", NOW, *args], catch_exceptions=False)
    yield invoke
    databases.drop(url)


@pytest.fixture
def on_board(run, tmp_path):
    """Lâm Đồng on board from nothing, its thirty people imported, its 2026 plan registered and launched."""
    added = run("provinces", "add", "Lâm Đồng", "--admin-email", "quantri@lamdong.gov.vn")
    assert added.exit_code == 0, added.output
    sheet = tmp_path / "nguoi-dung.xlsx"
    sheet.write_bytes(people_sheets.xlsx(people_sheets.thirty()))
    imported = run("users", "import", str(sheet), "--as", "quantri.ldg")
    assert imported.exit_code == 0, imported.output
    registered = run("templates", "register", str(TEMPLATES / "ldg-cchc-2026.yaml"), "--as", "dieuphoi.ldg")
    assert registered.exit_code == 0, registered.output
    launched = run("plans", "launch", "ldg-cchc-2026", "--as", "dieuphoi.ldg")
    assert launched.exit_code == 0, launched.output
    return added, imported, launched


def test_bringing_a_province_on_board_loads_its_directory_and_invites_its_first_people(on_board):
    added, _, _ = on_board
    assert "Tỉnh Lâm Đồng (LDG) is on board: 161 bodies in its directory" in added.output
    assert "administrator quantri.ldg: invitation mailed to quantri@lamdong.gov.vn" in added.output
    assert re.search(r"coordinator dieuphoi\.ldg: no e-mail address; hand over this one-time link .*/invitations/",
                     added.output)


def test_the_thirty_people_of_the_spreadsheet_are_invited(run, on_board):
    listed = run("users", "list").output
    assert len(re.findall(r"^canbo\d\d\.ldg ", listed, re.MULTILINE)) == 30


def test_the_plan_of_2026_is_launched_with_its_departments_and_its_124_communes(run, on_board):
    shown = run("plans", "show", "1").output
    assert "PL.VII.1" in shown and "138 performers" in shown
    assert "LDG-SNNMT" in shown  # Sở Nông nghiệp và Môi trường, the department of 2025


def test_each_task_is_in_the_worklist_of_the_body_it_is_assigned_to(run, on_board):
    commune = run("tasks", "--agency", "LDG-P-XUANHUONGDALAT").output
    department = run("tasks", "--agency", "LDG-SKHCN").output
    assert commune.count("[lead: LDG-P-XUANHUONGDALAT]") == 1  # its own reform plan (PL.VII.1)
    assert "[coordinating: LDG-P-XUANHUONGDALAT]" in commune  # and its part in PL.VII.4
    assert "LDG-SNV" not in commune.replace("[coordinating: LDG-P-XUANHUONGDALAT]", "")
    assert department.count("[lead: LDG-SKHCN]") == 3  # PL.VII.1, PL.VI.1 and PL.VI.3
