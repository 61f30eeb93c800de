"""The review loop of plan 249's item 4 as the people in it live it, over HTTP.

The approver sees the lead's report, the outputs it ticks, its files with their hashes and each
coordinating agency's contribution before deciding; after a return the lead sees who returned it and
why, gets the last version as a draft and keeps its files; nobody approves a report they submitted;
the command line stores the same data as the API for the same form.
"""
import io
import json

import pytest
from click.testing import CliRunner

from cli import main
from engine.model.actors import SYSTEM
from engine.services import users

from .conftest import PASSWORD

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
OUTPUT = "Quy chế phối hợp hướng dẫn, thanh tra, kiểm tra, giám sát việc bảo đảm an toàn, an ninh mạng"


def launch_249(coordinator, key="qng-249-review-loop"):
    launched = coordinator.post("/api/v1/plans", json={
        "template": "qng-249-kh-bcd138", "parameters": {"relevant_units": ["QNG-STTTT"]}, "idempotency_key": key,
        "allow_duplicate_symbol": True})
    assert launched.status_code == 201, launched.get_json()
    plan = launched.get_json()
    item = next(item for item in plan["items"] if item["number"] == "4")
    return plan, item["instances"][0]["id"]


def task_of(client, plan_id, instance_id, lane):
    tasks = client.get(f"/api/v1/tasks?plan={plan_id}").get_json()["tasks"]
    return next(task for task in tasks if task["instance_id"] == instance_id and task["lane"] == lane)


def upload(client, task_id, name):
    response = client.post(f"/api/v1/tasks/{task_id}/evidence", data={"file": (io.BytesIO(PDF), name,
                                                                               "application/pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def item_4(as_user):
    """Item 4 launched; Sở TT&TT contributed with a file; Công an tỉnh reported with a file and an output."""
    coordinator, lead, partner = as_user("dieuphoi"), as_user("congan"), as_user("stttt")
    plan, instance = launch_249(coordinator)
    contribution = task_of(partner, plan["id"], instance, "coordinating")
    shared = upload(partner, contribution["id"], "Danh sách trang tin.pdf")
    assert partner.post(f"/api/v1/tasks/{contribution['id']}/complete", json={"data": {"contribution": {
        "summary": "Sở TT&TT đã cung cấp danh sách trang tin", "evidence": [shared["id"]]}}}).status_code == 200
    report = task_of(lead, plan["id"], instance, "lead")
    minutes = upload(lead, report["id"], "Biên bản tọa đàm.pdf")
    submitted = lead.post(f"/api/v1/tasks/{report['id']}/complete", json={"data": {
        "summary": "Đã tổ chức tọa đàm tại 3 đơn vị", "outputs_done": [OUTPUT], "evidence": [minutes["id"]]}})
    assert submitted.status_code == 200, submitted.get_json()
    return {"plan": plan["id"], "instance": instance, "report": report, "minutes": minutes, "shared": shared}


def test_the_approver_sees_the_report_outputs_files_and_contributions_before_deciding(as_user, item_4):
    approver = as_user("pheduyet")
    review = task_of(approver, item_4["plan"], item_4["instance"], "standing_body")
    detail = approver.get(f"/api/v1/tasks/{review['id']}").get_json()
    assert detail["kind"] == "decision"
    assert detail["item"]["number"] == "4" and detail["item"]["plan_symbol"] == "249/KH-BCD138"
    report = detail["under_review"]
    assert report["by"] == "congan" and report["data"]["summary"] == "Đã tổ chức tọa đàm tại 3 đơn vị"
    assert report["outputs_done"] == [OUTPUT]
    [file] = report["evidence"]
    assert (file["file_name"], file["sha256"], file["size"]) == (
        "Biên bản tọa đàm.pdf", item_4["minutes"]["sha256"], len(PDF))
    assert file["content_type"] == "application/pdf" and approver.get(file["url"]).data == PDF
    [contribution] = detail["contributions"]
    assert (contribution["agency"], contribution["status"], contribution["by"]) == ("QNG-STTTT", "completed", "stttt")
    assert contribution["data"]["contribution"]["summary"] == "Sở TT&TT đã cung cấp danh sách trang tin"
    assert contribution["evidence"][0]["sha256"] == item_4["shared"]["sha256"]
    assert approver.get(contribution["evidence"][0]["url"]).status_code == 200
    assert [(r["number"], r["decision"]) for r in detail["rounds"]] == [(1, None)]
    assert detail["under_review"]["at"].endswith("+07:00")


def test_a_returned_report_comes_back_with_its_reason_its_draft_and_its_files(as_user, item_4):
    approver, lead = as_user("pheduyet"), as_user("congan")
    review = task_of(approver, item_4["plan"], item_4["instance"], "standing_body")
    returned = approver.post(f"/api/v1/tasks/{review['id']}/complete", json={"data": {
        "approved": False, "return_reason": "Thiếu danh sách đơn vị tham gia"}})
    assert returned.status_code == 200, returned.get_json()

    again = task_of(lead, item_4["plan"], item_4["instance"], "lead")
    detail = lead.get(f"/api/v1/tasks/{again['id']}").get_json()
    assert detail["returned"]["reason"] == "Thiếu danh sách đơn vị tham gia"
    assert detail["returned"]["by"] == "pheduyet" and detail["returned"]["approved"] is False
    assert detail["draft"]["summary"] == "Đã tổ chức tọa đàm tại 3 đơn vị"
    assert detail["draft"]["outputs_done"] == [OUTPUT]
    assert [file["id"] for file in detail["reusable_evidence"]] == [item_4["minutes"]["id"]]

    # The lead edits the draft and keeps the file it uploaded before.
    resubmitted = lead.post(f"/api/v1/tasks/{again['id']}/complete", json={"data": {
        **detail["draft"], "summary": "Đã tổ chức tọa đàm tại 3 đơn vị: Công an tỉnh, Sở TT&TT, Báo Quảng Ngãi"}})
    assert resubmitted.status_code == 200, resubmitted.get_json()

    final = task_of(approver, item_4["plan"], item_4["instance"], "standing_body")
    rounds = approver.get(f"/api/v1/tasks/{final['id']}").get_json()["rounds"]
    assert [r["decision"]["reason"] if r["decision"] else None for r in rounds] == [
        "Thiếu danh sách đơn vị tham gia", None]
    assert rounds[1]["changes"] == [{"field": "summary", "before": "Đã tổ chức tọa đàm tại 3 đơn vị",
                                     "after": "Đã tổ chức tọa đàm tại 3 đơn vị: Công an tỉnh, Sở TT&TT, "
                                              "Báo Quảng Ngãi"}]
    assert rounds[1]["submission"]["evidence"][0]["sha256"] == item_4["minutes"]["sha256"]
    approved = approver.post(f"/api/v1/tasks/{final['id']}/complete", json={"data": {"approved": True}})
    assert approved.status_code == 200 and approved.get_json()["status"] == "completed"


def test_whoever_submitted_a_result_cannot_approve_it_even_holding_both_roles(app, as_user, clock):
    from frontdoor.context import unit_of_work
    with app.app_context():
        users.add_user(unit_of_work(), clock, SYSTEM, "hai_vai", PASSWORD, ["agency_member", "approver"], "QNG-CA")
    both = as_user("hai_vai", session=True)
    plan, instance = launch_249(as_user("dieuphoi"), "qng-249-four-eyes")
    report = task_of(both, plan["id"], instance, "lead")
    assert both.post(f"/api/v1/tasks/{report['id']}/complete",
                     json={"data": {"summary": "Tự báo cáo"}}).status_code == 200
    review = task_of(as_user("pheduyet"), plan["id"], instance, "standing_body")  # not listed to him (four eyes)
    refused = both.post(f"/api/v1/tasks/{review['id']}/complete", json={"data": {"approved": True}})
    assert refused.status_code == 403
    assert "four-eyes" in refused.get_json()["detail"]
    assert "(08:00, 01/06/2022)" in refused.get_json()["detail"]  # when it was submitted, in Vietnam's time
    assert as_user("pheduyet").post(f"/api/v1/tasks/{review['id']}/complete",
                                    json={"data": {"approved": True}}).status_code == 200


def test_outputs_ticked_must_be_the_items_own(as_user):
    lead = as_user("congan")
    plan, instance = launch_249(as_user("dieuphoi"), "qng-249-outputs")
    report = task_of(lead, plan["id"], instance, "lead")
    refused = lead.post(f"/api/v1/tasks/{report['id']}/complete",
                        json={"data": {"summary": "x", "outputs_done": ["Một sản phẩm không có trong kế hoạch"]}})
    assert refused.status_code == 422
    assert "outputs_done" in refused.get_json()["errors"]


def test_the_command_line_stores_what_the_api_stores_for_the_same_form(app, as_user):
    from frontdoor.context import unit_of_work
    lead = as_user("congan")
    form = {"summary": "  Đã tổ chức tọa đàm  ", "outputs_done": [OUTPUT]}
    through_api = launch_249(as_user("dieuphoi"), "qng-249-api")
    through_cli = launch_249(as_user("dieuphoi"), "qng-249-cli")
    api_task = task_of(lead, through_api[0]["id"], through_api[1], "lead")
    cli_task = task_of(lead, through_cli[0]["id"], through_cli[1], "lead")
    assert lead.post(f"/api/v1/tasks/{api_task['id']}/complete", json={"data": form}).status_code == 200
    url = app.config["DATABASE_URL"]
    done = CliRunner().invoke(main, ["--database-url", url, "complete", cli_task["id"], "--as", "congan",
                                       "--data", json.dumps(form)])
    assert done.exit_code == 0, done.output
    bad = CliRunner().invoke(main, ["--database-url", url, "complete", cli_task["id"], "--as", "congan",
                                       "--data", json.dumps(form)])
    assert bad.exit_code == 2  # completed already: the same refusal as the API's 409
    with app.app_context():
        with unit_of_work() as uow:
            stored = [uow.tasks.get(task["id"]).result for task in (api_task, cli_task)]
            audited = [next(e for e in uow.audit.for_instance(task["instance_id"]) if e.action == "task.completed")
                       .data["data"] for task in (api_task, cli_task)]
    assert stored[0] == stored[1] and stored[0]["summary"] == "Đã tổ chức tọa đàm"
    assert audited[0] == audited[1] == stored[0]


def test_the_command_line_refuses_a_form_the_api_refuses(app, as_user):
    lead = as_user("congan")
    plan, instance = launch_249(as_user("dieuphoi"), "qng-249-cli-refusal")
    task = task_of(lead, plan["id"], instance, "lead")
    result = CliRunner().invoke(main, ["--database-url", app.config["DATABASE_URL"], "complete", task["id"],
                                       "--as", "congan",
                                       "--data", json.dumps({"summary": "", "evidence": ["not-uploaded"]})])
    assert result.exit_code == 2
    assert "summary" in result.output
