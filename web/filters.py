"""How pages write what the engine keeps as codes and instants: times in Vietnam, statuses and audit actions
in words, deadlines by colour; and what every page is given (who is signed in, the language, the CSRF token)."""
from __future__ import annotations

from datetime import datetime

from flask import g, session

from engine.i18n import N_, t
from engine.model import policy
from engine.model.actors import SYSTEM
from engine.model.clock import LOCAL_TZ
from engine.services import directory, notices
from frontdoor.context import unit_of_work
from frontdoor.i18n import LANGUAGES, localized, request_locale, status_label
from web.blueprint import blueprint

#: The audit log's actions in words (the code stays beside them in the history and the audit pages).
ACTIONS = {
    "access.refused": N_("a change refused"), "agencies.imported": N_("agency directory imported"),
    "auth.sign_in_failed": N_("failed sign-in"), "auth.signed_in": N_("signed in"),
    "definition.deployed": N_("process deployed"), "evidence.attached": N_("evidence attached"),
    "extension.granted": N_("extension granted"), "extension.refused": N_("extension refused"),
    "extension.requested": N_("extension asked for"), "incident.opened": N_("step failed (incident)"),
    "incident.resolved": N_("incident resolved"), "instance.completed": N_("process completed"),
    "instance.started": N_("process started"), "instance.variables_set": N_("process data corrected"),
    "message.received": N_("message received"), "plan.launched": N_("plan launched"),
    "plan.report_written": N_("progress report written"), "agency.signer_set": N_("signer of reports set"),
    "reminder.before": N_("reminder before the deadline"), "reminder.due_today": N_("due-today notice"),
    "reminder.overdue": N_("overdue: escalated"),
    "reminder.gate_missed": N_("reporting period missed: told"), "report.requested": N_("ad-hoc report asked for"),
    "task.cancelled": N_("task cancelled"), "task.claimed": N_("task taken"), "task.completed": N_("task completed"),
    "task.created": N_("task created"), "task.handed_over": N_("task handed over"),
    "task.unclaimed": N_("task let go"), "task.waived": N_("contribution waived"),
    "task.reminded": N_("coordinating agency reminded"),
    "template.registered": N_("template registered"), "timers.fired": N_("timer fired"),
    "token.created": N_("API token created"), "user.added": N_("user added"),
    "event.escalation": N_("escalation raised"), "event.error": N_("error raised"),
    "agency.added": N_("agency added"), "agency.merged": N_("agencies merged"),
    "agency.reach_set": N_("agency's reach set"), "agency.renamed": N_("agency renamed"),
    "agency.retired": N_("agency retired"), "auth.locked": N_("sign-in locked"), "auth.signed_out": N_("signed out"),
    "directory.national_loaded": N_("national directory loaded"), "people.imported": N_("people imported"),
    "province.onboarded": N_("province brought on board"), "token.revoked": N_("API token revoked"),
    "user.disabled": N_("user disabled"), "user.enabled": N_("user enabled"), "user.invited": N_("user invited"),
    "user.password_reset_sent": N_("password link sent"), "user.password_set": N_("password set"),
    "user.updated": N_("user corrected"),
}

#: Deadline statuses as the pages colour them.
TONE = {"overdue": "late", "report_late": "report-late", "due_soon": "soon", "in_progress": "ok",
        "not_yet_due": "later", "done_on_time": "done", "done_late": "done-late", "completed_on_time": "done",
        "completed_late": "done-late", "no_deadline": "later"}


@blueprint.app_template_filter("local")
def local_time(value: datetime | None, style: str = "%H:%M %d/%m/%Y") -> str:
    return value.astimezone(LOCAL_TZ).strftime(style) if value else "—"


@blueprint.app_template_filter("instant")
def instant(value) -> datetime | None:
    """An instant the history keeps as ISO text, to be shown with ``local``."""
    if isinstance(value, datetime) or not value:
        return value or None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


@blueprint.app_template_filter("words")
def words(value) -> str:
    return localized(value) if value is not None else ""


@blueprint.app_template_filter("action")
def action_words(code: str) -> str:
    return localized(ACTIONS[code]) if code in ACTIONS else code


@blueprint.app_template_filter("who")
def who(name: str | None) -> str:
    """Who did it: a user name as it is, the engine's own steps (timers, reminders) as "the system"."""
    return localized(N_("the system")) if name == SYSTEM.name else (name or "")


@blueprint.app_template_filter("status")
def status_words(code: str | None) -> str:
    return status_label(code) or ""


#: How each kind of wait is said on the pages.
WAITS = {"report": N_("Waiting for %(names)s to report the result"),
         "decision": N_("Waiting for %(names)s to approve the result"),
         "contribution": N_("Waiting for the contributions of %(names)s"),
         "unit_report": N_("Waiting for the reports of %(names)s"),
         "other": N_("Waiting for %(names)s")}
NAMED_WAITING = 4


@blueprint.app_template_filter("waiting")
def waiting_words(waits) -> list[str]:
    """An item's ``waiting_on`` as sentences: "Waiting for the contributions of Sở TT&TT, Sở Tư pháp"."""
    return [localized(t(WAITS.get(wait["step"], WAITS["other"]), names=_named(wait["agencies"])))
            for wait in waits or []]


@blueprint.app_template_filter("late_reports")
def late_report_words(late) -> list[str]:
    """An item's ``late_reports`` as sentences: "Chậm báo cáo kỳ Quý II/2022: Sở TT&TT, Công an tỉnh"."""
    return [localized(t("Report of %(period)s late: %(names)s", period=each["period"],
                        names=_named(each["agencies"]))) for each in late or []]


def _named(codes: list[str]) -> str:
    """Agencies by their names, the first few, and how many more: "Sở TT&TT, Sở Tư pháp và 3 cơ quan khác"."""
    names = _agency_names()
    shown = [names.get(code, code) for code in codes[:NAMED_WAITING]]
    more = len(codes) - len(shown)
    return ", ".join(shown) + (localized(t(" and %(count)s more", count=more)) if more > 0 else "")


@blueprint.app_context_processor
def page_context() -> dict:
    actor = g.get("actor")
    return {"me": actor, "language": request_locale(), "languages": LANGUAGES, "tone": TONE,
            "csrf_token": session.get("csrf", ""), "agency_names": _agency_names() if actor else {},
            "may": _may(actor) if actor else {}, "unread_notices": _unread_notices() if actor else 0}


def _may(actor) -> dict[str, bool]:
    """What the pages offer the actor, as the policy says (a page never decides by roles itself)."""
    return {"read_audit": policy.may_read_audit(actor), "verify_whole_log": policy.may_verify_whole_log(actor),
            "launch_plans": policy.may_launch_plans(actor), "register_templates": policy.may_register_templates(actor),
            "manage_people": policy.may_manage_people(actor), "onboard_provinces": policy.may_onboard_provinces(actor)}


def _unread_notices() -> int:
    """The count on the bell in every page's header, read once a request."""
    if "unread_notices" not in g:
        g.unread_notices = notices.unread_count(unit_of_work(), g.actor)
    return g.unread_notices


def _agency_names() -> dict[str, str]:
    """The names of the bodies of the provinces the reader sees (a national reader's: every one), read once a
    request (a page shows codes as names in many places)."""
    if "agency_names" not in g:
        g.agency_names = directory.agency_names(unit_of_work(), policy.scope(g.actor))
    return g.agency_names
