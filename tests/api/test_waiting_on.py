"""An item says whom it waits on: the lead's report, the approval, then the coordinating agencies' contributions
once the result is approved; on the plan's page, its item row and the instance's page, and in the API."""
from .test_review_loop import launch_249, task_of
from .test_web_pages import page_client


def waits(client, plan_id: int, number: str) -> list[dict]:
    plan = client.get(f"/api/v1/plans/{plan_id}").get_json()
    return next(item for item in plan["items"] if item["number"] == number)["waiting_on"]


def test_an_approved_item_waits_on_its_coordinating_agencies_and_says_so(as_user):
    coordinator, lead, approver = as_user("dieuphoi"), as_user("congan"), as_user("pheduyet")
    plan, instance = launch_249(coordinator, key="qng-249-waiting")
    assert waits(coordinator, plan["id"], "4") == [{"step": "report", "agencies": ["QNG-CA"]},
                                                  {"step": "contribution", "agencies": ["QNG-STTTT"]}]
    report = task_of(lead, plan["id"], instance, "lead")
    assert lead.post(f"/api/v1/tasks/{report['id']}/complete", json={"data": {
        "summary": "Đã tổ chức tọa đàm"}}).status_code == 200
    assert waits(coordinator, plan["id"], "4")[0] == {"step": "decision", "agencies": ["QNG-CA"]}  # its leaders
    review = task_of(approver, plan["id"], instance, "standing_body")
    assert approver.post(f"/api/v1/tasks/{review['id']}/complete", json={"data": {"approved": True}}).status_code \
        == 200
    assert waits(coordinator, plan["id"], "4") == [{"step": "contribution", "agencies": ["QNG-STTTT"]}]

    page = page_client(as_user, "dieuphoi")
    plan_page = page.get(f"/plans/{plan['id']}").get_data(as_text=True)
    assert "Đang chờ ý kiến phối hợp của Sở Thông tin và Truyền thông tỉnh Quảng Ngãi" in plan_page
    instance_page = page.get(f"/instances/{instance}").get_data(as_text=True)
    assert '<p class="waiting">Đang chờ ý kiến phối hợp của Sở Thông tin và Truyền thông tỉnh Quảng Ngãi</p>' in instance_page
    assert coordinator.get(f"/api/v1/instances/{instance}").get_json()["waiting_on"] == [
        {"step": "contribution", "agencies": ["QNG-STTTT"]}]


def test_an_item_of_many_agencies_names_the_first_few(as_user):
    coordinator = as_user("dieuphoi")
    plan, _ = launch_249(coordinator, key="qng-249-waiting-many")
    many = waits(coordinator, plan["id"], "IV.3")
    assert many[0]["step"] == "report" and len(many[0]["agencies"]) > 4
    page = page_client(as_user, "dieuphoi").get(f"/plans/{plan['id']}").get_data(as_text=True)
    assert f"và {len(many[0]['agencies']) - 4} cơ quan, đơn vị khác báo cáo kết quả" in page
