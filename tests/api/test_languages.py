"""Vietnamese first: what the API says is Vietnamese unless the reader asks for English; codes stay beside labels.

The catalogue (engine/translations) must hold every message the code marks; a message without its
Vietnamese would reach a Vietnamese reader in English.
"""
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "engine" / "translations"


def test_every_marked_message_has_its_vietnamese_and_the_compiled_catalogue_is_current():
    template = read_po((TRANSLATIONS / "messages.pot").open("rb"))
    vietnamese = read_po((TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po").open("rb"))
    compiled = read_mo((TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.mo").open("rb"))
    wanted = {message.id for message in template if message.id}
    translated = {message.id: message.string for message in vietnamese if message.id and message.string}
    assert wanted - set(translated) == set(), "run 'make translations' and write the Vietnamese of these"
    assert {message.id: message.string for message in compiled if message.id} == translated, \
        "messages.mo is older than messages.po: run 'make translations'"


def test_the_marked_messages_of_the_code_are_all_in_the_template():
    import subprocess
    import sys
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "now.pot"
        subprocess.run([Path(sys.executable).parent / "pybabel", "extract", "-F", "babel.cfg", "-k", "t", "-k", "N_",
                        "--no-location", "-o", str(out), "."], cwd=TRANSLATIONS.parents[1], check=True,
                       capture_output=True)
        now = {message.id for message in read_po(out.open("rb")) if message.id}
    kept = {message.id for message in read_po((TRANSLATIONS / "messages.pot").open("rb")) if message.id}
    assert now - kept == set(), "messages marked in the code but not in messages.pot: run 'make translations'"


def test_errors_are_vietnamese_unless_english_is_asked_for(as_user):
    vietnamese = as_user("congan", language=None).get("/api/v1/tasks/no-such-task")
    assert vietnamese.status_code == 404 and vietnamese.get_json()["detail"] == "không có nhiệm vụ no-such-task"
    english = as_user("congan", language="en").get("/api/v1/tasks/no-such-task")
    assert english.get_json()["detail"] == "no task no-such-task"
    preferred = as_user("congan", language="fr, en;q=0.8, vi;q=0.5").get("/api/v1/tasks/no-such-task")
    assert preferred.get_json()["detail"] == "no task no-such-task"
    unsigned = as_user(language=None).get("/api/v1/tasks")
    assert unsigned.get_json()["detail"].startswith("hãy đăng nhập trước")


def test_task_names_and_statuses_read_in_vietnamese_beside_their_codes(as_user):
    coordinator = as_user("dieuphoi", language=None)
    plan = coordinator.post("/api/v1/plans", json={"template": "qng-249-kh-bcd138",
                                                     "idempotency_key": "qng-249-languages"}).get_json()
    item_4 = next(item for item in plan["items"] if item["number"] == "4")
    assert (item_4["status"], item_4["status_label"]) == ("not_yet_due", "chưa đến hạn")  # due in September
    row = next(task for task in as_user("congan", language=None).get(
        f"/api/v1/tasks?plan={plan['id']}").get_json()["tasks"] if task["item_number"] == "4")
    assert (row["element_id"], row["name"]) == ("report_result", "Thực hiện nội dung và báo cáo kết quả")
    assert (row["status"], row["status_label"]) == ("ready", "cần xử lý")
    assert (row["deadline_status"], row["deadline_status_label"]) == ("not_yet_due", "chưa đến hạn")
    item_1 = next(item for item in plan["items"] if item["number"] == "1")
    assert (item_1["status"], item_1["status_label"]) == ("in_progress", "đang thực hiện (trong hạn)")
    english = next(task for task in as_user("congan").get(f"/api/v1/tasks?plan={plan['id']}").get_json()["tasks"]
                   if task["item_number"] == "4")
    assert english["name"] == "Carry out the item and report the result" and english["status_label"] == "to do"
    processes = {p["key"]: p["name"] for p in coordinator.get("/api/v1/processes").get_json()}
    assert processes["plan_item"] == "Nội dung kế hoạch"


def test_a_conflict_reads_in_vietnamese_with_its_words_translated(as_user):
    coordinator = as_user("dieuphoi", language=None)
    plan = coordinator.post("/api/v1/plans", json={"template": "qng-249-kh-bcd138",
                                                     "idempotency_key": "qng-249-languages-2"}).get_json()
    lead = as_user("congan", language=None)
    row = next(task for task in lead.get(f"/api/v1/tasks?plan={plan['id']}").get_json()["tasks"]
               if task["item_number"] == "4")
    assert lead.post(f"/api/v1/tasks/{row['id']}/complete", json={"data": {"summary": "Xong"}}).status_code == 200
    again = lead.post(f"/api/v1/tasks/{row['id']}/complete", json={"data": {"summary": "Xong"}})
    assert again.status_code == 409
    assert again.get_json()["detail"] == ("nhiệm vụ 'Thực hiện nội dung và báo cáo kết quả' đã ở trạng thái "
                                          "đã hoàn thành; hãy tải lại danh sách công việc")
