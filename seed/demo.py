"""``planflow seed --demo``: plan 249/KH-BCD138 launched and lived through, so a newcomer sees it moving.

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
  November) are in progress.

Serve with ``PLANFLOW_NOW`` set to the same morning to see it as of then.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from engine.model.actors import Actor
from engine.model.clock import FixedClock, parse_instant
from engine.model.tasks import WorklistFilter
from engine.services import launches, plans, processes, tasks, worklists

if TYPE_CHECKING:
    from engine.store import UnitOfWork

AS_OF = "2022-10-01T08:00+07:00"
KEY = "demo-qng-249-2022"

COORDINATOR = Actor("dieuphoi", "QNG-BCD138", frozenset({"coordinator"}), "QNG")
LEAD = Actor("congan", "QNG-CA", frozenset({"agency_member"}), "QNG")
PARTNER = Actor("stttt", "QNG-STTTT", frozenset({"agency_member"}), "QNG")
APPROVER = Actor("pheduyet", "QNG-CA", frozenset({"approver"}), "QNG")


class _Demo:
    def __init__(self, uow: UnitOfWork, say: Callable[[str], None]) -> None:
        self.uow, self.say = uow, say
        self.clock = FixedClock(parse_instant("2022-05-26T08:00+07:00"))
        self.plan = None

    def on(self, when: str) -> None:
        """Move to that morning, firing what fell due on the way (deadlines, reporting cut-offs)."""
        self.clock.set(parse_instant(when))
        processes.fire_due_timers(self.uow, self.clock, limit=500)

    def task(self, item: str, element: str, agency: str) -> str:
        instances = {instance["id"] for each in self.plan.items if each.number == item for instance in each.instances}
        page = worklists.worklist(self.uow, self.clock, COORDINATOR, WorklistFilter(agency=agency, plan_id=self.plan.id),
                              per_page=200)
        found = [task for task in page.tasks if task.instance_id in instances and task.element_id == element]
        if not found:
            raise RuntimeError(f"the demo expected a '{element}' task of {agency} on item {item}")
        return found[0].id

    def do(self, actor: Actor, item: str, element: str, data: dict) -> None:
        tasks.complete_task(self.uow, self.clock, actor, self.task(item, element, actor.agency), data)


def load_demo(uow: UnitOfWork, say: Callable[[str], None] = print, as_of: str = AS_OF) -> int | None:
    """Launch and play the demo plan; returns its id, or None if it was loaded before."""
    existing = plans.plan_for_key(uow, KEY)
    if existing is not None:
        say(f"demo: already loaded (plan {existing})")
        return None
    demo = _Demo(uow, say)
    demo.plan = launches.launch_plan(uow, demo.clock, COORDINATOR, "qng-249-kh-bcd138",
                                  {"relevant_units": ["QNG-STTTT"]}, KEY)
    demo.on("2022-09-05T09:00+07:00")
    demo.do(PARTNER, "4", "contribute", {"contribution": {
        "summary": "Sở TT&TT cung cấp danh sách 12 trang tin điện tử cần theo dõi"}})
    demo.on("2022-09-12T14:00+07:00")
    demo.do(LEAD, "4", "report_result", {"summary": "Đã tổ chức tọa đàm tại Công an tỉnh và Sở TT&TT"})
    demo.on("2022-09-14T10:00+07:00")
    demo.do(APPROVER, "4", "review_result", {"approved": False, "return_reason":
                                              "Bổ sung danh sách đơn vị tham gia và biên bản tọa đàm"})
    demo.on("2022-09-20T15:00+07:00")
    demo.do(LEAD, "4", "report_result", {"summary": "Đã tổ chức tọa đàm tại Công an tỉnh, Sở TT&TT và Báo Quảng "
                                                    "Ngãi; kèm danh sách 3 đơn vị và biên bản"})
    demo.on("2022-09-22T09:00+07:00")
    demo.do(APPROVER, "4", "review_result", {"approved": True, "comment": "Đạt yêu cầu"})
    demo.on("2022-09-28T16:00+07:00")
    demo.do(LEAD, "5", "report_result", {"summary": "Đã bố trí 2 cán bộ chuyên trách và kinh phí năm 2022"})
    demo.on("2022-09-30T10:00+07:00")
    demo.do(APPROVER, "5", "review_result", {"approved": False, "return_reason":
                                              "Nêu rõ nguồn kinh phí và dự toán chi tiết"})
    demo.on(as_of)
    view = plans.get_plan(uow, demo.clock, demo.plan.id)
    counts: dict[str, int] = {}
    for item in view.items:
        counts[item.status] = counts.get(item.status, 0) + 1
    say(f"demo: plan {view.id} ({view.symbol}) played until {as_of}: "
        + ", ".join(f"{count} {status}" for status, count in sorted(counts.items())))
    say(f"demo: see it as of then with PLANFLOW_NOW={as_of} make run  (or planflow --now {as_of} …)")
    return view.id
