"""Checking a template drafted from a plan document in a form beside the document: the draft is kept at its own
address, each item is a fieldset, a save keeps the form whatever it holds and shows each problem at its field
in Vietnamese with the document still there, a fixed draft registers and offers its launch, and another
province's coordinator finds nothing there."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest

from .administrators import add_person
from .conftest import Client

#: A plan of Quảng Ngãi with four items; the fourth names its lead as no directory does ("Sở Thông tin Truyền
#: thông", without "và").
PLAN = ("UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 91/KH-UBND\n"
        "Quảng Ngãi, ngày 10 tháng 5 năm 2022\nKẾ HOẠCH\nTuyên truyền phòng, chống tội phạm năm 2022\n"
        "I. MỤC ĐÍCH, YÊU CẦU\nNâng cao nhận thức của nhân dân.\n"
        "II. NỘI DUNG THỰC HIỆN\n1. Tuyên truyền trên báo chí, đài phát thanh\n"
        "(Sở Thông tin và Truyền thông chủ trì, Công an tỉnh phối hợp, thời gian trong tháng 8/2022)\n"
        "2. Tập huấn kỹ năng cho cán bộ cơ sở\n"
        "(Sở Tư pháp chủ trì, Sở Nội vụ phối hợp thực hiện trước ngày 30/9/2022)\n"
        "3. Kiểm tra việc thực hiện\n"
        "(Công an tỉnh chủ trì, các sở, ban, ngành phối hợp thực hiện thường xuyên đến hết năm 2022)\n"
        "4. Đăng tin trên cổng thông tin điện tử\n"
        "(Sở Thông tin Truyền thông chủ trì thực hiện trong tháng 10/2022)\n"
        "IV. TỔ CHỨC THỰC HIỆN\n1. Giao Công an tỉnh là cơ quan thường trực.\n")


class FormValues(HTMLParser):
    """What a browser would send of one form: its inputs, textareas and chosen options, in order."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("type") not in ("submit", "checkbox"):
            self.values.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.append((self._select, attrs.get("value") or ""))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.values.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self.inside = False


def form_of(html: str) -> list[tuple[str, str]]:
    parser = FormValues("draft-form")
    parser.feed(html)
    return parser.values


def changed(values: list[tuple[str, str]], **replaced: str) -> list[tuple[str, str]]:
    """The form's values with some fields set anew (``items_3__lead`` stands for ``items[3].lead``)."""
    names = {re.sub(r"_(\d+)__", r"[\1].", key): value for key, value in replaced.items()}
    return [(name, names.get(name, value)) for name, value in values]


def page_client(as_user, username):
    client = as_user(username, session=True)
    client.headers.pop("Accept-Language", None)  # a browser saying nothing: the pages read Vietnamese
    return client


def post_form(client, path: str, values: list[tuple[str, str]], action: str):
    from werkzeug.datastructures import MultiDict
    return client.post(path, data=MultiDict([*values, ("csrf_token", client.csrf), ("action", action)]))


@pytest.fixture
def coordinator(as_user):
    return page_client(as_user, "dieuphoi")


@pytest.fixture
def draft_path(coordinator):
    uploaded = coordinator.post("/templates/draft", content_type="multipart/form-data",
                                data={"csrf_token": coordinator.csrf,
                                      "file": (io.BytesIO(PLAN.encode()), "kh-91-tuyen-truyen.txt")})
    assert uploaded.status_code == 302, uploaded.get_data(as_text=True)
    return uploaded.headers["Location"]


def field_block(html: str, field_id: str) -> str:
    """The markup of one field of the form, from its input to the next field."""
    start = html.rfind('<div class="field', 0, html.index(f'id="{field_id}"'))
    end = html.find('<div class="field', start + 1)
    return html[start:end if end > 0 else None]


def test_an_uploaded_plan_is_kept_and_opens_as_a_form_of_its_items(coordinator, draft_path):
    assert re.fullmatch(r"/templates/drafts/\d+", draft_path)
    html = coordinator.get(draft_path).get_data(as_text=True)
    assert html.count('<fieldset class="item') == 4
    assert "Tập huấn kỹ năng cho cán bộ cơ sở</textarea>" in html
    values = dict(form_of(html))
    assert (values["items[0].lead"], values["items[1].lead"], values["items[1].coordinating"]) == \
        ("QNG-STTTT", "QNG-STP", "QNG-SNV")
    assert (values["items[1].when"], values["items[1].deadline"]) == ("deadline", "2022-09-30")
    assert (values["items[2].when"], values["items[2].coordinating"]) == ("continuous", "groups:departments")
    assert values["items[3].lead"] == "Sở Thông tin Truyền thông"  # the name as written, not in the directory
    assert values["issuer"] == "QNG-UBND" and values["issued_on"] == "2022-05-10"
    assert 'id="para-9"' in html and "(Sở Tư pháp chủ trì" in html  # the document beside the form
    assert 'data-paragraph="11"' in field_block(html, "f-items-1-lead")  # "from the document": its sentence
    assert "không có trong danh mục" in field_block(html, "f-items-3-lead")  # flagged at its own field


def test_a_save_with_a_wrong_field_shows_the_problem_in_vietnamese_at_that_field_and_keeps_the_document(
        coordinator, draft_path):
    values = changed(form_of(coordinator.get(draft_path).get_data(as_text=True)),
                     items_1__title="Tập huấn kỹ năng tuyên truyền", items_1__month="13", items_1__when="window")
    saved = post_form(coordinator, draft_path, values, "save")
    assert saved.status_code == 422
    html = saved.get_data(as_text=True)
    lead = field_block(html, "f-items-3-lead")
    assert "không phải là mã cơ quan" in lead and "is not an agency code" not in html
    assert "từ 1 đến 12" in field_block(html, "f-items-1-schedule")
    assert 'id="para-9"' in html and "(Sở Tư pháp chủ trì" in html
    again = dict(form_of(coordinator.get(draft_path).get_data(as_text=True)))  # kept, though not valid
    assert (again["items[1].title"], again["items[1].month"]) == ("Tập huấn kỹ năng tuyên truyền", "13")


def test_a_fixed_draft_registers_and_offers_to_launch_the_plan(coordinator, draft_path):
    values = changed(form_of(coordinator.get(draft_path).get_data(as_text=True)), items_3__lead="QNG-STTTT",
                     items_0__title="Tuyên truyền trên báo, đài")
    registered = post_form(coordinator, draft_path, values, "register")
    assert registered.status_code == 302, registered.get_data(as_text=True)
    html = coordinator.get(registered.headers["Location"]).get_data(as_text=True)
    key = re.search(r"Đã đăng ký mẫu ([a-z0-9-]+) \(phiên bản 1\)", html).group(1)
    assert f'href="/plans/new?template={key}"' in html  # "Khởi chạy kế hoạch", with this template chosen
    template = coordinator.get(f"/api/v1/templates/{key}").get_json()
    assert [(item["number"], item["lead"]["agency"]) for item in template["items"]] == \
        [("1", "QNG-STTTT"), ("2", "QNG-STP"), ("3", "QNG-CA"), ("4", "QNG-STTTT")]
    assert template["items"][0]["title"] == "Tuyên truyền trên báo, đài"
    launch = coordinator.get(f"/plans/new?template={key}").get_data(as_text=True)
    assert "Tuyên truyền trên báo, đài" in launch


def test_the_expert_yaml_downloads_and_a_broken_one_is_refused_at_its_line(coordinator, draft_path):
    download = coordinator.get(draft_path + "/template.yaml")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert "lead: QNG-STTTT" in download.get_data(as_text=True)
    refused = coordinator.post(draft_path, data={"csrf_token": coordinator.csrf, "action": "register_yaml",
                                                 "yaml": "key: x\nname: [\n"})
    assert refused.status_code == 422 and "dòng" in refused.get_data(as_text=True)


def test_another_provinces_coordinator_and_an_officer_find_no_draft(app, as_user, coordinator, draft_path):
    add_person(app, "dieuphoi.ldg", ["coordinator"], "LDG-SNV")
    for username in ("dieuphoi.ldg", "congan"):
        other = Client(app, username, language=None)
        assert other.get(draft_path).status_code == 404, username
        assert other.get(draft_path + "/template.yaml").status_code == 404, username
        assert other.post(draft_path, data={"action": "save"}).status_code == 404, username
    assert coordinator.get(draft_path).status_code == 200
