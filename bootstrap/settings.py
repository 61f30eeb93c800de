"""What a planflow process is told by its environment, read in one place.

Every interface (the command line, the web pages, the JSON API) runs on the
same settings: ``PLANFLOW_DATABASE_URL``, ``PLANFLOW_NOW``,
``PLANFLOW_EVIDENCE_DIR``, ``PLANFLOW_EVIDENCE_MAX_BYTES``, ``PLANFLOW_ENV``,
``PLANFLOW_SMTP_URL`` and ``PLANFLOW_MAIL_FROM``. An interface may override one (``planflow --database-url``,
a test's configuration) before the composition root is built.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping

#: The instance folder: the embedded database, the evidence files and the generated secret key live there.
INSTANCE = Path("instance")
#: The largest evidence file taken unless PLANFLOW_EVIDENCE_MAX_BYTES says otherwise.
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


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

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> "Settings":
        return cls(database_url=environ.get("PLANFLOW_DATABASE_URL") or None,
                   now=environ.get("PLANFLOW_NOW"),
                   evidence_dir=Path(environ.get("PLANFLOW_EVIDENCE_DIR") or INSTANCE / "evidence"),
                   evidence_max_bytes=int(environ.get("PLANFLOW_EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES)),
                   production=environ.get("PLANFLOW_ENV", "").strip().lower() == "production",
                   smtp_url=environ.get("PLANFLOW_SMTP_URL") or None,
                   mail_from=environ.get("PLANFLOW_MAIL_FROM") or "planflow@localhost")

    def but(self, **changes) -> "Settings":
        """The same settings with some replaced (``None`` leaves a setting as it is)."""
        return replace(self, **{name: value for name, value in changes.items() if value is not None})
