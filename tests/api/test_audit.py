"""The audit log as auditors use it: a plan's run gives a chain that verifies; a row changed behind the
engine's back, or an evidence file, is named; auditors change nothing and their attempts are logged; an
export is checked by a short script of the standard library alone."""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import textwrap
from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import DBAPIError

from cli import main
from engine.model.clock import parse_instant
from engine.store.audit.tables import AuditRow

from ..databases import bypass_append_only

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

#: A verifier someone outside planflow could write: only the standard library, only the README's rule.
INDEPENDENT_CHECK = textwrap.dedent('''
    import csv, hashlib, json, sys
    FIELDS = ["seq", "at", "actor", "actor_agency", "action", "plan_id", "item_id", "instance_id", "task_id",
              "data", "evidence", "prev_hash"]
    path, kind = sys.argv[1], sys.argv[2]
    if kind == "jsonl":
        rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    else:
        rows = []
        for row in csv.DictReader(open(path, encoding="utf-8", newline="")):
            row = {name: value[1:] if value.startswith("'") else value for name, value in row.items()}  # see README
            for name in ("seq", "plan_id", "item_id", "instance_id"):
                row[name] = int(row[name]) if row[name] else None
            for name in ("actor_agency", "task_id"):
                row[name] = row[name] or None
            row["data"], row["evidence"] = json.loads(row["data"]), json.loads(row["evidence"])
            rows.append(row)
    previous = None
    for row in rows:
        line = json.dumps([row[name] for name in FIELDS], sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False).encode("utf-8")
        if hashlib.sha256(line).hexdigest() != row["hash"]:
            sys.exit(f"event {row['seq']}: hash does not match")
        if previous is not None and row["seq"] == previous["seq"] + 1 and row["prev_hash"] != previous["hash"]:
            sys.exit(f"event {row['seq']}: broken link")
        previous = row
    print(f"OK {len(rows)}")
''')


@pytest.fixture
def played(as_user, app, clock):
    """Plan 249 launched; item 4 worked with evidence, returned, resubmitted, approved; timers and reminders."""
    from engine.services import processes, reminders
    from engine.store import UnitOfWork
    coordinator, lead, partner, approver = (as_user("dieuphoi"), as_user("congan"), as_user("stttt"),
                                            as_user("pheduyet"))
    plan = coordinator.post("/api/v1/plans", json={"template": "qng-249-kh-bcd138",
                                                   "parameters": {"relevant_units": ["QNG-STTTT"]}}).get_json()
    instance = next(item for item in plan["items"] if item["number"] == "4")["instances"][0]["id"]

    def task_of(client, lane=None):
        return next(t for t in client.get(f"/api/v1/tasks?plan={plan['id']}&per_page=200").get_json()["tasks"]
                    if t["instance_id"] == instance and (lane is None or t["lane"] == lane))

    partner.post(f"/api/v1/tasks/{task_of(partner)['id']}/complete",
                 json={"data": {"contribution": {"summary": "Danh sách trang tin"}}})
    report = task_of(lead)
    lead.post(f"/api/v1/tasks/{report['id']}/claim")
    evidence = lead.post(f"/api/v1/tasks/{report['id']}/evidence",
                         data={"file": (io.BytesIO(PDF), "Biên bản.pdf", "application/pdf")},
                         content_type="multipart/form-data").get_json()
    lead.post(f"/api/v1/tasks/{report['id']}/complete",
              json={"data": {"summary": "Đã tọa đàm", "evidence": [evidence["id"]]}})
    approver.post(f"/api/v1/tasks/{task_of(approver, 'standing_body')['id']}/complete",
                  json={"data": {"approved": False, "return_reason": "Thiếu danh sách"}})
    lead.post(f"/api/v1/tasks/{task_of(lead)['id']}/complete", json={"data": {"summary": "Đã bổ sung danh sách"}})
    approver.post(f"/api/v1/tasks/{task_of(approver, 'standing_body')['id']}/complete",
                  json={"data": {"approved": True}})
    uow = UnitOfWork(app.extensions["planflow"].database.sessions)
    clock.set(parse_instant("2022-08-01T08:00+07:00"))  # July's item 6 is overdue: its timer fires
    processes.fire_due_timers(uow, clock, limit=500)
    reminders.send_reminders(uow, clock)
    return {"plan": plan, "instance": instance, "evidence": evidence}


def cli(app, *args):
    url = app.config["DATABASE_URL"]
    return CliRunner().invoke(main, ["--database-url", url, *args],
                              env={"PLANFLOW_EVIDENCE_DIR": app.config["EVIDENCE_DIR"]}, catch_exceptions=False)


AUDIT = AuditRow.__table__


@contextmanager
def behind_the_engines_back(app):
    """A transaction of someone with the database's password, going round planflow."""
    engine = create_engine(app.config["DATABASE_URL"])
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def test_a_plans_run_gives_a_chain_that_verifies_with_every_kind_of_event(as_user, app, played):
    verified = as_user("kiemtra").get("/api/v1/audit/verify").get_json()
    assert verified["ok"] is True and verified["first_break"] is None
    assert verified["events"] == verified["head_seq"] > 100 and verified["evidence_files"] == 1
    actions = set()
    after = 0
    while after is not None:
        page = as_user("kiemtra").get(f"/api/v1/audit?after={after}&limit=200").get_json()
        actions |= {event["action"] for event in page["events"]}
        after = page["next_after"]
    for needed in ("plan.launched", "task.claimed", "task.completed", "evidence.attached", "timers.fired",
                   "event.escalation", "reminder.overdue", "template.registered", "user.added", "task.created"):
        assert needed in actions, needed
    result = cli(app, "audit", "verify")
    assert result.exit_code == 0, result.output
    assert "the chain verifies and every evidence file matches its hash" in result.output


def test_each_event_names_its_actor_agency_subjects_and_evidence(as_user, played):
    page = as_user("kiemtra").get(f"/api/v1/audit?instance={played['instance']}&action=evidence.attached").get_json()
    [attached] = page["events"]
    assert (attached["actor"], attached["actor_agency"]) == ("congan", "QNG-CA")
    assert attached["plan_id"] == played["plan"]["id"] and attached["item_id"] is not None
    assert attached["evidence"] == [played["evidence"]["sha256"]]
    completed = as_user("kiemtra").get(f"/api/v1/audit?instance={played['instance']}&action=task.completed"
                                       "&agency=QNG-CA").get_json()["events"]
    assert [event["evidence"] for event in completed][0] == [played["evidence"]["sha256"]]
    assert completed[0]["prev_hash"] != completed[0]["hash"]


def test_a_row_changed_behind_the_engines_back_is_named_by_planflow_audit_verify(as_user, app, played):
    target = as_user("kiemtra").get(f"/api/v1/audit?instance={played['instance']}&action=task.completed"
                                    "&agency=QNG-CA").get_json()["events"][0]["seq"]
    for refused in (AUDIT.update().where(AUDIT.c.seq == target).values(actor="someone"),
                    AUDIT.delete().where(AUDIT.c.seq == target)):
        with pytest.raises(DBAPIError, match="append-only"), behind_the_engines_back(app) as connection:
            connection.execute(refused)
    with behind_the_engines_back(app) as connection:
        bypass_append_only(connection)
        data = connection.execute(select(AUDIT.c.data).where(AUDIT.c.seq == target)).scalar_one()
        data["data"]["summary"] = "Đã làm xong"
        connection.execute(AUDIT.update().where(AUDIT.c.seq == target).values(data=data))
    result = cli(app, "audit", "verify")
    assert result.exit_code == 1
    assert f"BROKEN at event {target}: event {target} (task.completed) was changed" in result.output
    verified = as_user("kiemtra").get("/api/v1/audit/verify").get_json()
    assert verified["ok"] is False and verified["first_break"]["seq"] == target


def test_events_cut_off_the_end_of_the_log_are_noticed(as_user, app, played):
    with behind_the_engines_back(app) as connection:
        last = connection.execute(select(func.max(AUDIT.c.seq))).scalar_one()
        bypass_append_only(connection)
        connection.execute(AUDIT.delete().where(AUDIT.c.seq > last - 2))
    result = cli(app, "audit", "verify", "--no-evidence")
    assert result.exit_code == 1
    assert f"events {last - 1} to {last} are missing from the end of the log" in result.output


def test_a_changed_evidence_file_is_detected(as_user, app, played):
    from pathlib import Path
    sha = played["evidence"]["sha256"]
    stored = Path(app.config["EVIDENCE_DIR"]) / sha[:2] / sha
    stored.write_bytes(PDF.replace(b"Catalog", b"Catalogue"))
    result = cli(app, "audit", "verify")
    assert result.exit_code == 1
    assert f"EVIDENCE changed: {played['evidence']['id']}" in result.output
    assert "BROKEN" not in result.output  # the chain itself still holds
    problems = as_user("kiemtra").get("/api/v1/audit/verify").get_json()["evidence_problems"]
    assert [(p["evidence_id"], p["problem"]) for p in problems] == [(played["evidence"]["id"], "changed")]
    stored.unlink()
    assert "EVIDENCE missing" in cli(app, "audit", "verify").output


def concrete(path: str, played) -> str:
    values = {"plan_id": played["plan"]["id"], "instance_id": played["instance"], "task_id": "x",
              "item_id": played["plan"]["items"][7]["id"], "notification_id": 1, "request_id": 1,
              "evidence_id": played["evidence"]["id"], "key": "qng-249-kh-bcd138"}
    return re.sub(r"\{([^}]+)\}", lambda match: str(values.get(match.group(1), 1)), path)


PERSONAL = {"/api/v1/logout", "/api/v1/tokens", "/api/v1/tokens/{token_id}",
            "/api/v1/notifications/{notification_id}/read", "/api/v1/notifications/read",
            "/api/v1/notifications/mail", "/api/v1/login",
            "/api/v1/invitations/{token}"}  # open to whoever holds a one-time link, signed in or not


def test_an_auditors_attempt_at_every_write_route_is_refused_and_audited(as_user, played):
    document = as_user("kiemtra").get("/api/v1/openapi.json").get_json()
    writes = {path: sorted(set(operations) & {"post", "put", "patch", "delete"})[-1]
              for path, operations in document["paths"].items()
              if set(operations) & {"post", "put", "patch", "delete"} and path not in PERSONAL}
    assert len(writes) >= 11
    auditor = as_user("kiemtra")
    for path, method in writes.items():
        response = auditor.send(method.upper(), concrete(path, played), json={})
        assert response.status_code == 403, (path, response.status_code, response.get_json())
    refused = as_user("quantri").get("/api/v1/audit?action=access.refused&actor=kiemtra&limit=1000").get_json()
    assert sorted(event["data"]["path"] for event in refused["events"]) == sorted(concrete(p, played) for p in writes)
    assert all(event["data"]["roles"] == ["auditor"] for event in refused["events"])


def test_a_refused_change_by_anyone_is_audited_and_a_failed_sign_in_too(as_user, app, played):
    task = next(t for t in as_user("congan").get(f"/api/v1/tasks?plan={played['plan']['id']}").get_json()["tasks"])
    assert as_user("dieuphoi").post(f"/api/v1/tasks/{task['id']}/complete", json={"data": {}}).status_code == 403
    failed = app.test_client().post("/api/v1/login", json={"username": "congan", "password": "sai-mật-khẩu"},
                                    base_url="https://localhost")
    assert failed.status_code == 401
    events = as_user("kiemtra").get("/api/v1/audit?action=access.refused&actor=dieuphoi").get_json()["events"]
    assert events[0]["data"]["path"] == f"/api/v1/tasks/{task['id']}/complete"
    assert events[0]["actor_agency"] == "QNG-BCD138"
    failures = as_user("kiemtra").get("/api/v1/audit?action=auth.").get_json()["events"]
    assert [(e["action"], e["data"]["username"]) for e in failures] == [("auth.sign_in_failed", "congan")]


def test_only_auditors_and_administrators_read_the_log(as_user, played):
    for username in ("congan", "dieuphoi", "pheduyet"):
        assert as_user(username).get("/api/v1/audit").status_code == 403
        assert as_user(username).get("/api/v1/audit/verify").status_code == 403
    assert as_user("quantri").get("/api/v1/audit?limit=1").get_json()["next_after"] == 1


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_an_export_re_verifies_with_an_independent_script_and_a_changed_line_fails_it(as_user, played, tmp_path,
                                                                                     kind):
    exported = as_user("kiemtra").get(f"/api/v1/audit/export?format={kind}")
    assert exported.status_code == 200
    path = tmp_path / f"audit.{kind}"
    path.write_bytes(exported.data)
    script = tmp_path / "check.py"
    script.write_text(INDEPENDENT_CHECK, encoding="utf-8")
    checked = subprocess.run([sys.executable, "-I", str(script), str(path), kind], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    total = as_user("kiemtra").get("/api/v1/audit/verify").get_json()["events"]
    assert checked.stdout.strip() == f"OK {total}"

    filtered = as_user("kiemtra").get(f"/api/v1/audit/export?format={kind}&instance={played['instance']}")
    path.write_bytes(filtered.data)
    partial = subprocess.run([sys.executable, "-I", str(script), str(path), kind], capture_output=True, text=True)
    assert partial.returncode == 0, partial.stderr  # a filtered export: each event still re-hashes

    text = exported.data.decode("utf-8")
    path.write_text(text.replace("Đã tọa đàm", "Đã tọa đàm xong", 1), encoding="utf-8")
    tampered = subprocess.run([sys.executable, "-I", str(script), str(path), kind], capture_output=True, text=True)
    assert tampered.returncode != 0 and "hash does not match" in tampered.stderr


def test_the_jsonl_export_carries_the_fields_the_readme_names(as_user, played):
    line = as_user("kiemtra").get("/api/v1/audit/export?format=jsonl&action=plan.launched").data.decode()
    event = json.loads(line.splitlines()[0])
    assert set(event) == {"seq", "at", "actor", "actor_agency", "action", "plan_id", "item_id", "instance_id",
                          "task_id", "data", "evidence", "prev_hash", "hash"}
    assert event["at"].endswith("Z") and event["plan_id"] == played["plan"]["id"]


def test_an_instances_history_shows_what_changed_between_the_returned_and_the_resubmitted_report(as_user,
                                                                                                  played):
    history = as_user("kiemtra").get(f"/api/v1/instances/{played['instance']}/history").get_json()
    reports = [entry for entry in history if entry["action"] == "task.completed"
               and entry["data"].get("element") == "report_result"]
    assert len(reports) == 2 and reports[0]["changes"] == []
    changed = {change["field"]: (change["before"], change["after"]) for change in reports[1]["changes"]}
    assert changed["summary"] == ("Đã tọa đàm", "Đã bổ sung danh sách")
    assert changed["evidence"] == ([played["evidence"]["sha256"]], [])
    assert reports[0]["actor_agency"] == "QNG-CA" and len(reports[0]["hash"]) == 64


def test_the_audit_page_filters_by_names_and_the_history_shows_a_contribution_as_fields(as_user, played):
    from .test_web_pages import page_client
    auditor = page_client(as_user, "kiemtra")
    page = auditor.get("/audit").get_data(as_text=True)
    assert f'<option value="{played["plan"]["id"]}" >249/KH-BCD138</option>' in page  # plans by their number
    assert '<option value="task.completed" >hoàn thành nhiệm vụ</option>' in page  # actions in words
    by_name = auditor.get(f"/audit?plan={played['plan']['id']}&agency=Sở Thông tin và Truyền thông Quảng Ngãi"
                          "&action=task.completed").get_data(as_text=True)
    assert "Cơ quan: Sở" in by_name
    rows = by_name.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 1 and "stttt" in rows and ">249/KH-BCD138</a>" in rows
    several = auditor.get("/audit?agency=Công an Quảng").get_data(as_text=True)  # Quảng Ngãi, Quảng Ninh …
    assert "Có nhiều cơ quan khớp với “Công an Quảng”: chọn cơ quan nào?" in several
    assert "Công an tỉnh Quảng Ngãi</a>" in several and "Không có sự kiện nào" not in several
    assert "Không có cơ quan nào khớp với “xyz”." in auditor.get("/audit?agency=xyz").get_data(as_text=True)
    history = auditor.get(f"/instances/{played['instance']}").get_data(as_text=True)
    assert "Danh sách trang tin" in history and "{&#39;summary&#39;" not in history and "{'summary'" not in history
