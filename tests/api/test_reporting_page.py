"""A plan's reporting page: each period's gates (who sent the period's report, who is missing) and the ad-hoc
reports, with the form a coordinator asks for one by; what the API's reporting view holds, on a page."""
from __future__ import annotations

from engine.model.actors import SYSTEM
from engine.model.clock import parse_instant
from engine.services import processes, templates

from .test_web_pages import page_client
from tests.unit.test_reporting_gates import quarterly_249


def launch_quarterly(app, as_user) -> dict:
    with app.app_context():
        from frontdoor.context import clock, unit_of_work
        templates.register_template(unit_of_work(), clock(), SYSTEM, quarterly_249().encode(), "qng-249.yaml")
    launched = as_user("dieuphoi").post("/api/v1/plans", json={
        "template": "qng-249-kh-bcd138", "parameters": {"relevant_units": ["QNG-STTTT"]}})
    assert launched.status_code == 201, launched.get_json()
    return launched.get_json()


def test_a_missed_quarter_shows_on_the_reporting_page_with_who_is_missing(app, as_user, clock):
    plan = launch_quarterly(app, as_user)
    clock.set(parse_instant("2022-06-22T08:00+07:00"))  # the second quarter was due on 20 June
    with app.app_context():
        from frontdoor.context import unit_of_work
        processes.fire_due_timers(unit_of_work(), clock, limit=500)
    html = page_client(as_user, "dieuphoi").get(f"/plans/{plan['id']}/reporting").get_data(as_text=True)
    quarter = html.split("Quý II/2022")[1].split("</article>")[0]
    assert "còn thiếu báo cáo" in quarter and "hạn gửi 23:59 20/06/2022" in quarter
    row = quarter.split("<tr class=\"late\">")[1].split("</tr>")[0]  # item 3: Sở TT&TT leads, Công an coordinates
    assert "3. " in row and row.count("chưa gửi") == 2
    assert "Kỳ tiếp theo: Quý III/2022, hạn gửi 20/09/2022." in html
    assert "hằng quý" in html


def test_a_coordinator_asks_for_an_ad_hoc_report_from_the_page(app, as_user):
    plan = launch_quarterly(app, as_user)
    coordinator = page_client(as_user, "dieuphoi")
    url = f"/plans/{plan['id']}/reporting"
    assert "Yêu cầu báo cáo đột xuất" in coordinator.get(url).get_data(as_text=True)
    empty = coordinator.post(url, data={"csrf_token": coordinator.csrf, "due": "2022-06-20", "agencies": "QNG-CA"})
    assert empty.status_code == 422 and 'id="subject" name="subject" value=""' in empty.get_data(as_text=True)
    assert 'class="error" role="alert"' in empty.get_data(as_text=True)
    asked = coordinator.post(url, data={"csrf_token": coordinator.csrf, "subject": "Báo cáo vụ lừa đảo qua mạng",
                                        "due": "2022-06-20", "agencies": ["QNG-CA", "QNG-STTTT"]})
    assert asked.status_code == 302
    html = coordinator.get(asked.headers["Location"]).get_data(as_text=True)
    assert "Đã gửi yêu cầu báo cáo đột xuất: đây là nội dung ĐX.1" in html
    asked = html.split("ĐX.1. Báo cáo vụ lừa đảo qua mạng")[1].split("</article>")[0]
    assert asked.count("chưa gửi") == 2 and "hạn gửi 23:59 20/06/2022" in asked
    work = as_user("congan").get(f"/api/v1/tasks?plan={plan['id']}").get_json()["tasks"]
    assert any(task["item_number"] == "ĐX.1" for task in work)
    officer = page_client(as_user, "congan").get(url).get_data(as_text=True)
    assert "ĐX.1. Báo cáo vụ lừa đảo qua mạng" in officer and "Yêu cầu báo cáo đột xuất" not in officer
