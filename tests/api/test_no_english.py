"""Vietnamese everywhere a person reads: every page of the web blueprint, as each demo person sees it, and the
API's error answers read with ``Accept-Language: vi`` hold no English sentence and no time printed in UTC.

The world is the demo's, played once for the module (tests/api/demo_world.py); the detector is
tests/api/english.py (its own tests: tests/unit/test_english_detector.py). The pages come from the app's own
routes, so a page added later is read too, or the test says which one it cannot fill.
"""
from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import pytest

from .conftest import Client
from .demo_world import PEOPLE, USER_NAMES, World, body_names, world  # noqa: F401 - world: a fixture
from .english import english_sentences, utc_times, visible_text

#: GET routes of the pages that are not pages to read, and why.
NOT_PAGES = {
    "web.home": "a redirect to /work",
    "web.language": "the language switch: a redirect",
    "web.evidence_file": "the file someone uploaded, as they uploaded it",
    "web.instance_diagram": "the BPMN XML the diagram viewer draws (machine content; its labels are read on "
                            "the instance page)",
    "web.api_docs": "Swagger UI drawing the OpenAPI document: the API's machine description, in English for "
                    "programmers (its shell page holds no text of its own)",
}


def _plan_paths(world: World, person: Client) -> dict[str, list[str]]:
    """The addresses of the pages of plans, instances, tasks and templates, as ``person`` finds them."""
    plans = [plan["id"] for plan in person.get("/api/v1/plans?per_page=100").get_json()["plans"]]
    instances = []
    for plan_id in plans:
        for item in person.get(f"/api/v1/plans/{plan_id}").get_json()["items"]:
            instances += [instance["id"] for instance in item["instances"][:2]]
    rows = person.get("/api/v1/tasks?status=any&per_page=200").get_json()["tasks"] \
        if person.get("/api/v1/tasks?per_page=1").status_code == 200 else []
    tasks = {(row["element_id"], row["status"], row["deadline_status"]): row["id"] for row in rows}
    templates = [entry["key"] for entry in person.get("/api/v1/templates").get_json()]
    return {
        "web.work": ["/work"] + [f"/work?plan={plan_id}" for plan_id in plans],
        "web.plan": [f"/plans/{plan_id}" for plan_id in world.ids["plans"]],
        "web.plan_reporting": [f"/plans/{plan_id}/reporting" for plan_id in world.ids["plans"]],
        "web.plan_report": [f"/plans/{plan_id}/report" for plan_id in world.ids["plans"]],
        "web.instance": [f"/instances/{instance}" for instance in sorted(set(instances))[:24]],
        "web.task": [f"/tasks/{task}" for task in tasks.values()],
        "web.template_view": [f"/templates/{key}" for key in templates],
        "web.launch": ["/plans/new"] + [f"/plans/new?template={key}" for key in templates],
    }


#: The pages whose addresses need no id of the world's, with the variants of their query.
PLAIN_PAGES = {
    "web.plan_list": ["/plans"],
    "web.notice_list": ["/notices", "/notices?unread=1", "/notices?saved=1&marked=2"],
    "web.template_list": ["/templates"],
    "web.template_draft": ["/templates/draft"],
    "web.audit_page": ["/audit", "/audit?verify=1"],
    "web.admin_home": ["/admin"],
    "web.extension_list": ["/extensions", "/extensions?status=all"],
    "web.admin_provinces": ["/admin/provinces"],
    "web.admin_province": ["/admin/provinces/QNG", "/admin/provinces/LDG"],
    "web.admin_agencies": ["/admin/agencies", "/admin/agencies?province=LDG"],
    "web.admin_agency": ["/admin/agencies/QNG-CA", "/admin/agencies/LDG-SNV", "/admin/agencies/QNG-BCD138"],
    "web.admin_people": ["/admin/people"],
    "web.admin_person": ["/admin/people/congan", "/admin/people/canbo.moi", "/admin/people/dieuphoi.ldg"],
    "web.import_people": ["/admin/people/import"],
    "web.import_agencies": ["/admin/agencies/import"],
    "web.export_people": ["/admin/people/export?format=csv"],
    "web.export_agencies": ["/admin/agencies/export?format=csv"],
}
#: The pages read before signing in.
OPEN_PAGES = {"web.login": ["/login", "/login?next=/plans"], "web.set_password": ["/invitations/{invitation}"]}


def _addresses(world: World, username: str) -> dict[str, list[str]]:
    found = dict(PLAIN_PAGES)
    found.update(_plan_paths(world, world.people[username]))
    found["web.template_draft_review"] = [f"/templates/drafts/{world.ids['draft']}"]
    found["web.template_draft_yaml"] = [f"/templates/drafts/{world.ids['draft']}/template.yaml"]
    return found


#: The names of the directory's bodies, read as names like the user names (``demo_world.body_names``).
BODY_NAMES: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def _bodies(world):
    BODY_NAMES[:] = body_names(world.app)


def _findings(text: str) -> list[str]:
    for name in BODY_NAMES:
        if name in text:
            text = text.replace(name, "Cơ quan")
    return [f"English: {sentence!r}" for sentence in english_sentences(text, USER_NAMES)] + \
        [f"UTC time: {time!r}" for time in utc_times(text)]


def _read(answer) -> str:
    if answer.mimetype == "text/html":
        return visible_text(answer.get_data(as_text=True))
    if answer.mimetype == "application/x-yaml":  # read as the draft page's YAML box is: comments and values
        return visible_text(f"<textarea>{html.escape(answer.get_data(as_text=True))}</textarea>")
    if answer.mimetype == "text/csv":  # the header row: the rows are the directory's data
        return answer.get_data(as_text=True).lstrip("\ufeff").splitlines()[0].replace(",", "\n")
    if answer.is_json:
        body = answer.get_json()
        return "\n".join(str(body.get(key, "")) for key in ("title", "detail")) if isinstance(body, dict) else ""
    raise AssertionError(f"{answer.mimetype}: say how a person reads it, or list its page in NOT_PAGES")


@pytest.fixture(scope="module")
def readings(world):
    """Every page as each person reads it: (person, endpoint, address, status, what is English or in UTC)."""
    read = []
    for username in PEOPLE:
        person = world.people[username]
        for endpoint, paths in _addresses(world, username).items():
            for path in paths:
                answer = person.get(path)
                if answer.status_code in (301, 302, 303):  # a browser follows it: nobody reads the answer
                    read.append((username, endpoint, path, answer.status_code, []))
                    continue
                read.append((username, endpoint, path, answer.status_code, _findings(_read(answer))))
    anonymous = world.person(None)
    for endpoint, paths in OPEN_PAGES.items():
        for path in paths:
            answer = anonymous.get(path.format(**world.ids))
            read.append((None, endpoint, path, answer.status_code, _findings(_read(answer))))
    return read


TEMPLATE_249 = Path(__file__).resolve().parents[2] / "workflows" / "templates" / "qng-249-kh-bcd138.yaml"


def _refused_forms(world: World):
    """Forms sent back with what is wrong: (who, the page, the answer). Nothing of them is kept."""
    coordinator, lead, admin = world.people["dieuphoi"], world.people["congan"], world.people["quantri"]
    report = _open_task(lead, "report_result", "7")
    yield "dieuphoi", "/plans/new (năm 0)", coordinator.post("/plans/new", data={
        "csrf_token": coordinator.csrf, "template": "qng-ke-hoach-trien-khai", "issuer": "QNG-CA", "number": "12",
        "year": "0", "action": "preview"})
    yield "dieuphoi", "/plans/new (đã ban hành)", coordinator.post("/plans/new", data={
        "csrf_token": coordinator.csrf, "template": "qng-249-kh-bcd138", "relevant_units": "QNG-STTTT",
        "action": "launch"})
    yield "dieuphoi", "/plans/new (cơ quan không có)", coordinator.post("/plans/new", data={
        "csrf_token": coordinator.csrf, "template": "qng-249-kh-bcd138", "relevant_units": "QNG-KHONGCO",
        "action": "preview"})
    yield "congan", "/tasks/… (thiếu tóm tắt)", lead.post(f"/tasks/{report['id']}", data={
        "csrf_token": lead.csrf, "summary": "  "})
    yield "congan", "/tasks/… (sản phẩm không có)", lead.post(f"/tasks/{report['id']}", data={
        "csrf_token": lead.csrf, "summary": "Đã làm", "outputs_done": "Một sản phẩm không có trong kế hoạch"})
    yield "congan", "/tasks/… (minh chứng không có)", lead.post(f"/tasks/{report['id']}", data={
        "csrf_token": lead.csrf, "summary": "Đã làm", "evidence": "0" * 32})
    broken = TEMPLATE_249.read_text(encoding="utf-8").replace("    lead: QNG-STTTT\n", "    lead: QNG-KHONGCO\n", 1)
    yield "dieuphoi", "/templates (mẫu sai)", coordinator.post("/templates", data={
        "csrf_token": coordinator.csrf, "file": (io.BytesIO(broken.encode()), "249-sua.yaml")},
        content_type="multipart/form-data")
    yield "dieuphoi", "/templates (không phải YAML)", coordinator.post("/templates", data={
        "csrf_token": coordinator.csrf, "file": (io.BytesIO(b"items: [: x"), "hong.yaml")},
        content_type="multipart/form-data")
    yield "quantri", "/admin/people/import (dòng sai)", admin.post("/admin/people/import", data={
        "csrf_token": admin.csrf, "file": (io.BytesIO("username,roles,agency\n,vua,QNG-KHONGCO\n".encode()),
                                           "nguoi.csv")}, content_type="multipart/form-data")
    yield "dieuphoi", "/templates/draft (không phải kế hoạch)", coordinator.post("/templates/draft", data={
        "csrf_token": coordinator.csrf, "file": (io.BytesIO("Một bài báo.\nKhông có gì.".encode()), "bai-bao.txt")},
        content_type="multipart/form-data")
    yield None, "/login (sai mật khẩu)", _wrong_sign_in(world)
    yield "congan", "/khong-co-trang-nay", lead.get("/khong-co-trang-nay")


def _wrong_sign_in(world: World):
    visitor = world.app.test_client()
    form = visitor.get("/login", base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    return visitor.post("/login", data={"csrf_token": token, "username": "congan", "password": "sai"},
                        base_url="https://localhost")


def test_a_form_sent_back_says_what_is_wrong_in_vietnamese(world):
    english = {}
    for who, page, answer in _refused_forms(world):
        assert 400 <= answer.status_code < 500, (page, answer.status_code)
        found = _findings(_read(answer))
        if found:
            english[f"{page} ({who}, {answer.status_code})"] = found
    assert english == {}, "\n".join(f"{page}: {'; '.join(found)}" for page, found in english.items())


def test_every_page_route_is_read_or_said_why_not(world):
    pages = {rule.endpoint for rule in world.app.url_map.iter_rules()
             if rule.endpoint.startswith("web.") and "GET" in rule.methods}
    read = set(PLAIN_PAGES) | set(OPEN_PAGES) | set(_addresses(world, "quantri"))
    assert pages - read - set(NOT_PAGES) == set(), "a page nobody reads here: fill its address or say why not"
    assert set(NOT_PAGES) <= pages, "a route said not to be a page is gone: take it off NOT_PAGES"


def test_every_page_is_read_by_someone_who_may_see_it(readings):
    seen = {endpoint for _, endpoint, _, status, _ in readings if status in (200, 302)}
    endpoints = {endpoint for _, endpoint, _, _, _ in readings}
    assert endpoints - seen == set(), "pages nobody could open: the test reads their refusal only"


@pytest.mark.parametrize("username", [*PEOPLE, None])
def test_every_page_reads_in_vietnamese_for(readings, username):
    english: dict[str, list[str]] = {}
    for who, _, path, status, found in readings:
        for finding in found if who == username else ():
            english.setdefault(finding, []).append(f"{path} ({status})")
    assert english == {}, "\n".join(f"{finding} on {', '.join(paths[:3])}{' …' if len(paths) > 3 else ''}"
                                     for finding, paths in english.items())


def _open_task(person: Client, element: str, item: str) -> dict:
    rows = person.get("/api/v1/tasks?per_page=200").get_json()["tasks"]
    return next(row for row in rows if row["element_id"] == element and row["item_number"] == item)


def _refusals(world: World):
    """Each way the API refuses, as (what, the status it answers, the answer)."""
    coordinator, lead, approver = world.people["dieuphoi"], world.people["congan"], world.people["pheduyet"]
    anonymous, auditor = world.person(None), world.people["kiemtra"]
    report = _open_task(lead, "report_result", "7")
    both = world.person("hai_vai")
    yield "a body that is not JSON", 400, coordinator.post("/api/v1/plans", data="{", content_type="application/json")
    yield "no sign-in", 401, anonymous.get("/api/v1/tasks")
    yield "an unknown token", 401, anonymous.get("/api/v1/tasks", headers={"Authorization": "Bearer pf_khong_co"})
    yield "a wrong password", 401, anonymous.post("/api/v1/login", json={"username": "congan", "password": "sai"})
    yield "a change without the CSRF token", 403, lead.post(
        f"/api/v1/tasks/{report['id']}/claim", headers={"X-CSRF-Token": ""})
    yield "an officer reading the audit log", 403, lead.get("/api/v1/audit")
    yield "an officer launching a plan", 403, lead.post("/api/v1/plans", json={"template": "qng-249-kh-bcd138"})
    yield "an auditor completing a task", 403, auditor.post(f"/api/v1/tasks/{report['id']}/complete",
                                                            json={"data": {"summary": "x"}})
    submitted = both.post(f"/api/v1/tasks/{_open_task(both, 'report_result', '6')['id']}/complete",
                          json={"data": {"summary": "Báo cáo của người kiêm hai vai"}})
    assert submitted.status_code == 200, submitted.get_json()
    own_review = _open_task(both, "review_result", "6")
    yield "approving one's own report (four eyes)", 403, both.post(
        f"/api/v1/tasks/{own_review['id']}/complete", json={"data": {"approved": True}})
    yield "an unknown address", 404, coordinator.get("/api/v1/khong-co")
    yield "an unknown task", 404, lead.get("/api/v1/tasks/khong-co")
    yield "another province's plan", 404, world.people["dieuphoi.ldg"].get(f"/api/v1/plans/{world.ids['plans'][0]}")
    yield "a method the address does not take", 405, coordinator.delete("/api/v1/tasks")
    claimed = lead.post(f"/api/v1/tasks/{report['id']}/claim")
    assert claimed.status_code == 200, claimed.get_json()
    yield "a task taken by a colleague", 409, both.post(f"/api/v1/tasks/{report['id']}/claim")
    yield "a task completed already", 409, approver.post(
        f"/api/v1/tasks/{_completed(world, 'pheduyet', 'review_result')}/complete", json={"data": {"approved": True}})
    yield "a body too large", 413, lead.post(f"/api/v1/tasks/{report['id']}/evidence", data={
        "file": (io.BytesIO(b"%PDF-1.4\n" + b"0" * (1100 * 1024)), "lon.pdf", "application/pdf")},
        content_type="multipart/form-data")
    yield "a file too large for evidence", 422, lead.post(f"/api/v1/tasks/{report['id']}/evidence", data={
        "file": (io.BytesIO(b"%PDF-1.4\n" + b"0" * (80 * 1024)), "lon.pdf", "application/pdf")},
        content_type="multipart/form-data")
    yield "a file of a type refused", 422, lead.post(f"/api/v1/tasks/{report['id']}/evidence", data={
        "file": (io.BytesIO(b"MZ\x90\x00"), "chay.exe", "application/octet-stream")},
        content_type="multipart/form-data")
    yield "a file whose content is not its name's", 422, lead.post(f"/api/v1/tasks/{report['id']}/evidence", data={
        "file": (io.BytesIO(b"chi la van ban"), "bao-cao.pdf", "application/pdf")}, content_type="multipart/form-data")
    yield "a missing field", 422, coordinator.post("/api/v1/plans", json={})
    yield "an unknown field", 422, coordinator.post("/api/v1/plans", json={"template": "qng-249-kh-bcd138",
                                                                          "khong_co": 1})
    yield "a field of the wrong type", 422, coordinator.post("/api/v1/plans", json={"template": 249})
    yield "a field too long", 422, coordinator.post("/api/v1/plans", json={"template": "x" * 300})
    yield "a launch with year 0", 422, coordinator.post("/api/v1/plans", json={
        "template": "qng-ke-hoach-trien-khai", "parameters": {"issuer": ["QNG-CA"], "number": "12", "year": 0}})
    yield "a plan launched already", 409, coordinator.post("/api/v1/plans", json={
        "template": "qng-249-kh-bcd138", "parameters": {"relevant_units": ["QNG-STTTT"]}})
    yield "an unknown template", 404, coordinator.post("/api/v1/plans", json={"template": "khong-co"})
    yield "a form missing its summary", 422, lead.post(f"/api/v1/tasks/{report['id']}/complete",
                                                       json={"data": {"summary": "  "}})
    yield "a form with an unknown evidence id", 422, lead.post(f"/api/v1/tasks/{report['id']}/complete", json={
        "data": {"summary": "x", "evidence": ["khong-co"]}})
    yield "a query parameter of a bad value", 422, lead.get("/api/v1/tasks?due_before=hom-qua")
    yield "a query parameter out of range", 422, lead.get("/api/v1/tasks?per_page=100000")
    yield "a query parameter of the wrong type", 422, lead.get("/api/v1/tasks?plan=x")
    yield "a status the list does not know", 422, lead.get("/api/v1/tasks?status=bogus")
    yield "an unknown query parameter", 422, lead.get("/api/v1/tasks?khong_co=1")
    yield "a query parameter to a route that takes none", 422, lead.get("/api/v1/me?khong_co=1")
    yield "handing over to someone of another agency", 422, lead.post(
        f"/api/v1/tasks/{report['id']}/hand-over", json={"to": "stttt"})
    yield "an extension to a day gone", 422, lead.post(f"/api/v1/tasks/{report['id']}/extension-requests",
                                                        json={"until": "2020-01-01", "reason": "x"})
    yield "an extension of more than a year", 422, lead.post(f"/api/v1/tasks/{report['id']}/extension-requests",
                                                              json={"until": "2030-01-01", "reason": "x"})
    yield "an extension of a bad date", 422, lead.post(f"/api/v1/tasks/{report['id']}/extension-requests",
                                                        json={"until": "2026-02-30", "reason": "x"})
    yield "refusing an extension without a reason", 422, world.people["dieuphoi.ldg"].post(
        f"/api/v1/extension-requests/{_pending_extension(world)}/decision", json={"grant": False})
    yield "inviting someone already there", 409, world.people["quantri"].post("/api/v1/people", json={
        "username": "congan", "roles": ["agency_member"], "agency": "QNG-CA"})
    yield "inviting with a role unknown", 422, world.people["quantri"].post("/api/v1/people", json={
        "username": "nguoi.moi", "roles": ["vua"]})
    yield "a template that does not validate", 422, coordinator.post(
        "/api/v1/templates/drafts", data={"file": (io.BytesIO("Một bài báo.\nKhông có gì.".encode()), "a.txt")},
        content_type="multipart/form-data")


def _completed(world: World, username: str, element: str) -> str:
    rows = world.people[username].get("/api/v1/tasks?status=completed&per_page=200").get_json()["tasks"]
    return next(row["id"] for row in rows if row["element_id"] == element)


def _pending_extension(world: World) -> int:
    listed = world.people["dieuphoi.ldg"].get("/api/v1/extension-requests?status=pending").get_json()
    return listed["extensions"][0]["id"]


@pytest.fixture(scope="module")
def refusals(world):
    return [(what, status, answer.status_code, answer.mimetype, answer.get_json(silent=True) or {})
            for what, status, answer in _refusals(world)]


def _words_of(body: dict) -> str:
    """What a person reads of a problem: its title, its detail and its messages by field (a field is named by
    its code, the name the client sent: "template: Trường này là bắt buộc.")."""
    detail = str(body.get("detail", ""))
    for field in body.get("errors") or {}:
        detail = detail.replace(f"{field}: ", "")
    said = [str(body.get("title", "")), detail]
    for messages in (body.get("errors") or {}).values():
        said += _flatten(messages)
    return "\n".join(said)


def _flatten(messages) -> list[str]:
    if isinstance(messages, dict):
        return [text for value in messages.values() for text in _flatten(value)]
    if isinstance(messages, list):
        return [text for value in messages for text in _flatten(value)]
    return [str(messages)]


def test_every_refusal_of_the_api_is_a_problem_with_its_status(refusals):
    wrong = [(what, status, got, mimetype) for what, status, got, mimetype, _ in refusals
             if got != status or mimetype != "application/problem+json"]
    assert wrong == []


def test_every_refusal_of_the_api_reads_in_vietnamese(refusals):
    english = {what: _findings(_words_of(body)) for what, _, _, _, body in refusals}
    english = {what: found for what, found in english.items() if found}
    assert english == {}, "\n".join(f"{what}: {'; '.join(found)}" for what, found in english.items())


def _without_event_data(body):
    if isinstance(body, dict):
        events = body.get("events") if isinstance(body.get("events"), list) else None
        return {key: [{k: v for k, v in event.items() if k != "data"} for event in events]
                if key == "events" and events is not None else _without_event_data(value)
                for key, value in body.items()}
    if isinstance(body, list):
        return [({k: v for k, v in row.items() if k != "data"} if isinstance(row, dict) and "action" in row
                 else _without_event_data(row)) for row in body]
    return body


#: An instant as the API writes it in UTC rather than in Vietnam's time.
UTC_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|\+00:00)")


def test_no_answer_of_the_api_gives_a_time_in_utc(world):
    """The API's times are Vietnam's (+07:00), as its pages' are: every GET route of its document, its ids
    filled with the world's. An audit event's ``data`` is left out: it is kept as it was written, hashed into
    the chain, and read by programs (the pages show its times in Vietnam's)."""
    auditor, lead = world.people["kiemtra"], world.people["congan"]
    plan = world.ids["plans"][0]
    escalated = next(item for item in lead.get(f"/api/v1/plans/{plan}").get_json()["items"] if item["number"] == "6")
    instance = escalated["instances"][0]["id"]
    task = _open_task(lead, "report_result", "7")["id"]
    ids = {"plan_id": plan, "instance_id": instance, "task_id": task, "evidence_id": world.ids["evidence"],
           "province": "QNG", "code": "QNG-CA", "key": "qng-249-kh-bcd138", "token": world.ids["invitation"]}
    document = auditor.get("/api/v1/openapi.json").get_json()
    utc, read = {}, set()
    for path, operations in document["paths"].items():
        if "get" not in operations or path.endswith(("/export", "/report", "openapi.json")):
            continue
        url = re.sub(r"\{(\w+)\}", lambda name: str(ids.get(name.group(1), name.group(0))), path)
        for person in (lead, auditor, world.people["dieuphoi"], world.people["quantri"]):
            answer = person.get(url)
            if answer.status_code == 200 and answer.is_json:
                read.add(path)
                found = UTC_INSTANT.findall(json.dumps(_without_event_data(answer.get_json())))
                if found:
                    utc[url] = found[:3]
    assert utc == {}
    assert len(read) >= 20, read
