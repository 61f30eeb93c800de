"""Colleagues share the work: a claim can be let go or handed over; a coordinator waives a missing contribution."""
import pytest


@pytest.fixture
def item_4(as_user):
    plan = as_user("dieuphoi").post("/api/v1/plans", json={
        "template": "qng-249-kh-bcd138", "parameters": {"relevant_units": ["QNG-STTTT", "QNG-SGDDT"]},
        "idempotency_key": "qng-249-colleagues"}).get_json()
    instance = next(i for i in plan["items"] if i["number"] == "4")["instances"][0]["id"]
    tasks = as_user("dieuphoi").get(f"/api/v1/tasks?plan={plan['id']}&per_page=200").get_json()["tasks"]
    mine = [t for t in tasks if t["instance_id"] == instance]
    return {"plan": plan, "instance": instance, "lead": next(t for t in mine if t["lane"] == "lead"),
            "contributions": {t["assigned_agency"]: t for t in mine if t["lane"] == "coordinating"}}


def test_a_claim_is_let_go_and_handed_to_a_colleague(as_user, item_4):
    lead, approver, task = as_user("congan"), as_user("pheduyet"), item_4["lead"]["id"]
    assert lead.post(f"/api/v1/tasks/{task}/claim").get_json()["claimed_by"] == "congan"
    assert approver.post(f"/api/v1/tasks/{task}/unclaim").status_code == 409  # only the holder lets it go
    assert lead.post(f"/api/v1/tasks/{task}/unclaim").get_json()["claimed_by"] is None
    handed = lead.post(f"/api/v1/tasks/{task}/hand-over", json={"to": "pheduyet"})
    assert handed.status_code == 200 and handed.get_json()["claimed_by"] == "pheduyet"
    assert lead.post(f"/api/v1/tasks/{task}/complete", json={"data": {"summary": "x"}}).status_code == 409
    history = as_user("kiemtra").get(f"/api/v1/instances/{item_4['instance']}/history").get_json()
    assert [e["action"] for e in history if e["action"].startswith("task.") and e["task_id"] == task] == [
        "task.created", "task.claimed", "task.unclaimed", "task.handed_over"]


@pytest.mark.parametrize("colleague, reason", [("stttt", "not a colleague"), ("nobody", "no such user"),
                                               ("kiemtra", "not a colleague")])
def test_a_task_goes_only_to_a_colleague_who_may_work_it(as_user, item_4, colleague, reason):
    response = as_user("congan").post(f"/api/v1/tasks/{item_4['lead']['id']}/hand-over", json={"to": colleague})
    assert response.status_code == 422 and reason in response.get_json()["errors"]["to"][0]


def test_the_same_person_claiming_twice_is_not_told_someone_else_has_it(as_user, item_4):
    lead = as_user("congan")
    assert lead.post(f"/api/v1/tasks/{item_4['lead']['id']}/claim").status_code == 200
    again = lead.post(f"/api/v1/tasks/{item_4['lead']['id']}/claim")
    assert again.status_code == 200 and again.get_json()["claimed_by"] == "congan"


def test_a_waived_contribution_lets_the_item_move_on_and_says_why(as_user, item_4):
    coordinator, partner, lead, approver = (as_user("dieuphoi"), as_user("stttt"), as_user("congan"),
                                            as_user("pheduyet"))
    contributions = item_4["contributions"]
    assert partner.post(f"/api/v1/tasks/{contributions['QNG-STTTT']['id']}/complete", json={"data": {
        "contribution": {"summary": "Đã gửi danh sách"}}}).status_code == 200
    assert coordinator.post(f"/api/v1/tasks/{contributions['QNG-SGDDT']['id']}/waive",
                            json={"reason": "  "}).status_code == 422
    waived = coordinator.post(f"/api/v1/tasks/{contributions['QNG-SGDDT']['id']}/waive",
                              json={"reason": "Sở GD&ĐT chưa có người dùng trên hệ thống"})
    assert waived.status_code == 200, waived.get_json()
    assert lead.post(f"/api/v1/tasks/{item_4['lead']['id']}/complete",
                     json={"data": {"summary": "Đã tổ chức tọa đàm"}}).status_code == 200
    review = next(t for t in approver.get(f"/api/v1/tasks?plan={item_4['plan']['id']}").get_json()["tasks"]
                  if t["instance_id"] == item_4["instance"] and t["lane"] == "standing_body")
    detail = approver.get(f"/api/v1/tasks/{review['id']}").get_json()
    by_agency = {c["agency"]: c for c in detail["contributions"]}
    assert by_agency["QNG-SGDDT"]["status"] == "waived" and by_agency["QNG-SGDDT"]["by"] == "dieuphoi"
    assert by_agency["QNG-SGDDT"]["data"]["contribution"]["reason"] == "Sở GD&ĐT chưa có người dùng trên hệ thống"
    assert approver.post(f"/api/v1/tasks/{review['id']}/complete",
                         json={"data": {"approved": True}}).get_json()["status"] == "completed"
    history = as_user("kiemtra").get(f"/api/v1/instances/{item_4['instance']}/history").get_json()
    [waive] = [e for e in history if e["action"] == "task.waived"]
    assert waive["actor"] == "dieuphoi" and waive["data"]["agency"] == "QNG-SGDDT"


def test_only_a_contribution_is_waived(as_user, item_4):
    response = as_user("dieuphoi").post(f"/api/v1/tasks/{item_4['lead']['id']}/waive", json={"reason": "x"})
    assert response.status_code == 409 and "only those are waived" in response.get_json()["detail"]


def test_the_lead_reminds_a_silent_coordinating_agency_whose_people_are_told(as_user, item_4):
    lead, partner, coordinator = as_user("congan"), as_user("stttt"), as_user("dieuphoi")
    owed = item_4["contributions"]["QNG-STTTT"]["id"]
    before = partner.get("/api/v1/notifications?per_page=200").get_json()["total"]
    assert lead.post(f"/api/v1/tasks/{owed}/remind", json={"reason": " "}).status_code == 422
    reminded = lead.post(f"/api/v1/tasks/{owed}/remind", json={"reason": "Đề nghị gửi danh sách trước 15/9"})
    assert reminded.status_code == 200, reminded.get_json()
    assert "stttt" in reminded.get_json()["told"]
    notices = partner.get("/api/v1/notifications?per_page=200").get_json()
    assert notices["total"] == before + 1
    newest = notices["notifications"][0]
    assert newest["kind"] == "coordinating_reminded" and newest["task_id"] == owed
    assert "Đề nghị gửi danh sách trước 15/9" in newest["text"]
    again = coordinator.post(f"/api/v1/tasks/{owed}/remind", json={"reason": "Nhắc lần hai"})
    assert again.status_code == 409  # once a day is enough
    history = as_user("kiemtra").get(f"/api/v1/instances/{item_4['instance']}/history").get_json()
    [reminder] = [e for e in history if e["action"] == "task.reminded"]
    assert reminder["actor"] == "congan" and reminder["data"]["reason"] == "Đề nghị gửi danh sách trước 15/9"


def test_only_the_lead_or_a_coordinator_reminds_and_only_an_open_contribution(as_user, item_4):
    owed = item_4["contributions"]["QNG-SGDDT"]["id"]
    other_partner = as_user("stttt")  # coordinates on the item too, but does not lead it
    refused = other_partner.post(f"/api/v1/tasks/{owed}/remind", json={"reason": "nhắc"})
    assert refused.status_code == 403
    lead_task = item_4["lead"]["id"]
    assert as_user("dieuphoi").post(f"/api/v1/tasks/{lead_task}/remind",
                                    json={"reason": "nhắc"}).status_code == 409
