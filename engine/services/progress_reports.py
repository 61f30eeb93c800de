"""The official progress report of a plan: what the standing body sends upward, compiled from the agencies' data.

For a plan and a reporting period, each item with its lead agency, its
status as of the end of the period and the results the agencies reported in
it; the overdue items; the counts done on time / done late / in progress /
overdue; then what people wrote into it (``engine.services.report_texts``) and
who signs it; written as .docx, PDF, JSON or CSV.
"""
from __future__ import annotations

import json
from datetime import datetime

from engine.errors import Invalid, NotOnThisServer
from engine.files import office, report_files
from engine.i18n import t
from engine.model.actors import Actor
from engine.model.clock import LOCAL_TZ
from engine.model.progress_report import Period, ProgressReport, ReportedItem, parse_period
from engine.model.tasks import REPORTS
from engine.runtime.plans import plan_view, visible_plan
from engine.runtime.views import step_kind_of
from engine.services.report_texts import recipients_of, texts_of
from engine.store.uow import UnitOfWork


def progress_report(uow: UnitOfWork, clock, actor: Actor, plan_id: int, period_text: str | None = None) -> ProgressReport:
    """The report of a plan as of the end of a period (or now), for whoever sees the plan."""
    period = parse_period(period_text)
    now = clock.now()
    as_of = min(period.end, now) if period else now
    with uow:
        plan = visible_plan(uow, actor, plan_id)
        view = plan_view(uow, plan, as_of, as_of)
        names = {row.code: row.name for row in uow.agencies.all()}
        results = _results(uow, [i["id"] for item in view.items for i in item.instances], period, as_of)
        texts, standing_signer = texts_of(uow, plan)
        report = ProgressReport(
            plan_id=plan.id, plan_symbol=plan.symbol, plan_title=plan.title, plan_launched=plan.launched_at,
            issuer_name=names.get(plan.standing_body, plan.standing_body),
            province_name=_province_name(names, plan.province),
            recipient_names=list(texts.recipients) or recipients_of(uow, plan),
            period=period, as_of=as_of, written_on=now.astimezone(LOCAL_TZ).date(), texts=texts,
            signer=texts.signer or standing_signer)
        for item in view.items:
            due = datetime.fromisoformat(item.schedule["end"]) if item.schedule else None
            lead = item.lead or (item.performers[0] if len(item.performers) == 1 else None)
            report.items.append(ReportedItem(
                number=item.number, title=item.title, lead_agency=lead,
                lead_name=names.get(lead) if lead else _performers(item.performers, names),
                coordinating=[names.get(code, code) for code in item.coordinating], due=due, status=item.status,
                results=[text for i in item.instances for text in results.get(i["id"], [])],
                heading=item.status == "heading"))
        return report


def _performers(codes: list[str], names: dict[str, str]) -> str:
    """Who does an item each for itself: named when they are a few, counted when a whole province."""
    if len(codes) <= 3:
        return "; ".join(names.get(code, code) for code in codes)
    return t("%(count)s agencies", count=len(codes))


def _results(uow: UnitOfWork, instance_ids: list[int], period: Period | None, as_of: datetime) -> dict[int, list[str]]:
    """What each instance's agency last reported (its latest submitted report's summary) within the period."""
    found: dict[int, list[str]] = {}
    for row in uow.tasks.completed_of_instances(instance_ids):
        if step_kind_of(row) not in REPORTS or row.completed_at > as_of:
            continue
        if period is not None and row.completed_at < period.start:
            continue
        data = row.result or {}
        summary = data.get("summary") or next((part.get("summary") for part in data.values()
                                               if isinstance(part, dict) and part.get("summary")), None)
        if summary:
            found[row.instance_id] = [str(summary)]  # the latest report of the period says where it stands
    return found


def _province_name(names: dict[str, str], province: str) -> str:
    committee = names.get(f"{province}-UBND", "")
    return committee.removeprefix("Ủy ban nhân dân tỉnh ").removeprefix("UBND tỉnh ") or province


FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "pdf": "application/pdf", "json": "application/json", "csv": "text/csv"}


def _pdf(docx: bytes) -> bytes:
    """The .docx as PDF, by LibreOffice; where it is missing or fails, a plain answer saying to take the .docx."""
    if office.libreoffice() is None:
        raise NotOnThisServer(t("this server cannot make PDF files (LibreOffice is not installed): download the report "
                            "as .docx and print it to PDF"))
    try:
        made = office.pdf_from_docx(docx)
    except office.TooSlow:
        made = None
    if made is None:
        raise NotOnThisServer(t("LibreOffice could not make a PDF of the report just now: download it as .docx, or try "
                            "again later"))
    return made


def progress_document(uow: UnitOfWork, clock, actor: Actor, plan_id: int, period_text: str | None,
                      kind: str) -> tuple[bytes, str, str]:
    """The report as a file: its bytes, its media type and a file name (``249-KH-BCD138-2022-H1.docx``)."""
    if kind not in FORMATS:
        raise Invalid(t("the report is written as docx, pdf, json or csv, not '%(kind)s'", kind=kind),
                      errors={"format": [t("docx, pdf, json or csv")]})
    report = progress_report(uow, clock, actor, plan_id, period_text)
    if kind == "docx":
        content = report_files.progress_docx(report)
    elif kind == "pdf":
        content = _pdf(report_files.progress_docx(report))
    elif kind == "csv":
        content = report_files.progress_csv(report).encode("utf-8")
    else:
        content = json.dumps(report_files.progress_json(report), ensure_ascii=False, indent=2).encode("utf-8")
    stem = report.plan_symbol.replace("/", "-") + (f"-{report.period.code}" if report.period else "")
    return content, FORMATS[kind], f"{stem}.{kind}"
