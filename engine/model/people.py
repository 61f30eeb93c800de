"""What makes a person's record valid, in the words an administrator reads: one check for the command line,
the pages, the API and each row of an imported spreadsheet."""
from __future__ import annotations

import re

from engine.i18n import Message, t
from engine.model.actors import ENGINE_ACTORS, ROLES

#: Roles that belong to an agency: they work its tasks.
AGENCY_ROLES = frozenset({"agency_member", "approver"})
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
USERNAME = re.compile(r"[A-Za-z0-9._@-]{1,120}")
MIN_PASSWORD = 10


def person_problems(username: str, roles: list[str], agency: str | None, email: str | None,
                    display_name: str | None = None) -> dict[str, list[Message]]:
    """Each problem of a person's fields, by field; empty when the record may be saved (the agency's existence
    and the name's being free are the store's to say)."""
    errors: dict[str, list[Message]] = {}
    if not username or not USERNAME.fullmatch(username):
        errors["username"] = [t("use letters, digits and . - _ @ (at most 120)")]
    elif username.lower() in ENGINE_ACTORS:
        errors["username"] = [t("'%(name)s' is the name the audit log gives the engine's own events",
                                name=username)]
    if email is not None and (len(email) > 300 or not EMAIL.fullmatch(email)):
        errors["email"] = [t("'%(value)s' is not an e-mail address such as can.bo@sotuphap.lamdong.gov.vn",
                             value=email)]
    unknown = [role for role in roles if role not in ROLES]
    if unknown or not roles:
        errors["roles"] = [t("give one or more of %(roles)s", roles=", ".join(ROLES))]
    if set(roles) & AGENCY_ROLES and not agency:
        errors["agency"] = [t("agency members and approvers belong to an agency")]
    if display_name is not None and len(display_name) > 200:
        errors["display_name"] = [t("a name of at most 200 characters")]
    return errors


def password_problem(password: str) -> Message | None:
    if len(password) < MIN_PASSWORD:
        return t("use at least %(count)s characters", count=MIN_PASSWORD)
    if len(password) > 1000:
        return t("use at most 1000 characters")
    return None
