"""Plan 249/KH-BCD138 end to end through the API: launch, work, return, resubmit, approve, audit."""
import io

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def open_task(client, name, plan_id):
    page = client.get(f"/api/v1/tasks?plan={plan_id}").get_json()
    found = [task for task in page["tasks"] if task["name"] == name]
    assert found, [task["name"] for task in page["tasks"]]
    return found[0]


def test_item_4_is_launched_worked_returned_resubmitted_approved_and_audited(as_user):
    coordinator, lead, partner = as_user("dieuphoi", session=True), as_user("congan", session=True), as_user("stttt")
    approver, auditor = as_user("pheduyet"), as_user("kiemtra")

    launched = coordinator.post("/api/v1/plans", json={
        "template": "qng-249-kh-bcd138", "parameters": {"relevant_units": ["QNG-STTTT"]},
        "idempotency_key": "qng-249-2022-launch"})
    assert launched.status_code == 201, launched.get_json()
    plan = launched.get_json()
    item_4 = next(item for item in plan["items"] if item["number"] == "4")
    assert (item_4["lead"], item_4["coordinating"]) == ("QNG-CA", ["QNG-STTTT"])
    item_4_instance = item_4["instances"][0]["id"]

    # The coordinating agency contributes.
    contribution = next(t for t in partner.get(f"/api/v1/tasks?plan={plan['id']}").get_json()["tasks"]
                        if t["instance_id"] == item_4_instance)
    done = partner.post(f"/api/v1/tasks/{contribution['id']}/complete",
                        json={"data": {"contribution": {"summary": "Sở TT&TT đã cung cấp danh sách trang tin"}}})
    assert done.status_code == 200, done.get_json()

    # The lead sees its task with the form to fill, uploads evidence and submits.
    task = next(t for t in lead.get(f"/api/v1/tasks?plan={plan['id']}").get_json()["tasks"]
                if t["instance_id"] == item_4_instance)
    detail = lead.get(f"/api/v1/tasks/{task['id']}").get_json()
    assert detail["form"]["required"] == ["summary"]
    assert detail["variables"]["item"] == "4"
    uploaded = lead.post(f"/api/v1/tasks/{task['id']}/evidence",
                         data={"file": (io.BytesIO(MINIMAL_PDF), "Biên bản tọa đàm.pdf", "application/pdf")},
                         content_type="multipart/form-data")
    assert uploaded.status_code == 201, uploaded.get_json()
    evidence = uploaded.get_json()
    submitted = lead.post(f"/api/v1/tasks/{task['id']}/complete",
                          json={"data": {"summary": "Đã tổ chức tọa đàm tại 3 đơn vị", "evidence": [evidence["id"]]}})
    assert submitted.status_code == 200, submitted.get_json()

    # The approver sees the evidence and returns the result with a reason.
    review = next(t for t in approver.get(f"/api/v1/tasks?plan={plan['id']}").get_json()["tasks"]
                  if t["instance_id"] == item_4_instance and t["lane"] == "standing_body")
    assert approver.get(f"/api/v1/evidence/{evidence['id']}").data == MINIMAL_PDF
    returned = approver.post(f"/api/v1/tasks/{review['id']}/complete",
                             json={"data": {"approved": False, "return_reason": "Thiếu danh sách đơn vị tham gia"}})
    assert returned.status_code == 200, returned.get_json()

    # The lead gets the item back and resubmits; the approver approves.
    again = next(t for t in lead.get(f"/api/v1/tasks?plan={plan['id']}").get_json()["tasks"]
                 if t["instance_id"] == item_4_instance)
    assert again["id"] != task["id"]
    assert lead.post(f"/api/v1/tasks/{again['id']}/complete",
                     json={"data": {"summary": "Bổ sung danh sách 3 đơn vị"}}).status_code == 200
    final = next(t for t in approver.get(f"/api/v1/tasks?plan={plan['id']}").get_json()["tasks"]
                 if t["instance_id"] == item_4_instance and t["lane"] == "standing_body")
    approved = approver.post(f"/api/v1/tasks/{final['id']}/complete", json={"data": {"approved": True}})
    assert approved.get_json()["status"] == "completed"

    # The auditor reads the whole history, the evidence hash and the return reason included.
    history = auditor.get(f"/api/v1/instances/{item_4_instance}/history").get_json()
    actions = [entry["action"] for entry in history]
    assert actions.count("task.completed") == 5
    assert "evidence.attached" in actions
    completions = [entry for entry in history if entry["action"] == "task.completed"]
    assert completions[1]["data"]["evidence"] == {evidence["id"]: evidence["sha256"]}
    assert completions[2]["data"]["data"]["return_reason"] == "Thiếu danh sách đơn vị tham gia"
    assert auditor.get(f"/api/v1/plans/{plan['id']}").get_json()["items"][3]["status"] == "completed_on_time"
