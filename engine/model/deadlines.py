"""When people are reminded of a deadline: the rules, without the database.

A task is reminded ``REMIND_WORKING_DAYS`` working days before its deadline,
again on the day it falls due, and once it is overdue it is escalated to
the standing body and the plan's coordinators. Each happens at most once; a
worker that was down sends only the one that is due now (no "3 days left"
after the deadline). Days are Asia/Ho_Chi_Minh days, working days those of
``working_days``.
"""
from __future__ import annotations

import os
from datetime import date, datetime

from engine.model.clock import LOCAL_TZ
from engine.model.working_days import working_days_before, working_days_between

#: Working days before a deadline that the first reminder goes out (PLANFLOW_REMIND_WORKING_DAYS).
REMIND_WORKING_DAYS = int(os.environ.get("PLANFLOW_REMIND_WORKING_DAYS", "3"))

KINDS = ("before", "due_today", "overdue")


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
