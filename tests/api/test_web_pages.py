"""The web pages without a browser: sign-in redirects, CSRF on every posted form, escaping, both languages.
(The browser tests in tests/browser run the whole story in chromium.)"""
from __future__ import annotations

import re

import pytest

PAGES = ["/work", "/plans", "/plans/new", "/templates", "/audit"]
#: What a coordinator types on the launch form for plan 249 (the form fills in nothing by itself).
PLAN_249 = {"template": "qng-249-kh-bcd138", "number": "249", "year": "2022", "issued_on": "2022-05-25"}


def page_client(as_user, username):
    client = as_user(username, session=True)
    client.headers.pop("Accept-Language", None)
    return client


def test_a_page_asks_for_sign_in_first_and_comes_back_after(app):
    response = app.test_client().get("/plans?x=1", base_url="https://localhost")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=/plans")


def test_the_sign_in_page_refuses_a_wrong_password_and_signs_in_with_the_right_one(app):
    from .conftest import PASSWORD
    client = app.test_client()
    form = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    wrong = client.post("/login", data={"csrf_token": token, "username": "congan", "password": "sai"},
                        base_url="https://localhost")
    assert wrong.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu." in wrong.get_data(as_text=True)
    form = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    right = client.post("/login?next=/plans", data={"csrf_token": token, "username": "congan", "password": PASSWORD},
                        base_url="https://localhost")
    assert right.status_code == 302 and right.headers["Location"] == "/plans"
    assert client.get("/plans", base_url="https://localhost").status_code == 200


def test_a_sign_in_form_without_its_token_is_refused(app):
    from .conftest import PASSWORD
    response = app.test_client().post("/login", data={"username": "congan", "password": PASSWORD},
                                      base_url="https://localhost")
    assert response.status_code == 401 and "hết hạn" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_every_main_page_renders_in_vietnamese_and_in_english(as_user, path):
    client = page_client(as_user, "quantri")
    vietnamese = client.get(path)
    assert vietnamese.status_code == 200, path
    text = vietnamese.get_data(as_text=True)
    assert '<html lang="vi">' in text and "Đăng xuất" in text and "Kế hoạch" in text
    english = client.get(path + ("&" if "?" in path else "?") + "lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "Sign out" in english and "Đăng xuất" not in english


def test_a_form_posted_without_the_sessions_token_changes_nothing(as_user):
    coordinator = page_client(as_user, "dieuphoi")
    response = coordinator.http.post("/plans/new", data={"template": "qng-249-kh-bcd138", "action": "launch"},
                                     base_url="https://localhost")
    assert response.status_code == 403
    assert as_user("dieuphoi").get("/api/v1/plans").get_json()["total"] == 0


def test_what_someone_typed_is_shown_escaped_never_as_markup(as_user):
    coordinator = page_client(as_user, "dieuphoi")
    launched = coordinator.post("/plans/new", data={"csrf_token": coordinator.csrf, **PLAN_249,
                                                    "action": "launch", "relevant_units": "QNG-STTTT"})
    assert launched.status_code == 302, launched.get_data(as_text=True)[:500]
    officer = page_client(as_user, "congan")
    work = officer.get("/work").get_data(as_text=True)
    task_id = re.search(r'href="/tasks/([0-9a-f-]+)"', work).group(1)
    hostile = '<script>alert("x")</script>'
    sent = officer.post(f"/tasks/{task_id}", data={"csrf_token": officer.csrf, "summary": f"Đã xong {hostile}"})
    assert sent.status_code == 302
    page = officer.get(f"/tasks/{task_id}").get_data(as_text=True)
    approver = page_client(as_user, "pheduyet")
    review_id = re.search(r'href="/tasks/([0-9a-f-]+)">Phê duyệt', approver.get("/work").get_data(as_text=True)).group(1)
    review = approver.get(f"/tasks/{review_id}").get_data(as_text=True)
    for html in (page, review):
        assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in review


def test_a_form_with_a_missing_field_is_shown_again_with_the_message_at_the_field(as_user):
    coordinator = page_client(as_user, "dieuphoi")
    coordinator.post("/plans/new", data={"csrf_token": coordinator.csrf, **PLAN_249, "action": "launch"})
    approver = page_client(as_user, "pheduyet")
    officer = page_client(as_user, "congan")
    task_id = re.search(r'href="/tasks/([0-9a-f-]+)"', officer.get("/work").get_data(as_text=True)).group(1)
    refused = officer.post(f"/tasks/{task_id}", data={"csrf_token": officer.csrf, "summary": "   "})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert re.search(r'id="f-summary-error"', html) and 'aria-invalid="true"' in html
    assert 'Phê duyệt hoặc trả lại' not in approver.get("/work").get_data(as_text=True)  # nothing reached review


def test_an_auditor_sees_the_chain_verified_on_the_audit_page(as_user):
    auditor = page_client(as_user, "kiemtra")
    html = auditor.get("/audit?verify=1").get_data(as_text=True)
    assert "Chuỗi toàn vẹn" in html
    assert page_client(as_user, "congan").get("/audit").status_code == 403


def test_a_template_upload_with_a_mistake_shows_it_at_its_line_and_registers_nothing(as_user):
    import io
    from pathlib import Path
    source = (Path(__file__).resolve().parents[2] / "workflows" / "templates" / "qng-249-kh-bcd138.yaml").read_text(
        encoding="utf-8")
    broken = source.replace("    lead: QNG-STTTT\n", "", 1)
    coordinator = page_client(as_user, "dieuphoi")
    response = coordinator.post("/templates", data={"csrf_token": coordinator.csrf,
                                                    "file": (io.BytesIO(broken.encode()), "249-sửa.yaml")},
                                content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    line = re.search(r'<a href="#line-(\d+)">', html).group(1)
    assert f'<span id="line-{line}" class="marked">' in html and "items[2].lead" in html
    versions = as_user("dieuphoi").get("/api/v1/templates").get_json()
    assert {entry["key"]: entry["version"] for entry in versions}["qng-249-kh-bcd138"] == 1
    officer = page_client(as_user, "congan")
    refused = officer.post("/templates", data={"csrf_token": officer.csrf,
                                               "file": (io.BytesIO(source.encode()), "249.yaml")},
                           content_type="multipart/form-data")
    assert refused.status_code == 403


def test_the_plan_task_and_instance_pages_read_in_english_too(as_user):
    coordinator = page_client(as_user, "dieuphoi")
    launched = coordinator.post("/plans/new", data={"csrf_token": coordinator.csrf, **PLAN_249, "action": "launch"})
    plan_path = launched.headers["Location"].split("?")[0]  # without the launch's one-time message
    officer = page_client(as_user, "congan")
    task_path = "/tasks/" + re.search(r'href="/tasks/([0-9a-f-]+)"', officer.get("/work").get_data(as_text=True)).group(1)
    task_html = officer.get(task_path + "?lang=en").get_data(as_text=True)
    instance_path = re.search(r'href="(/instances/\d+)"', task_html).group(1)
    for client, path, words in ((coordinator, plan_path, "Completion week by week"), (officer, task_path, "What is asked"),
                                (officer, instance_path, "History")):
        vietnamese = client.get(path).get_data(as_text=True)
        english = client.get(path + "?lang=en").get_data(as_text=True)
        assert words in english and words not in vietnamese, path
        assert "Đăng xuất" in vietnamese and "Sign out" in english


def test_a_draft_is_read_from_an_uploaded_document_over_the_api(as_user):
    import io
    text = ("UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/KH-UBND\n"
            "Quảng Ngãi, ngày 2 tháng 3 năm 2023\nKẾ HOẠCH\nTuyên truyền pháp luật năm 2023\n"
            "II. NỘI DUNG THỰC HIỆN\n1. Tuyên truyền trên báo chí\n"
            "(Sở Thông tin và Truyền thông chủ trì, Công an tỉnh phối hợp thực hiện trong tháng 4/2023)\n"
            "IV. TỔ CHỨC THỰC HIỆN\n1. Giao Công an tỉnh là cơ quan thường trực.\n")
    response = as_user("dieuphoi").post("/api/v1/templates/drafts",
                                        data={"file": (io.BytesIO(text.encode()), "ke-hoach.txt")},
                                        content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["template"]["items"][0]["lead"] == "QNG-STTTT" and body["flags"] == []
    assert body["items"][0]["spans"]["assignment"]["paragraph"] == 7
    assert "# source [paragraph 8]" in body["yaml"]
    article = as_user("dieuphoi").post("/api/v1/templates/drafts",
                                       data={"file": (io.BytesIO("Một bài báo.\nKhông có gì.".encode()), "a.txt")},
                                       content_type="multipart/form-data")
    assert article.status_code == 422 and "no plan structure found" in article.get_json()["errors"]["file"][0]
    assert as_user("congan").post("/api/v1/templates/drafts", data={"file": (io.BytesIO(text.encode()), "k.txt")},
                                  content_type="multipart/form-data").status_code == 403


def test_the_draft_page_marks_what_was_read_and_registers_the_expert_s_fixed_yaml(as_user):
    import html as markup
    import io
    text = ("UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 77/KH-UBND\n"
            "Quảng Ngãi, ngày 2 tháng 3 năm 2023\nKẾ HOẠCH\nTuyên truyền pháp luật năm 2023\n"
            "II. NỘI DUNG THỰC HIỆN\n1. Tuyên truyền trên báo chí\n"
            "(Sở Thông tin Truyền thông chủ trì, Công an tỉnh phối hợp thực hiện trong tháng 4/2023)\n"
            "IV. TỔ CHỨC THỰC HIỆN\n1. Giao Công an tỉnh là cơ quan thường trực.\n")
    coordinator = page_client(as_user, "dieuphoi")
    uploaded = coordinator.post("/templates/draft", data={"csrf_token": coordinator.csrf,
                                                          "file": (io.BytesIO(text.encode()), "kh-77.txt")},
                                content_type="multipart/form-data")
    assert uploaded.status_code == 302
    draft_path = uploaded.headers["Location"]
    html = coordinator.get(draft_path).get_data(as_text=True)
    assert '<mark class="flagged">(Sở Thông tin Truyền thông chủ trì' in html  # the unknown name, marked
    draft_text = re.search(r'<textarea id="draft-yaml"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    draft_text = markup.unescape(draft_text)
    broken = coordinator.post(draft_path, data={"csrf_token": coordinator.csrf, "action": "register_yaml",
                                                "yaml": draft_text})
    assert broken.status_code == 422 and "items[0].lead" in broken.get_data(as_text=True)
    fixed = re.sub(r"lead: (agency: )?Sở Thông tin Truyền thông", r"lead: \1QNG-STTTT", draft_text)
    saved = coordinator.post(draft_path, data={"csrf_token": coordinator.csrf, "action": "register_yaml",
                                               "yaml": fixed})
    assert saved.status_code == 302 and saved.headers["Location"] == draft_path + "?done=registered"
    page = coordinator.get(saved.headers["Location"]).get_data(as_text=True)
    key = re.search(r'href="/templates/([a-z0-9-]+)"', page.split('class="notice done"')[1]).group(1)
    assert coordinator.get(f"/templates/{key}").status_code == 200


def test_every_form_that_changes_something_refuses_a_post_without_the_session_s_token(app, as_user):
    """Every page route taking POST (but the sign-in and password-link forms, which have tokens of their own)
    refuses a post without the session's CSRF token, or with another one, and nothing is written: no audit event,
    the session still open."""
    from .test_review_loop import launch_249, task_of
    plan, instance = launch_249(as_user("dieuphoi"))
    task_id = task_of(as_user("congan"), plan["id"], instance, "lead")["id"]
    forms = [rule for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("web.") and "POST" in rule.methods
             and rule.endpoint not in ("web.login", "web.set_password")]
    assert {rule.endpoint for rule in forms} >= {"web.logout", "web.task", "web.launch", "web.template_list",
                                                  "web.template_draft"}
    people = [page_client(as_user, user) for user in ("congan", "dieuphoi")]
    auditor = as_user("kiemtra")
    before = auditor.get("/api/v1/audit?limit=1000").get_json()["events"]
    for person in people:
        for rule in forms:
            path = rule.rule.replace("<task_id>", task_id).replace("<int:draft_id>", "1") \
                .replace("<int:notification_id>", "1").replace("<int:request_id>", "1") \
                .replace("<contribution_id>", task_id).replace("<int:plan_id>", str(plan["id"]))
            for sent in ({}, {"csrf_token": "not-the-session-s-token"}):
                answer = person.http.post(path, data={**sent, "action": "launch", "template": "qng-249-kh-bcd138",
                                                      "summary": "giả mạo"}, base_url="https://localhost")
                assert answer.status_code == 403, (path, sent, answer.status_code)
        assert person.get("/api/v1/me").status_code == 200  # the forged sign-out did not sign them out
    assert auditor.get("/api/v1/audit?limit=1000").get_json()["events"] == before


def test_launching_a_plan_numbered_as_one_launched_already_asks_to_confirm_it_on_the_page(as_user):
    coordinator = page_client(as_user, "dieuphoi")
    form = {"csrf_token": coordinator.csrf, **PLAN_249, "action": "launch", "relevant_units": "QNG-STTTT"}
    assert coordinator.post("/plans/new", data=form).status_code == 302
    again = coordinator.post("/plans/new", data=form)
    page = again.get_data(as_text=True)
    assert again.status_code == 422
    assert "đã được khởi chạy" in page and "(allow_duplicate_symbol)" not in page  # said in words, not an API flag
    assert 'name="allow_duplicate_symbol"' in page  # the box to confirm a second plan, beside the preview
    confirmed = coordinator.post("/plans/new", data={**form, "allow_duplicate_symbol": "1"})
    assert confirmed.status_code == 302
    assert as_user("dieuphoi").get("/api/v1/plans").get_json()["total"] == 2


def test_an_address_no_page_serves_answers_a_browser_with_the_error_page_and_the_api_with_a_problem(as_user):
    person = page_client(as_user, "congan")
    page = person.get("/khong-co-trang-nay", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "Không có gì ở đây, hoặc bạn không có quyền xem." in page.get_data(as_text=True)
    api = person.get("/api/v1/khong-co", headers={"Accept": "text/html,*/*"})
    assert api.status_code == 404 and api.mimetype == "application/problem+json"
    wrong_method = person.send("delete", "/plans", headers={"Accept": "text/html"})
    assert wrong_method.status_code == 405 and wrong_method.mimetype == "text/html"
