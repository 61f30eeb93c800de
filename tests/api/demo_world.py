"""The demo's world for reading every page: plan 249 of 2022 lived through to a completed item and a returned
report, Lâm Đồng's plan of 2026, and what the demo leaves out added on top (a report waiting for approval with
its file, an extension asked, a draft read from a document, an invitation not yet opened, a person holding two
roles); its people signed in, reading Vietnamese."""
from __future__ import annotations

import io

import pytest

from engine.model.actors import SYSTEM
from engine.model.clock import FixedClock, parse_instant
from engine.services import users
from engine.store import Database, UnitOfWork
from seed import demo_2026
from seed.demo import AS_OF, load_demo, seed_clock
from seed.loader import DEMO_USERS, load_seed
from server import create_app

from .conftest import PASSWORD, Client

#: The demo's people of every role, and Lâm Đồng's coordinator, administrator, officer and approver of 2026.
PEOPLE = ("dieuphoi", "congan", "stttt", "pheduyet", "kiemtra", "quantri", "dieuphoi.ldg", "quantri.ldg",
          "canbo.snv", "pheduyet.snv")
#: User names: ids, written as they are.
USER_NAMES = frozenset([name for name, *_ in DEMO_USERS] + [name for name, *_ in demo_2026.PEOPLE]
                       + ["quantri.ldg", "dieuphoi.ldg", "hai_vai", "canbo.moi"])
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
DRAFT = ("UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 31/KH-UBND\n"
         "Quảng Ngãi, ngày 2 tháng 3 năm 2023\nKẾ HOẠCH\nTuyên truyền pháp luật năm 2023\n"
         "II. NỘI DUNG THỰC HIỆN\n1. Tuyên truyền trên báo chí\n"
         "(Sở Thông tin Truyền thông chủ trì, Công an tỉnh phối hợp thực hiện trong tháng 4/2023)\n"
         "IV. TỔ CHỨC THỰC HIỆN\n1. Giao Công an tỉnh là cơ quan thường trực.\n")


class World:
    """The module's app, its people signed in, and the ids its pages are filled with."""

    def __init__(self, app) -> None:
        self.app = app
        self.people = {username: self.person(username) for username in PEOPLE}
        self.ids: dict[str, object] = {}

    def person(self, username: str | None, language: str = "vi") -> Client:
        return Client(app=self.app, username=username, session=username is not None, language=language)


@pytest.fixture(scope="module")
def world(databases, empty_schema, tmp_path_factory):
    folder = tmp_path_factory.mktemp("vietnamese")
    url = databases.copy(empty_schema, folder, "demo")
    database = Database(url)
    uow, clock = UnitOfWork(database.sessions), FixedClock(parse_instant(AS_OF))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANFLOW_DEMO_PASSWORD", PASSWORD)
        load_seed(uow, seed_clock(uow, clock), lambda _: None)
        load_demo(uow, lambda _: None)
    users.add_user(uow, clock, SYSTEM, "hai_vai", PASSWORD, ["agency_member", "approver"], "QNG-CA",
                   "Cán bộ kiêm lãnh đạo Công an tỉnh")
    database.dispose()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "test-secret", "CLOCK": clock, "TESTING": True,
                      "EVIDENCE_DIR": str(folder / "evidence"), "EVIDENCE_MAX_BYTES": 64 * 1024,
                      "SESSION_COOKIE_SECURE": True})
    made = World(app)
    _add_what_the_demo_leaves_out(made)
    yield made
    app.extensions["planflow"].database.dispose()


def _add_what_the_demo_leaves_out(world: World) -> None:
    coordinator, lead = world.people["dieuphoi"], world.people["congan"]
    plans = {plan["symbol"]: plan["id"] for plan in coordinator.get("/api/v1/plans").get_json()["plans"]}
    world.ids["plans"] = sorted(plans.values())
    plan_249 = plans["249/KH-BCD138"]
    tasks = lead.get(f"/api/v1/tasks?plan={plan_249}&per_page=200").get_json()["tasks"]
    item_5 = next(task for task in tasks if task["item_number"] == "5" and task["element_id"] == "report_result")
    uploaded = lead.post(f"/api/v1/tasks/{item_5['id']}/evidence", data={
        "file": (io.BytesIO(PDF), "Dự toán kinh phí.pdf", "application/pdf")}, content_type="multipart/form-data")
    assert uploaded.status_code == 201, uploaded.get_json()
    world.ids["evidence"] = uploaded.get_json()["id"]
    sent = lead.post(f"/api/v1/tasks/{item_5['id']}/complete", json={"data": {
        "summary": "Đã bố trí 2 cán bộ chuyên trách; kinh phí từ nguồn ngân sách tỉnh năm 2022, dự toán kèm theo",
        "evidence": [uploaded.get_json()["id"]]}})
    assert sent.status_code == 200, sent.get_json()
    officer = world.people["canbo.snv"]
    duty = next(task for task in officer.get("/api/v1/tasks?per_page=200").get_json()["tasks"]
                if task["element_id"] == "report_result")
    asked = officer.post(f"/api/v1/tasks/{duty['id']}/extension-requests", json={
        "until": "2026-10-30", "reason": "Chờ số liệu tổng kết của các xã, phường"})
    assert asked.status_code == 201, asked.get_json()
    drafted = coordinator.post("/templates/draft", data={
        "csrf_token": coordinator.csrf, "file": (io.BytesIO(DRAFT.encode()), "kh-31.txt")},
        content_type="multipart/form-data")
    assert drafted.status_code == 302, drafted.get_data(as_text=True)[:300]
    world.ids["draft"] = int(drafted.headers["Location"].rsplit("/", 1)[-1].split("?")[0])
    invited = world.people["quantri"].post("/api/v1/people", json={
        "username": "canbo.moi", "roles": ["agency_member"], "agency": "QNG-CA", "display_name": "Cán bộ mới"})
    assert invited.status_code == 201, invited.get_json()
    world.ids["invitation"] = invited.get_json()["link"].rsplit("/", 1)[-1]


def body_names(app) -> list[str]:
    """The names of the directory's bodies in the world's provinces, longest first: data the directory holds, to be
    read as names (a list of communes such as "xã B'Lao, Công an tỉnh" is not a sentence to judge)."""
    with app.app_context():
        from engine.services import directory
        from frontdoor.context import unit_of_work
        return sorted(set(directory.agency_names(unit_of_work(), ["QNG", "LDG"]).values()), key=len, reverse=True)
