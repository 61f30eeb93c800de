"""The composition root: what a planflow process is built from, built once.

``Planflow(settings)`` holds the database, the clock and the evidence store
that every use case is given. The command line builds one per run, the web
application one per process (``server.create_app``), and the web pages and the
JSON API read the application's through ``frontdoor.context``. Nothing here is
built at import time, and the database is opened only when first used, so a
command that needs none starts at once.
"""
from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from bootstrap.settings import Checkpointing, Settings

if TYPE_CHECKING:  # the engine's store imports SQLAlchemy: only when a database is used
    from engine.files.evidence import EvidenceStore
    from engine.files.mail import SmtpMailer
    from engine.model.clock import Clock
    from engine.store import Database, UnitOfWork

__all__ = ["NO_CLOCK_IN_PRODUCTION", "Checkpointing", "Planflow", "Settings"]

#: In production the history tells the truth about time: no instant chosen by hand.
NO_CLOCK_IN_PRODUCTION = ("PLANFLOW_NOW (or --now) sets the clock by hand, which production refuses "
                          "(PLANFLOW_ENV=production): every event is stamped with the real time; unset it")


class Planflow:
    """The database, the clock and the evidence store of one planflow process, and where its audit chain is
    checkpointed."""

    def __init__(self, settings: Settings, clock: "Clock | None" = None) -> None:
        """A mistyped setting stops the start here (ValueError, naming it): ``PLANFLOW_NOW`` or ``--now`` (or
        either at all in production), and the budget of BPMN scripts (``PLANFLOW_SCRIPT_*``), rather than at the
        first script."""
        from engine.bpmn.limits import current_limits
        from engine.model.clock import clock_from
        if settings.production and (settings.now or "").strip():
            raise ValueError(NO_CLOCK_IN_PRODUCTION)
        self.settings = settings
        self._given_clock = clock
        self._asked_clock = clock_from(settings.now)  # a mistyped PLANFLOW_NOW stops the start here
        self._clock: "Clock | None" = None
        current_limits()

    @property
    def clock(self) -> "Clock":
        """The one clock; set by hand (``PLANFLOW_NOW``, ``--now``: demonstrations on plans of past years), it
        never starts before the history's last event, so that time runs forward along the audit chain: a demo
        started again goes on where it stopped. While the database cannot tell (none yet, or none reachable:
        the worker waits for it), the clock starts where it was asked to, and asks again next time."""
        if self._clock is None:
            self._clock = self._given_clock or self._after_the_history()
        return self._clock or self._asked_clock

    def _after_the_history(self) -> "Clock | None":
        from engine.errors import PlanflowError
        from engine.model.clock import ShiftedClock
        from engine.services import audit
        if not isinstance(self._asked_clock, ShiftedClock):
            return self._asked_clock
        try:
            last = audit.last_instant(self.uow())
        except PlanflowError:
            return None
        return ShiftedClock(last) if last is not None and last > self._asked_clock.start else self._asked_clock

    @cached_property
    def database(self) -> "Database":
        from engine.store import Database
        return Database(self.settings.database_url)

    @cached_property
    def evidence(self) -> "EvidenceStore":
        from engine.files.evidence import EvidenceStore
        return EvidenceStore(self.settings.evidence_dir, self.settings.evidence_max_bytes)

    def evidence_in(self, folder: Path) -> "EvidenceStore":
        """The evidence files kept in another folder (an auditor's copy, say), read by the same rules."""
        from engine.files.evidence import EvidenceStore
        return EvidenceStore(folder, self.settings.evidence_max_bytes)

    @cached_property
    def mailer(self) -> "SmtpMailer | None":
        """The SMTP server mail is delivered to; None when ``PLANFLOW_SMTP_URL`` is unset (mail waits in the
        outbox). A malformed URL is a ValueError naming it."""
        from engine.files.mail import SmtpMailer
        return SmtpMailer.from_url(self.settings.smtp_url, self.settings.mail_from) if self.settings.smtp_url else None

    @property
    def checkpointing(self) -> Checkpointing | None:
        """Where and how often the worker signs the audit chain's head (``PLANFLOW_AUDIT_KEY``,
        ``PLANFLOW_AUDIT_CHECKPOINTS``, ``PLANFLOW_CHECKPOINT_HOURS``); None unless the key and the file are set."""
        return self.settings.checkpointing

    def uow(self) -> "UnitOfWork":
        """A new unit of work on the database (one per use case)."""
        from engine.store import UnitOfWork
        return UnitOfWork(self.database.sessions)
