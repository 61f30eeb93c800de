"""A returned report's files come back with its redo form: the lead's first-round file is listed, ticked and
marked as from an earlier round; sent as it stands, the redone report keeps it; unticked, it is dropped and the
approver's comparison of the rounds says so."""
import re

from .test_review_loop import item_4, task_of  # noqa: F401 - the fixture is used by name
from .test_web_pages import page_client


def returned(as_user, played) -> str:
    approver = as_user("pheduyet")
    review = task_of(approver, played["plan"], played["instance"], "standing_body")
    assert approver.post(f"/api/v1/tasks/{review['id']}/complete", json={"data": {
        "approved": False, "return_reason": "Thiếu danh sách đơn vị tham gia"}}).status_code == 200
    return task_of(as_user("congan"), played["plan"], played["instance"], "lead")["id"]


def form_fields(html: str) -> dict[str, list[str]]:
    """What the browser would send: the text fields as they stand and the ticked boxes."""
    form = html.split('id="task-form"')[1].split("</form>")[0]
    sent: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="checkbox" name="([^"]+)" value="([^"]+)" checked', form):
        sent.setdefault(name, []).append(value)
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', form):
        sent.setdefault(name, []).append(value)
    return sent


def test_the_redo_form_keeps_the_first_rounds_files_unless_removed(as_user, item_4):  # noqa: F811
    redo = returned(as_user, item_4)
    lead = page_client(as_user, "congan")
    page = lead.get(f"/tasks/{redo}").get_data(as_text=True)
    minutes = item_4["minutes"]
    assert re.search(rf'value="{minutes["id"]}" checked> Biên bản tọa đàm.pdf <small>\(từ lần gửi trước\)', page)
    sent = form_fields(page)
    assert sent["evidence"] == [minutes["id"]]
    posted = lead.post(f"/tasks/{redo}", data={"csrf_token": lead.csrf, **sent})
    assert posted.status_code == 302, posted.get_data(as_text=True)[:2000]
    approver = as_user("pheduyet")
    final = task_of(approver, item_4["plan"], item_4["instance"], "standing_body")
    rounds = approver.get(f"/api/v1/tasks/{final['id']}").get_json()["rounds"]
    assert [file["sha256"] for file in rounds[1]["submission"]["evidence"]] == [minutes["sha256"]]


def test_a_file_unticked_on_the_redo_form_is_dropped_and_the_approver_sees_it_go(as_user, item_4):  # noqa: F811
    redo = returned(as_user, item_4)
    lead = page_client(as_user, "congan")
    sent = form_fields(lead.get(f"/tasks/{redo}").get_data(as_text=True))
    sent.pop("evidence")
    assert lead.post(f"/tasks/{redo}", data={"csrf_token": lead.csrf, **sent}).status_code == 302
    approver = as_user("pheduyet")
    final = task_of(approver, item_4["plan"], item_4["instance"], "standing_body")
    rounds = approver.get(f"/api/v1/tasks/{final['id']}").get_json()["rounds"]
    assert rounds[1]["submission"]["evidence"] == []
    assert {"field": "evidence", "before": ["Biên bản tọa đàm.pdf"], "after": []} in rounds[1]["changes"]
