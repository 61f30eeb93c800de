"""Deadlines and when people are reminded of them: the rules, without the database.

A coordinating agency's contribution is due
``CONTRIBUTION_WORKING_DAYS_BEFORE`` working days before the item's deadline,
and an approval ``APPROVAL_WORKING_DAYS`` working days from the submission,
unless the template says otherwise (its ``deadlines``). A task is reminded
``REMIND_WORKING_DAYS`` working days before its deadline, again on the day it
falls due, and once it is overdue it is escalated to the standing body and
the plan's coordinators. Each happens at most once; a
worker that was down sends only the one that is due now (no "3 days left"
after the deadline). Days are Asia/Ho_Chi_Minh days, working days those of
``working_days``.
"""
from __future__ import annotations

import os
from datetime import date, datetime

from engine.model.clock import LOCAL_TZ
from engine.model.schedules import end_of_day
from engine.model.working_days import working_days_after, working_days_before, working_days_between

#: Working days before a deadline that the first reminder goes out (PLANFLOW_REMIND_WORKING_DAYS).
REMIND_WORKING_DAYS = int(os.environ.get("PLANFLOW_REMIND_WORKING_DAYS", "3"))

KINDS = ("before", "due_today", "overdue")

#: Working days before the item's deadline that a coordinating agency's contribution is due (template:
#: ``deadlines.contribution_before``): the lead has them to take it into its report.
CONTRIBUTION_WORKING_DAYS_BEFORE = 3
#: Working days from a result's submission that the standing body has to decide on it (``deadlines.approval``).
APPROVAL_WORKING_DAYS = 5


def contribution_due(item_due: datetime | None, asked_at: datetime,
                     working_days: int = CONTRIBUTION_WORKING_DAYS_BEFORE) -> datetime | None:
    """When a contribution asked at ``asked_at`` is due: the end of the day ``working_days`` working days before
    the item's deadline, and never before the end of the day it is asked (None: the item has no deadline)."""
    if item_due is None:
        return None
    day = working_days_before(local_day(item_due), working_days) if working_days else local_day(item_due)
    return end_of_day(max(day, local_day(asked_at)))


def approval_due(submitted_at: datetime, working_days: int = APPROVAL_WORKING_DAYS) -> datetime:
    """When a decision on a result submitted at ``submitted_at`` is due: the end of the ``working_days``-th
    working day after the day of the submission."""
    return end_of_day(working_days_after(local_day(submitted_at), working_days))


def local_day(when: datetime) -> date:
    return when.astimezone(LOCAL_TZ).date()


def reminder_due(due_at: datetime, now: datetime, working_days: int = REMIND_WORKING_DAYS) -> str | None:
    """Which notice is due for a task with this deadline now: before, due_today, overdue, or None yet."""
    if now > due_at:
        return "overdue"
    due_day, today = local_day(due_at), local_day(now)
    if today == due_day:
        return "due_today"
    if today >= working_days_before(due_day, working_days):
        return "before"
    return None


def working_days_left(due_at: datetime, now: datetime) -> int:
    return working_days_between(local_day(now), local_day(due_at))


def day_text(when: datetime) -> str:
    """A date as Vietnamese documents write it: 30/09/2022."""
    return local_day(when).strftime("%d/%m/%Y")
