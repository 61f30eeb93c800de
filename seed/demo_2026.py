"""The demo's second era: Lâm Đồng as it is since 1 July 2025 (merged with Đắk Nông and Bình Thuận), brought on
board on 5 January 2026 and running its administrative-reform plan of 2026 with today's bodies.

The province is brought on board as any province is (its directory from the national data, its first
administrator and coordinator invited); every demo person is invited too and sets their password through
their one-time link, so that the demo signs in like a real province. Then, day by day until the morning the
demo stops at:

* item PL.VII.1 (each department and each of the 124 communes issues its own reform plan by 15 January):
  Sở Nội vụ, Sở Khoa học và Công nghệ and phường Xuân Hương - Đà Lạt on time, đặc khu Phú Quý late, the
  rest never: overdue;
* PL.VII.2 (Sở Nội vụ's inspection plan, in January): Sở Tư pháp contributes, the coordinator waives the
  office's contribution, the plan is reported and approved: completed on time;
* PL.VI.1 (the digital-transformation plan, in January): returned with a reason, sent again in February,
  approved: completed late;
* PL.II.9 (Thanh tra tỉnh, all year): its six-monthly report sent in July;
* the other items run to the end of 2026.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Callable

from engine.model.actors import SYSTEM, Actor
from engine.model.clock import FixedClock, parse_instant
from engine.model.tasks import WorklistFilter
from engine.services import (
    assignments,
    invitations,
    launches,
    plans,
    processes,
    provinces,
    reminders,
    tasks,
    users,
    worklists,
)

if TYPE_CHECKING:
    from engine.store import UnitOfWork

PROVINCE = "LDG"
TEMPLATE = "ldg-cchc-2026"
KEY = "demo-ldg-cchc-2026"
ONBOARDED = "2026-01-05T08:00+07:00"
LAUNCHED = "2026-01-05T09:00+07:00"
BASE_URL = "http://127.0.0.1:5000"

#: The people of the demo's Lâm Đồng besides its first administrator and coordinator (quantri.ldg,
#: dieuphoi.ldg): user name, roles, agency, display name.
PEOPLE = (
    ("canbo.snv", ("agency_member",), "LDG-SNV", "Chuyên viên Sở Nội vụ"),
    ("pheduyet.snv", ("approver",), "LDG-SNV", "Lãnh đạo Sở Nội vụ (theo dõi cải cách hành chính)"),
    ("canbo.skhcn", ("agency_member",), "LDG-SKHCN", "Chuyên viên Sở Khoa học và Công nghệ"),
    ("canbo.stp", ("agency_member",), "LDG-STP", "Chuyên viên Sở Tư pháp"),
    ("canbo.ttra", ("agency_member",), "LDG-TTRA", "Thanh tra viên Thanh tra tỉnh"),
    ("canbo.xuanhuong", ("agency_member",), "LDG-P-XUANHUONGDALAT", "Công chức UBND phường Xuân Hương - Đà Lạt"),
    ("canbo.phuquy", ("agency_member",), "LDG-DK-PHUQUY", "Công chức UBND đặc khu Phú Quý"),
)

#: (the morning, who, the item, the task, the agency whose instance it is, what they sent).
STORY = (
    ("2026-01-12T09:00+07:00", "canbo.snv", "PL.VII.1", "report_result", "LDG-SNV",
     {"summary": "Sở Nội vụ đã ban hành Kế hoạch cải cách hành chính năm 2026 của Sở (Kế hoạch số 12/KH-SNV)"}),
    ("2026-01-13T10:00+07:00", "canbo.xuanhuong", "PL.VII.1", "report_result", "LDG-P-XUANHUONGDALAT",
     {"summary": "UBND phường Xuân Hương - Đà Lạt đã ban hành Kế hoạch cải cách hành chính năm 2026 "
                 "(Kế hoạch số 05/KH-UBND)"}),
    ("2026-01-14T09:00+07:00", "canbo.skhcn", "PL.VII.1", "report_result", "LDG-SKHCN",
     {"summary": "Sở Khoa học và Công nghệ đã ban hành Kế hoạch cải cách hành chính năm 2026"}),
    ("2026-01-14T15:00+07:00", "pheduyet.snv", "PL.VII.1", "review_result", "LDG-SNV",
     {"approved": True, "comment": "Đạt yêu cầu"}),
    ("2026-01-14T15:10+07:00", "pheduyet.snv", "PL.VII.1", "review_result", "LDG-P-XUANHUONGDALAT",
     {"approved": True, "comment": "Đạt yêu cầu"}),
    ("2026-01-15T10:00+07:00", "pheduyet.snv", "PL.VII.1", "review_result", "LDG-SKHCN",
     {"approved": True, "comment": "Đạt yêu cầu"}),
    ("2026-01-16T10:00+07:00", "canbo.stp", "PL.VII.2", "contribute", "LDG-SNV",
     {"contribution": {"summary": "Sở Tư pháp góp ý nội dung kiểm tra việc công bố, công khai thủ tục hành chính"}}),
    ("2026-01-19T08:30+07:00", "dieuphoi.ldg", "PL.VII.2", "waive:LDG-VPUBND", "LDG-SNV",
     {"reason": "Văn phòng UBND tỉnh đã góp ý trực tiếp tại cuộc họp ngày 16/01/2026"}),
    ("2026-01-20T14:00+07:00", "canbo.snv", "PL.VII.2", "report_result", "LDG-SNV",
     {"summary": "Đã trình UBND tỉnh ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2026"}),
    ("2026-01-22T09:00+07:00", "pheduyet.snv", "PL.VII.2", "review_result", "LDG-SNV",
     {"approved": True, "comment": "Đạt yêu cầu"}),
    ("2026-01-28T16:00+07:00", "canbo.skhcn", "PL.VI.1", "report_result", "LDG-SKHCN",
     {"summary": "Dự thảo Kế hoạch chuyển đổi số năm 2026 của tỉnh đã trình UBND tỉnh"}),
    ("2026-01-30T10:00+07:00", "pheduyet.snv", "PL.VI.1", "review_result", "LDG-SKHCN",
     {"approved": False, "return_reason": "Bổ sung chỉ tiêu dịch vụ công trực tuyến toàn trình của các xã, phường, "
                                          "đặc khu"}),
    ("2026-02-04T15:00+07:00", "canbo.skhcn", "PL.VI.1", "report_result", "LDG-SKHCN",
     {"summary": "Kế hoạch chuyển đổi số năm 2026 đã ban hành, có chỉ tiêu dịch vụ công trực tuyến toàn trình của "
                 "124 xã, phường, đặc khu"}),
    ("2026-02-06T09:00+07:00", "pheduyet.snv", "PL.VI.1", "review_result", "LDG-SKHCN",
     {"approved": True, "comment": "Đạt yêu cầu"}),
    ("2026-02-10T09:00+07:00", "canbo.phuquy", "PL.VII.1", "report_result", "LDG-DK-PHUQUY",
     {"summary": "UBND đặc khu Phú Quý đã ban hành Kế hoạch cải cách hành chính năm 2026 (chậm do thời tiết)"}),
    ("2026-07-03T09:00+07:00", "canbo.ttra", "PL.II.9", "periodic_report", "LDG-TTRA",
     {"summary": "6 tháng đầu năm: thanh tra công vụ tại 3 sở và 12 xã, phường; kiến nghị chấn chỉnh 5 trường hợp "
                 "chậm giải quyết hồ sơ"}),
)


def play(uow: UnitOfWork, say: Callable[[str], None], stop: datetime, password: str) -> int | None:
    """Bring Lâm Đồng on board and play its 2026 plan until ``stop``; the plan's id (None when ``stop`` is
    before the province came on board)."""
    if stop < parse_instant(LAUNCHED):
        return None
    clock = FixedClock(parse_instant(ONBOARDED))
    done = provinces.onboard_province(uow, clock, SYSTEM, "Lâm Đồng", BASE_URL,
                                      admin={"email": "quantri.ldg@planflow.example"},
                                      coordinator={"email": "dieuphoi.ldg@planflow.example"})
    admin = users.person(uow, _arrive(uow, clock, done.invitations[0], password))
    _arrive(uow, clock, done.invitations[1], password)
    for username, roles, agency, name in PEOPLE:
        made = invitations.invite(uow, clock, admin, invitations.Person(
            username, roles, agency, name, f"{username}@planflow.example"), BASE_URL)
        _arrive(uow, clock, made, password)
    say(f"demo: {done.province.name} brought on board on {ONBOARDED[:10]}: {done.province.agencies} bodies, "
        f"{2 + len(PEOPLE)} people")
    coordinator = users.person(uow, "dieuphoi.ldg")
    clock.set(parse_instant(LAUNCHED))
    plan = launches.launch_plan(uow, clock, coordinator, TEMPLATE, {}, KEY)
    for when, username, item, element, agency, data in STORY:
        if parse_instant(when) > stop:
            break
        clock.set(parse_instant(when))
        processes.fire_due_timers(uow, clock, limit=2000)
        reminders.send_reminders(uow, clock)
        actor = users.person(uow, username)
        if element.startswith("waive:"):  # the coordinator waives a coordinating body's contribution
            found = _task(uow, clock, coordinator, plan, item, "contribute", agency, element.split(":", 1)[1])
            assignments.waive_contribution(uow, clock, actor, found, data["reason"])
            continue
        found = _task(uow, clock, coordinator, plan, item, element, agency, actor.agency)
        tasks.complete_task(uow, clock, actor, found, data)
    clock.set(stop)
    processes.fire_due_timers(uow, clock, limit=2000)
    reminders.send_reminders(uow, clock)
    view = plans.get_plan(uow, clock, plan.id)
    counts: dict[str, int] = {}
    for each in view.items:
        counts[each.status] = counts.get(each.status, 0) + 1
    say(f"demo: plan {view.id} ({view.symbol}, {view.province}) played until {stop.isoformat()}: "
        + ", ".join(f"{count} {status}" for status, count in sorted(counts.items())))
    return view.id


def _arrive(uow: UnitOfWork, clock, invitation, password: str) -> str:
    """The invited person opens their link and sets their password (the demo's one, to sign in with)."""
    return invitations.set_password(uow, clock, invitation.link.rsplit("/", 1)[-1], password)


def _task(uow: UnitOfWork, clock, watcher: Actor, plan, item: str, element: str, agency: str,
          assigned: str | None = None) -> str:
    """The open ``element`` task of ``agency``'s instance of ``item`` (assigned to ``assigned``, when given)."""
    instances = {instance["id"] for each in plans.get_plan(uow, clock, plan.id).items if each.number == item
                 for instance in each.instances if instance["agency"] == agency}
    page = worklists.worklist(uow, clock, watcher, WorklistFilter(plan_id=plan.id), per_page=500)
    found = [task for task in page.tasks if task.instance_id in instances and task.element_id == element
             and assigned in (None, task.assigned_agency)]
    if not found:
        raise RuntimeError(f"the demo expected a '{element}' task of {agency}'s instance of item {item}")
    return found[0].id
