"""Province walls: whatever another province's people ask — coordinator, officer, approver, auditor,
administrator; by the API or by the pages — they get nothing of this province's work: the very answer a thing
that does not exist gets, and no list of theirs names it. And the walls hide no province's work from its own.

The routes come from the OpenAPI document and the page routes from the application itself, so a route added
later is swept too; a route whose parameters this sweep does not know fails it until it is taught them.
"""
from __future__ import annotations

import io
import re

import pytest

from engine.model.actors import SYSTEM
from engine.services import templates, users

from .conftest import PASSWORD, Client, make_app

#: Each province's people by role, and the agency each belongs to.
PEOPLE = {
    "QNG": {"coordinator": ("dieuphoi", "QNG-BCD138"), "agency_member": ("congan", "QNG-CA"),
            "approver": ("pheduyet", "QNG-CA"), "auditor": ("qng-kiemtra", "QNG-UBND"),
            "admin": ("qng-quantri", "QNG-UBND")},
    "NDH": {"coordinator": ("ndh-dieuphoi", "NDH-BCD138"), "agency_member": ("ndh-congan", "NDH-CA"),
            "approver": ("ndh-pheduyet", "NDH-CA"), "auditor": ("ndh-kiemtra", "NDH-UBND"),
            "admin": ("ndh-quantri", "NDH-UBND")},
}
PLAN = """
key: {key}
name: Kế hoạch riêng của tỉnh {province}
document_type: plan
province: {province}
issuer: {province}-BCD138
symbol: "{{number}}/KH"
standing_body: {province}-CA
parameters:
  number: {{type: string, default: "7"}}
items:
  - number: 1
    title: Việc của Công an tỉnh, Sở TT&TT phối hợp
    process: plan_item
    lead: {province}-CA
    coordinating: [{province}-STTTT]
    schedule: {{text: "trong tháng 9/2022", window: {{month: 9, year: "2022"}}}}
  - number: 2
    title: Mỗi sở xây dựng kế hoạch riêng
    process: plan_item
    performers: [{province}-STTTT, {province}-CA]
    sub_plan: {{required: true, template: qng-ke-hoach-trien-khai}}
    schedule: {{text: "trong năm 2022", year: "2022"}}
"""
PDF = b"%PDF-1.4\n%%EOF\n"
#: Ids no row has, of the shape of each kind of id: what a thing that does not exist answers.
MISSING = {"plan_id": "999999", "item_id": "999999", "instance_id": "999999", "request_id": "999999",
           "notification_id": "999999", "token_id": "999999", "task_id": "00000000-0000-4000-8000-000000000000",
           "evidence_id": "0" * 32, "province": "ZZZ", "code": "ZZZ-KHONGCO", "username": "khong.co.ai",
           "token": "khong-co-lien-ket", "draft_id": "999999",
           "contribution_id": "00000000-0000-4000-8000-000000000001"}
#: A body each change would accept were the thing the caller's: so that only the wall can refuse it.
BODIES = {
    "/tasks/{task_id}/complete": lambda other: {"data": {"summary": "xong"}},
    "/tasks/{task_id}/hand-over": lambda other: {"to": other["colleague"]},
    "/tasks/{task_id}/waive": lambda other: {"reason": "không cần"},
    "/tasks/{task_id}/remind": lambda other: {"reason": "đề nghị gửi ý kiến"},
    "/tasks/{task_id}/extension-requests": lambda other: {"until": "2022-12-31", "reason": "cần thêm thời gian"},
    "/extension-requests/{request_id}/decision": lambda other: {"grant": False, "reason": "không"},
    "/plans/{plan_id}/report-requests": lambda other: {"agencies": [other["agency"]], "due": "2022-12-31",
                                                       "subject": "x"},
    "/plans/items/{item_id}/sub-plans": lambda other: {"agency": other["agency"], "parameters": {"number": "8"}},
    "/agencies/{code}/rename": lambda other: {"name": "Tên mới"},
    "/agencies/{code}/signer": lambda other: {"title": "CHỦ TỊCH", "name": "Nguyễn Văn A"},
    "/plans/{plan_id}/report/sections": lambda other: {"assessment": "Đánh giá chung"},
    "/agencies/{code}/merge": lambda other: {"codes": [other["agency"].replace("-CA", "-STTTT")]},
    "/people/{username}": lambda other: {"display_name": "Tên mới"},
    "/invitations/{token}": lambda other: {"password": "mật khẩu đủ dài"},
}

#: A plan document each province's coordinator drafts a template from (the draft is the province's own work).
DOCUMENT = ("UBND TỈNH {name} CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 7/KH-UBND\n{name_title}, ngày 2 tháng 5 năm 2022\n"
            "KẾ HOẠCH\nPhòng ngừa vi phạm pháp luật trên không gian mạng\nII. NỘI DUNG\n1. Tuyên truyền pháp luật\n"
            "(Công an tỉnh chủ trì thực hiện trong tháng 9/2022)\n")
NAMES = {"QNG": "QUẢNG NGÃI", "NDH": "NAM ĐỊNH"}


def build_province(app, province: str) -> dict:
    """Province ``province``'s people, a plan of its own with a task, a contribution, an evidence file, an
    extension request and the notices it sends; what of it another province must never learn (the template
    is a public document: what marks the plan is its number, its files, its requests)."""
    marker = f"BIMAT-{province}"
    with app.app_context():
        from frontdoor.context import clock, unit_of_work
        for role, (name, agency) in PEOPLE[province].items():
            if name not in ("dieuphoi", "congan", "pheduyet"):
                users.add_user(unit_of_work(), clock(), SYSTEM, name, PASSWORD, [role], agency)
        templates.register_template(unit_of_work(), clock(), SYSTEM,
                                    PLAN.format(key=f"walls-{province.lower()}", province=province),
                                    f"walls-{province}.yaml")
    coordinator, member = (PEOPLE[province][role][0] for role in ("coordinator", "agency_member"))
    plan = session(app, coordinator).post("/api/v1/plans", json={"template": f"walls-{province.lower()}",
                                                                 "parameters": {"number": marker}})
    assert plan.status_code == 201, plan.get_json()
    plan = plan.get_json()
    worker = session(app, member)
    lead = next(task for task in worker.get("/api/v1/tasks").get_json()["tasks"] if task["lane"] == "lead")
    instance = worker.get(f"/api/v1/instances/{lead['instance_id']}").get_json()
    contribution = next(task for task in instance["open_tasks"] if task["lane"] == "coordinating")
    evidence = worker.post(f"/api/v1/tasks/{lead['id']}/evidence", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(PDF), f"bien-ban-{marker}.pdf", "application/pdf")}).get_json()
    extension = worker.post(f"/api/v1/tasks/{lead['id']}/extension-requests",
                            json={"until": "2022-12-31", "reason": f"cần thêm thời gian {marker}"}).get_json()
    written = session(app, coordinator).send("put", f"/api/v1/plans/{plan['id']}/report/sections",
                                             json={"assessment": f"Đánh giá {marker}"})
    assert written.status_code == 200, written.get_json()
    notice = session(app, coordinator).get("/api/v1/notifications").get_json()["notifications"][0]
    drafting = session(app, coordinator)
    drafted = drafting.post("/templates/draft", content_type="multipart/form-data", data={
        "file": (io.BytesIO(DOCUMENT.format(name=NAMES[province], name_title=NAMES[province].title()).encode()), f"ke-hoach-{marker}.txt"),
        "csrf_token": drafting.csrf})
    assert drafted.status_code == 302, drafted.get_data(as_text=True)[:500]
    token = worker.get("/api/v1/tokens").get_json()[0]
    ids = {"plan_id": str(plan["id"]), "item_id": str(plan["items"][1]["id"]), "task_id": lead["id"],
           "province": province, "code": f"{province}-CA", "username": PEOPLE[province]["approver"][0],
           "token": "khong-co-lien-ket",
           "instance_id": str(lead["instance_id"]), "evidence_id": evidence["id"], "request_id": str(extension["id"]),
           "notification_id": str(notice["id"]), "token_id": str(token["id"]), "contribution_id": contribution["id"],
           "draft_id": drafted.headers["Location"].rstrip("/").rsplit("/", 1)[-1]}
    # What only this province's own people can know: the marks of its plan, files and requests, and the id of
    # a task no request of the sweep names (ids a request names are echoed by refusals and recorded in the
    # asker's own refused changes, so those are checked by the answers to the requests instead).
    secrets = {marker, plan["symbol"], f"bien-ban-{marker}", contribution["id"], f"ke-hoach-{marker}"}
    return {"ids": ids, "secrets": secrets, "contribution": contribution["id"], "agency": f"{province}-CA",
            "colleague": PEOPLE[province]["approver"][0]}


def session(app, username: str) -> Client:
    """A person signed in on the API with a session, as the pages are (and a token for what needs one)."""
    client = Client(app, username, session=True)
    client.send("post", "/api/v1/tokens", json={"name": "walls"})
    return client


@pytest.fixture(scope="module")
def walled(databases, seeded_database, tmp_path_factory):
    """Two provinces side by side, each with its own people and its own work."""
    from engine.model.clock import FixedClock, parse_instant
    folder = tmp_path_factory.mktemp("walls")
    app = make_app(databases.copy(seeded_database, folder, "walls"), folder / "evidence",
                   FixedClock(parse_instant("2022-06-01T08:00+07:00")))
    provinces = {province: build_province(app, province) for province in ("QNG", "NDH")}
    yield app, provinces
    app.extensions["planflow"].database.dispose()


def api_routes(app) -> list[tuple[str, str]]:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    return [(method, path.removeprefix("/api/v1")) for path, operations in document["paths"].items()
            for method in operations if method in ("get", "post", "put", "patch", "delete")]


def fill(path: str, ids: dict) -> str:
    unknown = set(re.findall(r"\{(\w+)\}", path)) - set(ids)
    assert not unknown, f"the sweep does not know the parameters {unknown} of {path}: teach it"
    return re.sub(r"\{(\w+)\}", lambda match: ids[match.group(1)], path)


def ask(client: Client, method: str, path: str, ids: dict, other: dict):
    url = "/api/v1" + fill(path, ids)
    if path.endswith("/evidence") and method == "post":
        return client.send(method, url, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(PDF), "a.pdf", "application/pdf")})
    if method == "get":
        return client.get(url)
    return client.send(method, url, json=BODIES[path](other) if path in BODIES else {})

def leaked(response, secrets: set[str]) -> set[str]:
    """The secrets an answer gives away (an id the request itself named is echoed by a refusal: not a leak)."""
    body, asked = response.get_data().decode("utf-8", "replace"), response.request.path  # a download may be binary
    return {secret for secret in secrets if secret in body and secret not in asked}


@pytest.mark.parametrize("role", list(PEOPLE["NDH"]))
@pytest.mark.parametrize("mine, theirs", [("NDH", "QNG"), ("QNG", "NDH")])
def test_another_province_s_work_answers_as_if_it_did_not_exist_on_every_api_route(walled, role, mine, theirs):
    app, provinces = walled
    client = session(app, PEOPLE[mine][role][0])
    other = provinces[theirs]
    for method, path in api_routes(app):
        if path in ("/login", "/logout", "/tokens") or path.startswith("/templates"):
            continue  # one's own session and tokens; templates are public documents of every province
        if "{" in path:
            theirs_answer = ask(client, method, path, other["ids"], other)
            nobody_s = ask(client, method, path, MISSING, other)
            assert theirs_answer.status_code == nobody_s.status_code, (role, method, path,
                                                                       theirs_answer.get_json())
            assert theirs_answer.status_code >= 400, (role, method, path)
        else:
            theirs_answer = ask(client, method, path, {}, other)
        assert not leaked(theirs_answer, other["secrets"]), (role, method, path, leaked(theirs_answer,
                                                                                          other["secrets"]))


PAGES_WITH_IDS = ["/plans/{plan_id}", "/plans/{plan_id}/report", "/plans/{plan_id}/reporting",
                  "/tasks/{task_id}", "/evidence/{evidence_id}", "/instances/{instance_id}",
                  "/instances/{instance_id}/diagram.bpmn", "/admin/provinces/{province}", "/admin/agencies/{code}",
                  "/admin/people/{username}", "/templates/drafts/{draft_id}",
                  "/templates/drafts/{draft_id}/template.yaml"]
LIST_PAGES = ["/work", "/plans", "/extensions?status=all", "/audit", "/templates", "/templates/draft", "/plans/new", "/admin/provinces",
              "/admin/agencies", "/admin/people", "/admin/people/import", "/admin/agencies/import"]
#: What takes its province from the query rather than the path: imports and exports, by the API and the pages.
ACROSS = ["/api/v1/people/export", "/api/v1/agencies/export", "/admin/people/export", "/admin/agencies/export",
          "/api/v1/people/import", "/api/v1/agencies/import", "/admin/people/import", "/admin/agencies/import"]


def test_the_sweep_covers_every_page_that_takes_an_id(walled):
    app, _ = walled
    with_ids = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
                if rule.endpoint.startswith("web.") and "<" in rule.rule and "GET" in rule.methods}
    # A notice is its reader's own: another person's, of any province, answers 404 (tests/api/test_notices.py).
    assert with_ids - {"/language/{code}", "/templates/{key}", "/invitations/{token}",
                       "/notices/{notification_id}/open"} == set(PAGES_WITH_IDS)


@pytest.mark.parametrize("role", list(PEOPLE["NDH"]))
@pytest.mark.parametrize("mine, theirs", [("NDH", "QNG"), ("QNG", "NDH")])
def test_another_province_s_work_is_on_no_page(walled, role, mine, theirs):
    app, provinces = walled
    client = session(app, PEOPLE[mine][role][0])
    other = provinces[theirs]
    for page in PAGES_WITH_IDS:
        theirs_answer, nobody_s = client.get(fill(page, other["ids"])), client.get(fill(page, MISSING))
        assert theirs_answer.status_code == nobody_s.status_code == 404, (role, page, theirs_answer.status_code)
        assert not leaked(theirs_answer, other["secrets"]), (role, page)
    form = {"summary": "x", "csrf_token": client.csrf}
    posted = client.post(fill("/tasks/{task_id}", other["ids"]), data=form)
    assert posted.status_code == client.post(fill("/tasks/{task_id}", MISSING), data=form).status_code
    assert posted.status_code in (403, 404) and not leaked(posted, other["secrets"])  # 403: auditors change nothing
    for page in LIST_PAGES:
        answer = client.get(page)
        assert answer.status_code in (200, 403), (role, page, answer.status_code)
        assert not leaked(answer, other["secrets"]), (role, page, leaked(answer, other["secrets"]))


def page_forms(app) -> list[str]:
    """The pages' actions that only take a form (POST) on a thing named in their path."""
    return sorted(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
                  if rule.endpoint.startswith("web.") and "<" in rule.rule and "GET" not in rule.methods
                  and not rule.rule.startswith(("/notices/", "/language/", "/invitations/")))


@pytest.mark.parametrize("role", list(PEOPLE["NDH"]))
@pytest.mark.parametrize("mine, theirs", [("NDH", "QNG"), ("QNG", "NDH")])
def test_the_pages_forms_do_nothing_to_another_province_s_work(walled, role, mine, theirs):
    app, provinces = walled
    client = session(app, PEOPLE[mine][role][0])
    other = provinces[theirs]
    forms = page_forms(app)
    assert "/tasks/{task_id}/contributions/{contribution_id}/remind" in forms
    form = {"csrf_token": client.csrf, "reason": "nhắc", "to": other["colleague"], "until": "2022-12-31",
            "decision": "grant"}
    for path in forms:
        theirs_answer = client.post(fill(path, other["ids"]), data=form)
        nobody_s = client.post(fill(path, MISSING), data=form)
        assert theirs_answer.status_code == nobody_s.status_code, (role, path, theirs_answer.status_code)
        assert theirs_answer.status_code in (403, 404), (role, path, theirs_answer.status_code)
        assert not leaked(theirs_answer, other["secrets"]), (role, path)


@pytest.mark.parametrize("role", list(PEOPLE["NDH"]))
@pytest.mark.parametrize("mine, theirs", [("NDH", "QNG"), ("QNG", "NDH")])
def test_no_one_imports_into_or_exports_another_province(walled, role, mine, theirs):
    app, _ = walled
    client = session(app, PEOPLE[mine][role][0])
    for path in ACROSS:
        url = f"{path}?province={theirs}"
        answer = client.get(url) if path.endswith("export") else client.post(url, content_type="multipart/form-data",
            data={"file": (io.BytesIO("Tên đăng nhập\n".encode()), "a.csv"), "csrf_token": client.csrf})
        assert answer.status_code == 403, (role, path, answer.status_code)


@pytest.mark.parametrize("province", ["NDH", "QNG"])
def test_a_province_s_own_people_see_its_work(walled, province):
    app, provinces = walled
    own = provinces[province]
    ids = own["ids"]
    coordinator = session(app, PEOPLE[province]["coordinator"][0])
    assert coordinator.get(f"/api/v1/plans/{ids['plan_id']}").status_code == 200
    assert ids["task_id"] in {task["id"] for task in coordinator.get("/api/v1/tasks?per_page=200").get_json()["tasks"]}
    member = session(app, PEOPLE[province]["agency_member"][0])
    assert member.get(f"/api/v1/tasks/{ids['task_id']}").status_code == 200
    assert member.get(f"/api/v1/evidence/{ids['evidence_id']}").status_code == 200
    auditor = session(app, PEOPLE[province]["auditor"][0])
    assert auditor.get(f"/api/v1/instances/{ids['instance_id']}/history").status_code == 200
    assert ids["task_id"] in auditor.get("/api/v1/audit?limit=1000").get_data(as_text=True)
    assert coordinator.get(f"/plans/{ids['plan_id']}").status_code == 200


def test_the_nam_dinh_coordinator_gets_nothing_of_quang_ngai(walled):
    """The case found from outside: listing, reading and waiving Quảng Ngãi's work from Nam Định."""
    app, provinces = walled
    ndh = session(app, "ndh-dieuphoi")
    qng = provinces["QNG"]
    listed = ndh.get("/api/v1/tasks?per_page=200").get_json()
    assert listed["tasks"] and not leaked_ids(listed, qng)
    assert ndh.get(f"/api/v1/tasks/{qng['ids']['task_id']}").status_code == 404
    assert ndh.get(f"/api/v1/instances/{qng['ids']['instance_id']}/history").status_code == 404
    assert ndh.get(f"/api/v1/evidence/{qng['ids']['evidence_id']}").status_code == 404
    assert ndh.post(f"/api/v1/tasks/{qng['contribution']}/waive", json={"reason": "x"}).status_code == 404


def leaked_ids(listed: dict, province: dict) -> set[str]:
    return {task["id"] for task in listed["tasks"]} & {province["ids"]["task_id"], province["contribution"]}
