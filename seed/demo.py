"""``planflow seed --demo``: two eras, so a newcomer sees planflow moving in both: plan 249/KH-BCD138 of Quảng
Ngãi launched in 2022 and lived through with the bodies of 2022 (below), then Lâm Đồng as it is since the 2025
reform brought on board in January 2026 with its plan of 2026 (``seed/demo_2026.py``).

The seed plans are dated 2021–2024; launched today they would be overdue at
once. The demo launches plan 249 on the day after it was issued and plays,
with the demo users and the engine's clock set to each day, what its
agencies did until the morning of 1 October 2022:

* item 4 (due in September): Sở TT&TT contributes, Công an tỉnh reports, the
  standing body returns it with a reason, the report is completed and
  approved: completed on time, with a return in its history;
* item 5 (due in October): reported, and returned the day before; the lead's
  task waits with the reason;
* item 6 (due in July): never reported, so it is overdue and escalated;
* the other items (continuous duties to the end of 2022, item 7 due in
  November) are in progress; nobody reports them after that morning, so by 2026 they are overdue, escalated
  on the morning Lâm Đồng comes on board (the first day the demo's engine runs after 1 October 2022).

Serve with ``PLANFLOW_NOW`` set to the same morning to see it as of then.
The seed loaded with it is stamped the morning before the launch
(``seed_clock``), so that the audit log's times run forward and a fresh
demo verifies.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Callable

from engine.errors import Invalid
from engine.i18n import t
from engine.model.actors import Actor
from engine.model.clock import Clock, FixedClock, parse_instant
from engine.model.tasks import WorklistFilter
from engine.model.actors import SYSTEM
from engine.services import agencies, audit, launches, plans, processes, reminders, report_texts, tasks, worklists
from seed import demo_2026
from seed.loader import demo_password

if TYPE_CHECKING:
    from engine.store import UnitOfWork

#: The morning the demo stops at unless told otherwise: both eras played, plan 249 of 2022 and Lâm Đồng's plan of
#: 2026 (seed/demo_2026.py). Stopped at 2022-10-01, it is plan 249's first months alone.
AS_OF = "2026-10-01T08:00+07:00"
KEY = "demo-qng-249-2022"
#: The demo's first morning (the day after the plan was issued), and the morning before it, when the seed is
#: loaded beside the demo: the audit log's times then run forward, the seed's events before the demo's.
LAUNCHED = "2022-05-26T08:00+07:00"
SEEDED = "2022-05-25T08:00+07:00"

COORDINATOR = Actor("dieuphoi", "QNG-BCD138", frozenset({"coordinator"}), "QNG")
LEAD = Actor("congan", "QNG-CA", frozenset({"agency_member"}), "QNG")
PARTNER = Actor("stttt", "QNG-STTTT", frozenset({"agency_member"}), "QNG")
APPROVER = Actor("pheduyet", "QNG-CA", frozenset({"approver"}), "QNG")

#: What the agencies did, day by day: (the morning, who, the item, the task, what they sent).
STORY = (
    ("2022-09-05T09:00+07:00", PARTNER, "4", "contribute", {"contribution": {
        "summary": "Sở TT&TT cung cấp danh sách 12 trang tin điện tử cần theo dõi"}}),
    ("2022-09-12T14:00+07:00", LEAD, "4", "report_result",
     {"summary": "Đã tổ chức tọa đàm tại Công an tỉnh và Sở TT&TT"}),
    ("2022-09-14T10:00+07:00", APPROVER, "4", "review_result",
     {"approved": False, "return_reason": "Bổ sung danh sách đơn vị tham gia và biên bản tọa đàm"}),
    ("2022-09-20T15:00+07:00", LEAD, "4", "report_result",
     {"summary": "Đã tổ chức tọa đàm tại Công an tỉnh, Sở TT&TT và Báo Quảng Ngãi; kèm danh sách 3 đơn vị và "
                 "biên bản"}),
    ("2022-09-22T09:00+07:00", APPROVER, "4", "review_result", {"approved": True, "comment": "Đạt yêu cầu"}),
    ("2022-09-28T16:00+07:00", LEAD, "5", "report_result",
     {"summary": "Đã bố trí 2 cán bộ chuyên trách và kinh phí năm 2022"}),
    ("2022-09-30T10:00+07:00", APPROVER, "5", "review_result",
     {"approved": False, "return_reason": "Nêu rõ nguồn kinh phí và dự toán chi tiết"}),
)


#: When the coordinator writes the report's own parts, after the last step of the story.
REPORT_WRITTEN = "2022-09-30T16:00+07:00"
#: Who signs the standing body's reports in the demo: an illustrative name, not a real official's.
DEMO_SIGNER = ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "Nguyễn Văn Minh")
#: The report's written parts as a coordinator would write them at the end of September 2022.
REPORT_TEXTS = {
    "assessment": "Các cơ quan, đơn vị đã chủ động triển khai Kế hoạch, bám sát nội dung được giao; các hoạt động "
                  "tuyên truyền, tọa đàm về phòng, chống vi phạm pháp luật trên không gian mạng được tổ chức đúng "
                  "tiến độ.\nCông tác phối hợp giữa Công an tỉnh với Sở Thông tin và Truyền thông bước đầu phát huy "
                  "hiệu quả.",
    "shortcomings": "Một số nội dung còn chậm so với thời hạn, nhất là việc bố trí nguồn lực và kinh phí.\nMột số "
                    "cơ quan phối hợp chưa gửi ý kiến đúng hạn.",
    "next_tasks": "Hoàn thành các nội dung còn quá hạn trong quý IV/2022.\nTổ chức kiểm tra, đánh giá kết quả thực "
                  "hiện Chỉ thị trên địa bàn tỉnh.",
    "recommendations": "Đề nghị Ủy ban nhân dân tỉnh bố trí kinh phí thực hiện các mô hình điểm trong năm 2023.",
}


def seed_clock(uow: UnitOfWork, clock: Clock) -> Clock:
    """The clock to load the seed with beside the demo: the morning before the demo's launch while the demo
    is still to be played, so that the log's events are stamped in the order they are written; once it has
    been played, ``clock`` (the command's), as for any other change."""
    return clock if plans.plan_for_key(uow, KEY) is not None else FixedClock(parse_instant(SEEDED))


class _Demo:
    def __init__(self, uow: UnitOfWork, say: Callable[[str], None]) -> None:
        self.uow, self.say = uow, say
        self.clock = FixedClock(parse_instant(LAUNCHED))
        self.plan = None

    def on(self, when: str) -> None:
        """Move to that morning, doing what the worker would have done on the way: firing what fell due
        (deadlines, reporting cut-offs), then reminding and escalating."""
        self.clock.set(parse_instant(when))
        processes.fire_due_timers(self.uow, self.clock, limit=500)
        reminders.send_reminders(self.uow, self.clock)

    def write_report(self) -> None:
        """The afternoon of the last day: the standing body's signer is set in the directory, and the coordinator
        writes the report's own parts, so that the progress report comes out as it would be sent."""
        self.clock.set(parse_instant(REPORT_WRITTEN))
        agencies.set_signer(self.uow, self.clock, SYSTEM, "QNG-CA", *DEMO_SIGNER)
        report_texts.save_report_texts(self.uow, self.clock, COORDINATOR, self.plan.id, REPORT_TEXTS, [], None, None)

    def task(self, item: str, element: str, agency: str) -> str:
        instances = {instance["id"] for each in self.plan.items if each.number == item for instance in each.instances}
        page = worklists.worklist(self.uow, self.clock, COORDINATOR,
                                  WorklistFilter(agency=agency, plan_id=self.plan.id), per_page=200)
        found = [task for task in page.tasks if task.instance_id in instances and task.element_id == element]
        if not found:
            raise RuntimeError(f"the demo expected a '{element}' task of {agency} on item {item}")
        return found[0].id

    def do(self, actor: Actor, item: str, element: str, data: dict) -> None:
        tasks.complete_task(self.uow, self.clock, actor, self.task(item, element, actor.agency), data)


def load_demo(uow: UnitOfWork, say: Callable[[str], None] = print, as_of: str = AS_OF) -> int | None:
    """Launch and play the demo plan; returns its id, or None if it was loaded before."""
    stop = stop_at(as_of)
    existing = plans.plan_for_key(uow, KEY)
    if existing is not None:
        say(f"demo: already loaded (plan {existing})")
        return None
    last = audit.last_instant(uow)
    if last is not None and last > parse_instant(LAUNCHED):
        say(f"demo: warning: the audit log already holds events of {last.isoformat()}; the demo's, stamped in "
            "2022, come after them, and 'planflow audit verify' will say time runs backwards (seed the demo into "
            "a new database to avoid it)")
    demo = _Demo(uow, say)
    demo.plan = launches.launch_plan(uow, demo.clock, COORDINATOR, "qng-249-kh-bcd138",
                                     {"relevant_units": ["QNG-STTTT"]}, KEY)
    for when, actor, item, element, data in STORY:
        demo.on(when)
        demo.do(actor, item, element, data)
    demo.write_report()
    # Up to the stop, or to the morning Lâm Đồng comes on board: what fell due meanwhile fires then.
    demo.on(min(stop, parse_instant(demo_2026.ONBOARDED)).isoformat())
    view = plans.get_plan(uow, demo.clock, demo.plan.id)
    counts: dict[str, int] = {}
    for item in view.items:
        counts[item.status] = counts.get(item.status, 0) + 1
    say(f"demo: plan {view.id} ({view.symbol}) played until {as_of}: "
        + ", ".join(f"{count} {status}" for status, count in sorted(counts.items())))
    demo_2026.play(uow, say, stop, demo_password())
    say(f"demo: see it as of then with PLANFLOW_NOW={as_of} make run  (or planflow --now {as_of} …)")
    return view.id


def stop_at(as_of: str) -> datetime:
    """The morning the demo stops at: on or after the last day of its story (the log's times run forward)."""
    try:
        stop = parse_instant(as_of)
    except ValueError as error:
        raise Invalid(str(error), errors={"as_of": [str(error)]}) from None
    if stop < parse_instant(REPORT_WRITTEN):
        raise Invalid(t("the demo plays its story until %(last)s: stop it then or later, not at %(as_of)s",
                        last=REPORT_WRITTEN, as_of=as_of), errors={"as_of": [f"on or after {REPORT_WRITTEN}"]})
    return stop
