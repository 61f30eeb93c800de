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

from bootstrap.settings import Settings

if TYPE_CHECKING:  # the engine's store imports SQLAlchemy: only when a database is used
    from engine.files.evidence import EvidenceStore
    from engine.files.mail import SmtpMailer
    from engine.model.clock import Clock
    from engine.store import Database, UnitOfWork

__all__ = ["Planflow", "Settings"]


class Planflow:
    """The database, the clock and the evidence store of one planflow process."""

    def __init__(self, settings: Settings, clock: "Clock | None" = None) -> None:
        """A mistyped setting stops the start here (ValueError, naming it): ``PLANFLOW_NOW`` or ``--now``, and
        the budget of BPMN scripts (``PLANFLOW_SCRIPT_*``), rather than at the first script."""
        from engine.bpmn.limits import current_limits
        from engine.model.clock import clock_from
        self.settings = settings
        self.clock = clock or clock_from(settings.now)
        current_limits()

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

    def uow(self) -> "UnitOfWork":
        """A new unit of work on the database (one per use case)."""
        from engine.store import UnitOfWork
        return UnitOfWork(self.database.sessions)
