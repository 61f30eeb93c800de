"""What a planflow process is told by its environment, read in one place.

Every interface (the command line, the web pages, the JSON API) runs on the
same settings: ``PLANFLOW_DATABASE_URL``, ``PLANFLOW_NOW``,
``PLANFLOW_EVIDENCE_DIR``, ``PLANFLOW_EVIDENCE_MAX_BYTES``, ``PLANFLOW_ENV``,
``PLANFLOW_SMTP_URL`` and ``PLANFLOW_MAIL_FROM``, and for the signed checkpoints of the audit chain
``PLANFLOW_AUDIT_KEY``, ``PLANFLOW_AUDIT_CHECKPOINTS`` and ``PLANFLOW_CHECKPOINT_HOURS``; ``PLANFLOW_BASE_URL`` for
the links mailed to people. An interface may
override one (``planflow --database-url``, a test's configuration) before the composition root is built.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Mapping

#: The instance folder: the embedded database, the evidence files and the generated secret key live there.
INSTANCE = Path("instance")
#: The largest evidence file taken unless PLANFLOW_EVIDENCE_MAX_BYTES says otherwise.
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


#: How often the worker signs the audit chain's head unless PLANFLOW_CHECKPOINT_HOURS says otherwise.
CHECKPOINT_HOURS = 24.0


@dataclass(frozen=True)
class Checkpointing:
    """Where the worker signs checkpoints of the audit chain: with which key, into which file, how often."""

    key: Path
    file: Path
    every: timedelta


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    #: An ISO 8601 instant to run as of (demonstrations on plans of past years); None or blank: real time.
    now: str | None = None
    evidence_dir: Path = INSTANCE / "evidence"
    evidence_max_bytes: int = EVIDENCE_MAX_BYTES
    production: bool = False
    #: Where mail goes (smtp://user:password@host:port, smtps://…, ?starttls=1); None: it waits in the outbox.
    smtp_url: str | None = None
    mail_from: str = "planflow@localhost"
    #: The Ed25519 private key (PEM, 'planflow audit keygen') checkpoints of the audit chain are signed with.
    audit_key: Path | None = None
    #: The file checkpoints are appended to, one JSON line each: the auditors keep it outside the database.
    audit_checkpoints: Path | None = None
    #: How old the last checkpoint grows, once the log has moved past it, before the worker signs the head.
    checkpoint_hours: float = CHECKPOINT_HOURS
    #: Where people reach planflow (https://planflow.lamdong.gov.vn): the start of the links it mails. Unset, the
    #: pages use the address they were asked at and the command line http://127.0.0.1:5000.
    base_url: str | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> "Settings":
        return cls(database_url=environ.get("PLANFLOW_DATABASE_URL") or None,
                   now=environ.get("PLANFLOW_NOW"),
                   evidence_dir=Path(environ.get("PLANFLOW_EVIDENCE_DIR") or INSTANCE / "evidence"),
                   evidence_max_bytes=int(environ.get("PLANFLOW_EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES)),
                   production=environ.get("PLANFLOW_ENV", "").strip().lower() == "production",
                   smtp_url=environ.get("PLANFLOW_SMTP_URL") or None,
                   mail_from=environ.get("PLANFLOW_MAIL_FROM") or "planflow@localhost",
                   audit_key=_path(environ.get("PLANFLOW_AUDIT_KEY")),
                   audit_checkpoints=_path(environ.get("PLANFLOW_AUDIT_CHECKPOINTS")),
                   checkpoint_hours=_hours(environ.get("PLANFLOW_CHECKPOINT_HOURS")),
                   base_url=(environ.get("PLANFLOW_BASE_URL") or "").rstrip("/") or None)

    def but(self, **changes) -> "Settings":
        """The same settings with some replaced (``None`` leaves a setting as it is)."""
        return replace(self, **{name: value for name, value in changes.items() if value is not None})

    @property
    def checkpointing(self) -> Checkpointing | None:
        """The worker's checkpoints, when both the key and the file are set."""
        if self.audit_key is None or self.audit_checkpoints is None:
            return None
        return Checkpointing(self.audit_key, self.audit_checkpoints, timedelta(hours=self.checkpoint_hours))


def _path(text: str | None) -> Path | None:
    return Path(text) if text and text.strip() else None


def _hours(text: str | None) -> float:
    """PLANFLOW_CHECKPOINT_HOURS: a number of hours above 0 (ValueError naming it otherwise)."""
    if text is None or not text.strip():
        return CHECKPOINT_HOURS
    try:
        hours = float(text)
    except ValueError:
        hours = 0.0
    if not 0 < hours < 24 * 366:
        raise ValueError(f"PLANFLOW_CHECKPOINT_HOURS must be a number of hours above 0 (e.g. 24), not '{text}'")
    return hours
