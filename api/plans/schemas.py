"""Bodies of plans: launching, reading, the dashboards, the reporting regime and its gates, reports."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.common import Label, LocalDateTime, Strict

#: A reporting period: a year (1990 to 2100, as engine.model.progress_report reads them), a half, a quarter or a month.
PERIOD = r"^(199\d|20\d\d|2100)(-H[12]|-Q[1-4]|-(0[1-9]|1[0-2]))?$"


class LaunchSchema(Strict):
    template = fields.String(required=True, validate=validate.Length(min=1, max=100))
    parameters = fields.Dict(keys=fields.String(), load_default=dict)
    idempotency_key = fields.String(validate=validate.Length(min=8, max=200),
                                    metadata={"description": "A retried launch with the same key returns the same plan"})
    allow_duplicate_symbol = fields.Boolean(load_default=False, metadata={
        "description": "Launch even though a plan with the same symbol was launched already"})


class SubPlanSchema(Strict):
    agency = fields.String(validate=validate.Length(min=1, max=60),
                           metadata={"description": "Whose plan it is (default: the caller's agency)"})
    template = fields.String(validate=validate.Length(min=1, max=100))
    parameters = fields.Dict(keys=fields.String(), load_default=dict)
    idempotency_key = fields.String(validate=validate.Length(min=8, max=200))


class ItemSchema(Schema):
    id = fields.Integer()
    number = fields.String()
    parent_number = fields.String(allow_none=True)
    title = fields.String()
    process = fields.String(allow_none=True)
    lead = fields.String(allow_none=True)
    performers = fields.List(fields.String())
    coordinating = fields.List(fields.String())
    schedule = fields.Dict(allow_none=True)
    outputs = fields.List(fields.String())
    status = fields.String(metadata={"description": "completed_on_time, completed_late, in_progress, due_soon, "
                                                    "not_yet_due, report_late (chậm báo cáo: a periodic report past "
                                                    "its due date, or the last one sent late), overdue, not_started "
                                                    "or heading"})
    status_label = Label("status")
    progress = fields.Float()
    instances = fields.List(fields.Dict())
    sub_plan_required = fields.Boolean()
    sub_plans = fields.List(fields.Dict())
    note = fields.String(allow_none=True)
    escalated = fields.Boolean(metadata={"description": "A deadline passed and was escalated to the coordinators"})
    waiting_on = fields.List(fields.Dict(), metadata={
        "description": "Whom the item waits on now: [{step: report | decision | contribution | unit_report | other, "
                       "agencies: [codes]}], the lead's own work first"})
    late_reports = fields.List(fields.Dict(), metadata={
        "description": "The periodic reports late now (chậm báo cáo), period by period: [{period: Quý II/2022, "
                       "agencies: [codes]}], the lead's reports and the contributions to them"})


class PlanSchema(Schema):
    id = fields.Integer()
    symbol = fields.String()
    title = fields.String()
    issuer = fields.String()
    province = fields.String()
    standing_body = fields.String()
    template = fields.String()
    template_version = fields.Integer()
    launched_at = LocalDateTime()
    parent_item_id = fields.Integer(allow_none=True)
    progress = fields.Float()
    parameters = fields.Dict()
    items = fields.List(fields.Nested(ItemSchema))


class PlanSummarySchema(Schema):
    id = fields.Integer()
    symbol = fields.String()
    title = fields.String()
    issuer = fields.String()
    progress = fields.Float()
    launched_at = LocalDateTime()


class PlanPageSchema(Schema):
    plans = fields.List(fields.Nested(PlanSummarySchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class ReportQuerySchema(Strict):
    format = fields.String(load_default="docx", validate=validate.OneOf(("docx", "pdf", "json", "csv")))
    period = fields.String(validate=validate.Length(min=4, max=7),
                           metadata={"description": "2022, 2022-H1, 2022-Q3 or 2022-09; none: as of now",
                                     "pattern": PERIOD})


#: Bounds of what is read at all; the report's own limits are said in words by the use case (422, by field).
_TEXT = validate.Length(max=100_000)


class ReportSectionsInSchema(Strict):
    """What is written into the report, the whole of it: a section, the recipients or the signer left out is
    left empty (the report then leaves the section out, lists the recipients made from the plan, names the
    standing body's signer)."""

    assessment = fields.String(load_default="", validate=_TEXT, metadata={"description": "Đánh giá chung"})
    shortcomings = fields.String(load_default="", validate=_TEXT,
                                 metadata={"description": "Tồn tại, hạn chế, khó khăn, vướng mắc"})
    next_tasks = fields.String(load_default="", validate=_TEXT,
                               metadata={"description": "Nhiệm vụ trọng tâm thời gian tới"})
    recommendations = fields.String(load_default="", validate=_TEXT, metadata={"description": "Kiến nghị, đề xuất"})
    recipients = fields.List(fields.String(validate=validate.Length(max=1000)), load_default=list,
                             validate=validate.Length(max=200),
                             metadata={"description": "Nơi nhận, one each; none: those made from the plan"})
    signer_title = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=1000),
                                 metadata={"description": "The signer's position, its lines apart by a newline or "
                                                          "' / '; none: the standing body's signer"})
    signer_name = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=1000))
    version = fields.Integer(validate=validate.Range(min=0), metadata={
        "description": "The version you read (0: none saved); a save made since then is refused (409)"})


class ReportSignerSchema(Schema):
    title = fields.String()
    title_lines = fields.List(fields.String())
    name = fields.String(allow_none=True)


class ReportSectionsSchema(Schema):
    plan_id = fields.Integer()
    plan_symbol = fields.String()
    standing_body = fields.String()
    standing_body_name = fields.String()
    assessment = fields.Function(lambda view: view.texts.assessment)
    shortcomings = fields.Function(lambda view: view.texts.shortcomings)
    next_tasks = fields.Function(lambda view: view.texts.next_tasks)
    recommendations = fields.Function(lambda view: view.texts.recommendations)
    recipients = fields.Function(lambda view: list(view.texts.recipients),
                                 metadata={"description": "As written; empty: the report lists default_recipients"})
    default_recipients = fields.List(fields.String())
    signer_title = fields.Function(lambda view: view.texts.signer.title if view.texts.signer else None)
    signer_name = fields.Function(lambda view: view.texts.signer.name if view.texts.signer else None)
    standing_signer = fields.Nested(ReportSignerSchema, allow_none=True,
                                    metadata={"description": "Who signs the standing body's reports (the directory)"})
    signer = fields.Nested(ReportSignerSchema, allow_none=True,
                           metadata={"description": "Who the report names; none: the block is left for a hand "
                                                    "signature"})
    version = fields.Integer()
    updated_at = LocalDateTime(allow_none=True)
    updated_by = fields.String(allow_none=True)
    may_write = fields.Boolean()


class RegimeSchema(Schema):
    """The plan's reporting regime (chế độ báo cáo), with what planflow applies where the plan is silent."""

    name = fields.String(allow_none=True)
    content = fields.String(allow_none=True)
    reporters = fields.String(allow_none=True)
    to = fields.String(metadata={"description": "The agency that receives the reports (the standing body if unsaid)"})
    method = fields.String(allow_none=True)
    periodic = fields.List(fields.String())
    ad_hoc = fields.Boolean()
    submission = fields.Dict(metadata={"description": "{day_of_month: 20} or {working_days: 5}"})
    submission_is_default = fields.Boolean()
    cut_off = fields.String()
    outline = fields.List(fields.String())
    tables = fields.List(fields.Dict())
    basis = fields.String(allow_none=True)


class PeriodSchema(Schema):
    frequency = fields.String()
    label = fields.String()
    first_day = fields.Date()
    last_day = fields.Date()
    closes_at = LocalDateTime()
    due_at = LocalDateTime()


class GateSubmissionSchema(Schema):
    agency = fields.String()
    role = fields.String(metadata={"description": "lead or coordinating"})
    status = fields.String(metadata={"description": "submitted, waived, missing, or waiting (an earlier period's "
                                                    "gate holds it back)"})
    task_id = fields.String(allow_none=True)
    submitted_at = LocalDateTime(allow_none=True)
    on_time = fields.Boolean(allow_none=True)
    late = fields.Boolean(metadata={"description": "Late (chậm báo cáo): still missing after the period's due date, "
                                                   "or sent after it"})


class GateSchema(Schema):
    item_number = fields.String()
    item_title = fields.String()
    instance_id = fields.Integer()
    agency = fields.String()
    status = fields.String(metadata={"description": "not_open, open or closed"})
    missing = fields.List(fields.String())
    blocks = fields.String(allow_none=True, metadata={"description": "What an open gate holds back"})
    submissions = fields.List(fields.Nested(GateSubmissionSchema))


class PeriodGatesSchema(Schema):
    period = fields.Nested(PeriodSchema)
    status = fields.String()
    missing = fields.List(fields.String())
    gates = fields.List(fields.Nested(GateSchema))


class AdHocRequestSchema(Schema):
    item_number = fields.String(metadata={"description": "The plan item the request became: ĐX.1, ĐX.2 …"})
    subject = fields.String()
    requested_at = LocalDateTime()
    due_at = LocalDateTime()
    missing = fields.List(fields.String())
    submissions = fields.List(fields.Nested(GateSubmissionSchema),
                              metadata={"description": "One per agency asked: approved, submitted or missing"})


class ReportingSchema(Schema):
    plan_id = fields.Integer()
    plan_symbol = fields.String()
    regime = fields.Nested(RegimeSchema)
    periods = fields.List(fields.Nested(PeriodGatesSchema))
    ad_hoc = fields.List(fields.Nested(AdHocRequestSchema))


class ReportRequestSchema(Strict):
    agencies = fields.List(fields.String(validate=validate.Length(min=1, max=60)), required=True,
                           validate=validate.Length(min=1, max=500),
                           metadata={"description": "The agencies asked, by code"})
    due = fields.String(required=True, validate=validate.Length(min=10, max=40),
                        metadata={"description": "A date (the end of that day in Vietnam) or an ISO 8601 instant"})
    subject = fields.String(required=True, validate=validate.Length(min=1, max=500))
    content = fields.String(validate=validate.Length(max=10_000),
                            metadata={"description": "What the report must contain"})


class CountsSchema(Schema):
    """Units of work (each agency's run of an item) in the layout of Vietnamese task tracking."""

    done_on_time = fields.Integer(metadata={"description": "hoàn thành đúng hạn"})
    done_late = fields.Integer(metadata={"description": "hoàn thành quá hạn"})
    in_progress = fields.Integer(metadata={"description": "đang thực hiện (trong hạn), not yet due included"})
    report_late = fields.Integer(metadata={"description": "chậm báo cáo: a duty whose periodic report is past its "
                                                          "due date, or whose last one came in after it"})
    overdue = fields.Integer(metadata={"description": "quá hạn chưa hoàn thành"})
    due_soon = fields.Integer(metadata={"description": "of in_progress: due within 3 working days"})
    not_yet_due = fields.Integer(metadata={"description": "of in_progress: its time has not begun"})
    total = fields.Integer()


class AgencyCountsSchema(Schema):
    agency = fields.String()
    name = fields.String()
    counts = fields.Nested(CountsSchema)


class OverdueWorkSchema(Schema):
    plan_id = fields.Integer()
    plan_symbol = fields.String()
    item_number = fields.String()
    item_title = fields.String()
    agency = fields.String(allow_none=True)
    agency_name = fields.String(allow_none=True)
    due_at = LocalDateTime()
    days_overdue = fields.Integer()


class WeekSchema(Schema):
    start = fields.Date(metadata={"description": "The Monday the week begins"})
    completed = fields.Integer(metadata={"description": "Units completed by the end of the week, in all"})
    completed_on_time = fields.Integer()
    total = fields.Integer()


class PlanDashboardSchema(Schema):
    plan_id = fields.Integer()
    plan_symbol = fields.String()
    plan_title = fields.String()
    as_of = LocalDateTime()
    counts = fields.Nested(CountsSchema)
    by_agency = fields.List(fields.Nested(AgencyCountsSchema), metadata={"description": "Most overdue first"})
    overdue = fields.List(fields.Nested(OverdueWorkSchema), metadata={"description": "Longest overdue first"})
    weeks = fields.List(fields.Nested(WeekSchema))


class PlanCountsSchema(Schema):
    plan_id = fields.Integer()
    symbol = fields.String()
    title = fields.String()
    counts = fields.Nested(CountsSchema)


class ProvinceDashboardSchema(Schema):
    province = fields.String(allow_none=True)
    as_of = LocalDateTime()
    counts = fields.Nested(CountsSchema)
    plans = fields.List(fields.Nested(PlanCountsSchema), metadata={"description": "Most overdue first"})
    by_agency = fields.List(fields.Nested(AgencyCountsSchema))
    overdue = fields.List(fields.Nested(OverdueWorkSchema))
