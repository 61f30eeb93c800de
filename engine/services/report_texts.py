"""Writing a plan's progress report before it is produced: its four narrative sections, its recipients and who
signs it, kept per plan and audited; the report's .docx and PDF print them (``engine.services.progress_reports``)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.errors import Conflict, Invalid
from engine.i18n import t
from engine.model import policy
from engine.model.actors import Actor
from engine.model.report_texts import (
    SECTIONS,
    ReportTexts,
    Signer,
    recipient_lines,
    signer_of,
    signer_problems,
    text_problems,
)
from engine.store.plans.tables import AgencyRow, PlanReportRow, PlanRow
from engine.store.uow import UnitOfWork


@dataclass(frozen=True)
class ReportTextsView:
    """A plan's report as written so far, with what it falls back on: the standing body's signer and the
    recipients made from the plan."""

    plan_id: int
    plan_symbol: str
    plan_title: str
    standing_body: str
    standing_body_name: str
    texts: ReportTexts
    standing_signer: Signer | None  # the standing body's, from the directory
    default_recipients: list[str]
    version: int  # 0: nothing written yet
    updated_at: datetime | None
    updated_by: str | None
    may_write: bool

    @property
    def signer(self) -> Signer | None:
        """Who the report names as signing: the report's own, else the standing body's, else nobody."""
        return self.texts.signer or self.standing_signer

    @property
    def recipients(self) -> list[str]:
        return list(self.texts.recipients) or self.default_recipients


def report_texts(uow: UnitOfWork, actor: Actor, plan_id: int, to_write: bool = False) -> ReportTextsView:
    """What is written into the plan's report, for whoever sees the plan (its downloads print it); with
    ``to_write``, only for those who write it (the report's page)."""
    with uow:
        plan = uow.plans.get(plan_id)
        if to_write:
            policy.check_writes_report(actor, plan_id, plan.province, plan.standing_body)
        else:
            policy.check_sees_plan(actor, plan_id, plan.province)
        return _view(uow, actor, plan)


def save_report_texts(uow: UnitOfWork, clock, actor: Actor, plan_id: int, sections: dict[str, str | None],
                      recipients: list[str], signer_title: str | None, signer_name: str | None,
                      version: int | None = None) -> ReportTextsView:
    """Keep what was written: the sections, the recipients (none: those made from the plan) and who signs
    (none: the standing body's signer). ``version``, when given, is the one the writer read: a save made
    meanwhile by someone else is not overwritten."""
    recipients = recipient_lines("\n".join(recipients))
    errors = {**text_problems(sections, recipients), **signer_problems(signer_title, signer_name)}
    if errors:
        raise Invalid(t("the report cannot be saved: %(first)s", first=next(iter(errors.values()))[0]),
                      errors=errors)
    with uow:
        plan = uow.plans.get(plan_id)
        policy.check_writes_report(actor, plan_id, plan.province, plan.standing_body)
        row = uow.plans.report_texts(plan_id)
        if version is not None and version != (row.version if row else 0):
            raise Conflict(t("someone else saved this report meanwhile (%(by)s): reload it and write your changes "
                             "again", by=row.updated_by if row else "—"))
        if row is None:
            row = uow.plans.add_report_texts(PlanReportRow(plan_id=plan_id, version=0))
        for key in SECTIONS:
            setattr(row, key, (sections.get(key) or "").strip())
        signer = signer_of(signer_title, signer_name)
        row.recipients = list(recipients)
        row.signer_title, row.signer_name = (signer.title, signer.name) if signer else (None, None)
        row.version, row.updated_at, row.updated_by = row.version + 1, clock.now(), actor.name
        uow.audit.append(clock.now(), actor.name, "plan.report_written", data={
            "plan_id": plan_id, "version": row.version, "sections": [key for key in SECTIONS if getattr(row, key)],
            "characters": sum(len(getattr(row, key)) for key in SECTIONS), "recipients": len(row.recipients),
            "signer": str(signer) if signer else None})
        uow.flush()
        view = _view(uow, actor, plan)
        uow.commit()
        return view


def texts_of(uow: UnitOfWork, plan: PlanRow) -> tuple[ReportTexts, Signer | None]:
    """Inside an open unit of work: what is written into the plan's report, and its standing body's signer."""
    row = uow.plans.report_texts(plan.id)
    body = uow.agencies.find(plan.standing_body)
    return _texts(row), standing_signer(body)


def standing_signer(body: AgencyRow | None) -> Signer | None:
    return signer_of(body.signer_title, body.signer_name) if body is not None else None


def _texts(row: PlanReportRow | None) -> ReportTexts:
    if row is None:
        return ReportTexts()
    return ReportTexts(row.assessment, row.shortcomings, row.next_tasks, row.recommendations,
                       tuple(row.recipients or ()), signer_of(row.signer_title, row.signer_name))


def recipients_of(uow: UnitOfWork, plan: PlanRow) -> list[str]:
    """Inside an open unit of work: whom the report goes to when nobody wrote the list. The standing body
    compiles it for the People's Committee, the plan's issuer and whoever the plan's reporting regime names;
    not for itself."""
    reporting = plan.template.data.get("reporting") or {}
    codes = [code for code in (f"{plan.province}-UBND", plan.issuer, reporting.get("to"))
             if code and code != plan.standing_body]
    names = uow.agencies.names_of(codes)
    return list(dict.fromkeys(names[code] for code in codes if code in names))


def _view(uow: UnitOfWork, actor: Actor, plan: PlanRow) -> ReportTextsView:
    row = uow.plans.report_texts(plan.id)
    texts, signer = texts_of(uow, plan)
    names = uow.agencies.names_of([plan.standing_body])
    return ReportTextsView(
        plan.id, plan.symbol, plan.title, plan.standing_body, names.get(plan.standing_body, plan.standing_body),
        texts, signer, recipients_of(uow, plan), row.version if row else 0, row.updated_at if row else None,
        row.updated_by if row else None, policy.may_write_report(actor, plan.province, plan.standing_body))
