"""The kinds of notice people receive, in the words they read, and how each may come by mail.

Every notice is a line of the inbox; its mail is sent at once, gathered into the person's daily digest, or
not sent, as the person chose for its kind (``MAIL_MODES``; ``DEFAULT_MAIL`` until they choose).
"""
from __future__ import annotations

from engine.i18n import N_

#: Each kind of notice and what it is called on the settings page.
KINDS: dict[str, str] = {
    "assigned": N_("New work for my agency"),
    "approval": N_("A result waiting for my approval"),
    "contribution": N_("A contribution asked of my agency"),
    "coordinating_reminded": N_("A reminder of a contribution my agency owes"),
    "returned": N_("A result returned for rework"),
    "report_requested": N_("An ad-hoc report requested"),
    "before": N_("A deadline coming soon"),
    "due_today": N_("A deadline today"),
    "overdue": N_("Overdue work"),
    "escalated": N_("Overdue work escalated to me"),
    "gate_missed": N_("A reporting period past its due date with reports missing"),
    "extension_requested": N_("An extension asked of me"),
    "extension_granted": N_("An extension granted"),
    "extension_refused": N_("An extension refused"),
}

IMMEDIATE, DIGEST, NONE = "immediate", "digest", "none"
MAIL_MODES: dict[str, str] = {IMMEDIATE: N_("at once"), DIGEST: N_("in the daily digest"), NONE: N_("no mail")}

#: Until a person chooses: what needs action soon comes at once; what only informs waits for the digest.
DEFAULT_MAIL: dict[str, str] = {kind: IMMEDIATE for kind in KINDS} | {"assigned": DIGEST, "contribution": DIGEST,
                                                                       "before": DIGEST}

#: When the daily digest leaves, in Vietnam's time (hour): before the working day begins.
DIGEST_HOUR = 7
