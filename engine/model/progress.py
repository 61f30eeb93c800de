"""How far an item and a plan have got: the rules, without the database.

Words (DESIGN.md), as Vietnamese task tracking counts them: completed on time
(hoàn thành đúng hạn), completed late (hoàn thành quá hạn), in progress
(đang thực hiện, trong hạn), overdue (quá hạn chưa hoàn thành), not yet due
(chưa đến hạn: its time has not begun), due soon (sắp đến hạn: at most
``DUE_SOON_WORKING_DAYS`` working days left) and, for a duty that reports
periodically, late in reporting (chậm báo cáo: a period's report is past its
due date, or the last one due came in after it). Days are Asia/Ho_Chi_Minh days.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from engine.model.clock import LOCAL_TZ
from engine.model.working_days import working_days_after, working_days_between

#: Work due within this many working days is due soon (sắp đến hạn).
DUE_SOON_WORKING_DAYS = 3

#: How the official counts group the statuses: done on time / done late / in progress / late in reporting /
#: overdue.
COUNTED_AS = {"completed_on_time": "done_on_time", "completed_late": "done_late", "in_progress": "in_progress",
              "due_soon": "in_progress", "not_yet_due": "in_progress", "overdue": "overdue",
              "not_started": "in_progress", "report_late": "report_late"}

#: An open run's statuses, the gravest first: an item says the worst of its agencies'.
OPEN_ORDER = ("overdue", "report_late", "due_soon", "in_progress", "not_yet_due")


@dataclass(frozen=True)
class Run:
    """One process instance of an item, as far as progress is concerned."""

    agency: str | None
    completed_at: datetime | None
    end: datetime | None = None  # this agency's own deadline, when an extension moved it past the item's
    report_late: bool = False  # a periodic report of the run is late (``reports_late``)


def item_status(runs: list[Run], end: datetime | None, now: datetime, start: datetime | None = None) -> str:
    """The item's status from its runs; an agency granted an extension is measured against its new date."""
    if not runs:
        return "not_started"
    if all(run.completed_at is not None for run in runs):
        late = end is not None and any(run.completed_at > max(end, run.end or end) for run in runs)
        return "completed_late" if late else "completed_on_time"
    statuses = [_run_status(run, end, now, start) for run in runs if run.completed_at is None]
    return next((s for s in OPEN_ORDER if s in statuses), statuses[0])


def _run_status(run: Run, end: datetime | None, now: datetime, start: datetime | None) -> str:
    status = open_status(max(end, run.end or end) if end else None, now, start)
    return "report_late" if run.report_late and status != "overdue" else status


def reports_late(deadlines: list[datetime], sent: list[datetime | None], now: datetime) -> bool:
    """Whether a duty is late in its periodic reports at ``now`` (``late_periods``)."""
    return bool(late_periods(deadlines, sent, now))


def late_periods(deadlines: list[datetime], sent: list[datetime | None], now: datetime) -> list[int]:
    """The periods (their indexes) a duty is late in reporting at ``now``: each whose due date has passed with
    its report not in (``sent[k]``: when the k-th period's report came, None or absent if it has not), and the
    last period due if its report came after its due date (sent late: it stays late until the next period's
    report is due). Read from the deadlines and the clock alone, whether or not the worker has run since."""
    due = [index for index, deadline in enumerate(deadlines) if deadline < now]
    missing = [index for index in due if index >= len(sent) or sent[index] is None]
    if due and due[-1] not in missing and sent[due[-1]] > deadlines[due[-1]]:
        missing.append(due[-1])
    return missing


def open_status(end: datetime | None, now: datetime, start: datetime | None = None) -> str:
    """Work still open: overdue, due soon, not yet due (its window opens later), or in progress."""
    if end is not None and now > end:
        return "overdue"
    if start is not None and now < start:
        return "not_yet_due"
    if end is not None and working_days_between(now.astimezone(LOCAL_TZ).date(),
                                                end.astimezone(LOCAL_TZ).date(),
                                                at_most=DUE_SOON_WORKING_DAYS + 1) <= DUE_SOON_WORKING_DAYS:
        return "due_soon"
    return "in_progress"


def item_progress(runs: list[Run], sub_plan_progress: dict[str, float] | None = None) -> float:
    """Share of the item done, 0 to 1: each agency's run counts 1 when completed.

    Where the item asks each agency for its own implementing plan, an agency
    whose run is not yet completed counts for how far its sub-plan has got
    (0 until it issues one).
    """
    if not runs:
        return 0.0
    sub_plan_progress = sub_plan_progress or {}
    done = sum(1.0 if run.completed_at is not None else sub_plan_progress.get(run.agency or "", 0.0)
               for run in runs)
    return done / len(runs)


def plan_progress(item_progresses: list[float]) -> float:
    """A plan's progress: the mean of its items that carry work (headings do not count)."""
    return sum(item_progresses) / len(item_progresses) if item_progresses else 0.0


def due_soon_until(now: datetime) -> datetime:
    """The instant from which an open deadline is no longer due soon: the first moment of the working day after
    the ``DUE_SOON_WORKING_DAYS`` next ones. A deadline in ``[now, due_soon_until(now))`` is due soon (once its
    window has begun), as ``open_status`` says; a worklist filters on it in the database."""
    today = now.astimezone(LOCAL_TZ).date()
    return datetime.combine(working_days_after(today, DUE_SOON_WORKING_DAYS + 1), time(), LOCAL_TZ)


def deadline_status(due_at: datetime | None, status: str, completed_at: datetime | None, now: datetime,
                    start: datetime | None = None) -> str:
    """Where a task stands against its deadline: in_progress, due_soon, not_yet_due, overdue; done_on_time,
    done_late; no_deadline; or the task's own status when it ended otherwise (cancelled, waived)."""
    if due_at is None:
        return "no_deadline"
    if status == "completed":
        return "done_on_time" if completed_at is not None and completed_at <= due_at else "done_late"
    if status != "ready":
        return status
    return open_status(due_at, now, start)
