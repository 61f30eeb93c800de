"""Every CSV planflow writes is text to a spreadsheet program, never a formula: a cell that would start one
gets a ``'`` before it. The audit export stays checkable: removing that ``'`` gives back the value hashed,
and the JSON lines export carries it exactly."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from engine.files.report_files import progress_csv
from engine.files.spreadsheets import inert_cell, original_cell
from engine.model.actors import SYSTEM
from engine.model.audit_chain import FIELDS, event_hash
from engine.model.clock import parse_instant
from engine.model.progress_report import ProgressReport, ReportedItem
from engine.services import audit

LINK = '=HYPERLINK("http://example.invalid/x","Xem")'


@pytest.mark.parametrize("text", [LINK, "+84 912", "-1", "@SUM(A1)", "\tx", "\rx", "'=1"])
def test_text_a_spreadsheet_would_run_gets_a_quote_and_comes_back_whole(text):
    cell = inert_cell(text)
    assert cell == "'" + text and original_cell(cell) == text


@pytest.mark.parametrize("value", ["Đã tổ chức tọa đàm", "", "4", 7, -3, None])
def test_other_cells_are_written_as_they_are(value):
    assert inert_cell(value) == value


def test_a_result_typed_as_a_formula_is_text_in_the_progress_reports_csv():
    report = ProgressReport(1, "249/KH-BCD138", "Kế hoạch", parse_instant("2022-05-26T08:00+07:00"), "BCĐ 138",
                            "Quảng Ngãi", [], None, parse_instant("2022-10-01T08:00+07:00"), date(2022, 10, 1),
                            [ReportedItem("4", "Tọa đàm", "QNG-CA", "Công an tỉnh", [], None, "in_progress", [LINK])])
    [header, row] = list(csv.reader(io.StringIO(progress_csv(report).lstrip("\ufeff"))))
    assert row[header.index("Kết quả")] == "'" + LINK


@pytest.fixture
def event_with_formulas(uow, clock):
    with uow:
        uow.audit.append(clock.now(), LINK, "test.event", task_id="@SUM(1)", data={"summary": LINK})
        uow.commit()


def test_the_audit_csv_escapes_a_formula_and_re_hashes_once_the_quote_is_removed(uow, event_with_formulas):
    text = "".join(audit.export(uow, SYSTEM, audit.AuditFilter(), "csv"))
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert (row["actor"], row["task_id"]) == ("'" + LINK, "'@SUM(1)")
    record = {name: original_cell(value) for name, value in row.items()}
    record.update(seq=int(record["seq"]), data=json.loads(record["data"]), evidence=json.loads(record["evidence"]),
                  actor_agency=record["actor_agency"] or None, plan_id=None, item_id=None, instance_id=None)
    assert event_hash({name: record[name] for name in FIELDS}) == record["hash"]


def test_the_audit_json_lines_carry_the_values_exactly(uow, event_with_formulas):
    [line] = list(audit.export(uow, SYSTEM, audit.AuditFilter(), "jsonl"))
    event = json.loads(line)
    assert event["actor"] == LINK and event_hash(event) == event["hash"]
