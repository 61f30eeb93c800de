"""The inbox page: a person's notices, newest first, each leading to what it is about; marking them read; and
how each kind comes by mail. The bell in every page's header counts the unread (``web.filters``)."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from engine.errors import Invalid
from engine.model.notices import KINDS, MAIL_MODES
from engine.services import notices
from frontdoor.context import actor, clock, unit_of_work
from frontdoor.i18n import localized
from web.blueprint import blueprint

PER_PAGE = 30


@blueprint.route("/notices")
def notice_list():
    unread_only = request.args.get("unread") == "1"
    page = max(1, request.args.get("page", 1, type=int))
    inbox = notices.inbox(unit_of_work(), actor(), unread_only, page, PER_PAGE)
    return render_template("notices.html", inbox=inbox, unread_only=unread_only, pages=-(-inbox.total // PER_PAGE),
                           kinds=KINDS, settings=notices.mail_choices(unit_of_work(), actor()), modes=MAIL_MODES,
                           saved=request.args.get("saved"), marked=request.args.get("marked", type=int))


@blueprint.route("/notices/<int:notification_id>/open", methods=["POST"])
def notice_open(notification_id: int):
    """Mark the notice read and go to what it is about (its task, else its instance, else its plan)."""
    notice = notices.mark_read(unit_of_work(), clock(), actor(), notification_id)
    return redirect(target_of(notice) or url_for("web.notice_list"))


@blueprint.route("/notices/read", methods=["POST"])
def notice_read_all():
    marked = notices.mark_all_read(unit_of_work(), clock(), actor())
    return redirect(url_for("web.notice_list", marked=marked))


@blueprint.route("/notices/mail", methods=["POST"])
def notice_mail():
    chosen = {kind: request.form[f"mail-{kind}"] for kind in KINDS if f"mail-{kind}" in request.form}
    if not chosen:
        abort(400)
    try:
        notices.choose_mail(unit_of_work(), actor(), chosen)
    except Invalid as error:
        abort(422, localized(error.message))
    return redirect(url_for("web.notice_list", saved=1) + "#mail")


def target_of(notice) -> str | None:
    if notice.task_id:
        return url_for("web.task", task_id=notice.task_id)
    if notice.instance_id:
        return url_for("web.instance", instance_id=notice.instance_id)
    if notice.plan_id:
        return url_for("web.plan", plan_id=notice.plan_id)
    return None
