"""The one clock the engine reads time from.

Every service takes a clock argument; tests and simulations pass a
``FixedClock`` and move it, production passes ``SystemClock``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo

#: Plans are dated in Vietnam's time zone (DESIGN.md).
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class ShiftedClock:
    """A clock that starts at a chosen instant and moves on in real time from there.

    For demonstrations and training on plans dated years ago: with
    ``PLANFLOW_NOW=2022-06-01T08:00+07:00`` the app and the command line run as
    of that morning, and an hour later it is nine o'clock.
    """

    def __init__(self, start: datetime) -> None:
        self.start = aware(start)
        self._started = datetime.now(timezone.utc)

    def now(self) -> datetime:
        return self.start + (datetime.now(timezone.utc) - self._started)

    def __repr__(self) -> str:
        return f"ShiftedClock(start={self.start.isoformat()})"


def clock_from(now_text: str | None) -> Clock:
    """The clock for ``--now`` or ``PLANFLOW_NOW`` (an ISO 8601 instant), else the system's."""
    return ShiftedClock(parse_instant(now_text)) if now_text and now_text.strip() else SystemClock()


@dataclass
class FixedClock:
    """A clock that stands still until it is moved."""

    current: datetime = field(default_factory=lambda: datetime(2022, 1, 1, tzinfo=timezone.utc))

    def __post_init__(self) -> None:
        self.current = aware(self.current)

    def now(self) -> datetime:
        return self.current

    def set(self, when: datetime | str) -> None:
        self.current = parse_instant(when) if isinstance(when, str) else aware(when)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self.current += delta if delta is not None else timedelta(**kwargs)
        return self.current


def aware(when: datetime) -> datetime:
    """Read a naive datetime as Vietnam time; leave an aware one as it is."""
    return when if when.tzinfo is not None else when.replace(tzinfo=LOCAL_TZ)


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant such as ``2022-10-01T08:00+07:00``.

    A value without an offset is read in Asia/Ho_Chi_Minh, as plan documents are.
    """
    try:
        return aware(datetime.fromisoformat(text.strip()))
    except ValueError:
        raise ValueError(f"'{text}' is not an ISO 8601 date-time (e.g. 2022-10-01T08:00+07:00)") from None
