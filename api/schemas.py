"""Request and response bodies of the JSON API (the OpenAPI document is generated from them)."""
from __future__ import annotations

from datetime import date, datetime, time

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from api.i18n import localized, status_label
from api.routing import MAX_ID
from engine.model.clock import LOCAL_TZ


class LocalDateTime(fields.DateTime):
    """An instant as people in the province read it: ISO 8601 with the +07:00 offset of Asia/Ho_Chi_Minh."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(LOCAL_TZ)
        return super()._serialize(value, attr, obj, **kwargs)


def Id(**kwargs) -> fields.Integer:  # noqa: N802 - a field factory, read like a field class
    """An id a client sends: a positive integer a row can have (``MAX_ID``)."""
    return fields.Integer(strict=False, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class Localized(fields.String):
    """Text people read that may be in the catalogues (a BPMN task or process name): in their language."""

    def _serialize(self, value, attr, obj, **kwargs):
        return localized(super()._serialize(value, attr, obj, **kwargs))


def Label(code_field: str) -> fields.Function:  # noqa: N802 - a field factory, read like a field class
    """The label of a status code, in the reader's language, beside the code itself."""
    def read(obj):
        return status_label(obj.get(code_field) if isinstance(obj, dict) else getattr(obj, code_field, None))
    return fields.Function(read, metadata={"description": f"{code_field}, in words (Vietnamese by default)"})


#: What a day or an instant looks like, for the document: years 1900 to 2200, as read (that February has no
#: 30th is checked when it is read).
DAY_OR_INSTANT = (r"^(19\d\d|2[01]\d\d|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
                  r"([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-](0\d|1[0-4]):?[0-5]\d)?)?$")
#: A reporting period: a year (1990 to 2100, as engine.reporting reads them), a half, a quarter or a month.
PERIOD = r"^(199\d|20\d\d|2100)(-H[12]|-Q[1-4]|-(0[1-9]|1[0-2]))?$"


class DayOrInstant(fields.Field):
    """A date filter: ``2022-09-30`` (that day in Asia/Ho_Chi_Minh: its first moment, or with ``end_of_day``
    its last) or an ISO 8601 instant (``2022-09-30T17:00+07:00``; without an offset, read as local time)."""

    def __init__(self, end_of_day: bool = False, **kwargs) -> None:
        metadata = {"type": "string", "pattern": DAY_OR_INSTANT, "example": "2022-09-30", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)
        self.end_of_day = end_of_day

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        text = str(value).strip()
        try:
            if len(text) == 10:
                day = date.fromisoformat(text)
                when = datetime.combine(day, time.max if self.end_of_day else time.min, LOCAL_TZ)
            else:
                when = datetime.fromisoformat(text)
                when = when if when.tzinfo else when.replace(tzinfo=LOCAL_TZ)
        except ValueError:
            raise ValidationError("a date (2022-09-30) or an ISO 8601 instant (2022-09-30T17:00+07:00)") from None
        if not 1900 <= when.year <= 2200:
            raise ValidationError("a date between the years 1900 and 2200")
        return when


class Strict(Schema):
    class Meta:
        unknown = RAISE


class LoginSchema(Strict):
    username = fields.String(required=True, validate=validate.Length(min=1, max=120))
    password = fields.String(required=True, validate=validate.Length(min=1, max=500), load_only=True)


class SessionSchema(Schema):
    username = fields.String()
    agency = fields.String(allow_none=True)
    roles = fields.List(fields.String())
    csrf_token = fields.String(allow_none=True, metadata={"description": "Send as X-CSRF-Token with changes"})


class TokenRequestSchema(Strict):
    name = fields.String(validate=validate.Length(max=200))
    days = fields.Integer(validate=validate.Range(min=1, max=365), strict=True,
                          metadata={"description": "How many days the token lasts (default 90, at most 365)"})


class TokenSchema(Schema):
    token = fields.String()
    name = fields.String()
    expires_at = fields.DateTime()


class TokenInfoSchema(Schema):
    """A personal token as listed afterwards: never the token itself."""

    id = fields.Integer()
    name = fields.String()
    created_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    last_used_at = fields.DateTime(allow_none=True)
    revoked = fields.Boolean()


class AgencySchema(Schema):
    code = fields.String()
    name = fields.String()
    short_name = fields.String()
    level = fields.String()
    kind = fields.String()
    province = fields.String()
    parent = fields.String(allow_none=True)
    groups = fields.List(fields.String())


class AgencyQuerySchema(Strict):
    province = fields.String(validate=validate.Length(max=20))
    group = fields.String(validate=validate.Length(max=60))


class TemplateSummarySchema(Schema):
    key = fields.String()
    version = fields.Integer()
    name = fields.String()
    items = fields.Integer()


class TemplateSchema(Schema):
    key = fields.String()
    version = fields.Integer()
    name = fields.String()
    document_type = fields.String()
    province = fields.String()
    symbol = fields.String()
    standing_body = fields.String()
    implements = fields.List(fields.String())
    purposes = fields.List(fields.String())
    requirements = fields.List(fields.String())
    reporting = fields.Dict()
    parameters = fields.Dict()
    items = fields.List(fields.Dict())
    notes = fields.List(fields.String())


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
                                                    "not_yet_due, overdue, not_started or heading"})
    status_label = Label("status")
    progress = fields.Float()
    instances = fields.List(fields.Dict())
    sub_plan_required = fields.Boolean()
    sub_plans = fields.List(fields.Dict())
    note = fields.String(allow_none=True)
    escalated = fields.Boolean(metadata={"description": "A deadline passed and was escalated to the coordinators"})


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


class PageQuerySchema(Strict):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class TaskQuerySchema(PageQuerySchema):
    status = fields.String(load_default="ready",
                           validate=validate.OneOf(("ready", "completed", "cancelled", "any")))
    plan = Id()
    agency = fields.String(validate=validate.Length(min=1, max=60),
                           metadata={"description": "One agency's tasks (for those who see every agency's)"})
    due_after = DayOrInstant(metadata={"description": "Due on or after this day (2022-09-01) or instant"})
    due_before = DayOrInstant(end_of_day=True, metadata={"description": "Due on or before this day or instant"})
    q = fields.String(validate=validate.Length(min=1, max=200),
                      metadata={"description": "Words of the plan's symbol or title or the item's number or title; "
                                               "case and diacritics do not matter"})
    sort = fields.String(load_default="deadline", validate=validate.OneOf(("deadline", "plan")))


class TaskSchema(Schema):
    id = fields.String()
    instance_id = fields.Integer()
    element_id = fields.String()
    name = Localized()
    lane = fields.String(allow_none=True)
    assigned_agency = fields.String(allow_none=True)
    form_key = fields.String(allow_none=True)
    status = fields.String()
    status_label = Label("status")
    due_at = LocalDateTime(allow_none=True)
    claimed_by = fields.String(allow_none=True)


class WorklistRowSchema(TaskSchema):
    plan_id = fields.Integer(allow_none=True)
    plan_symbol = fields.String(allow_none=True)
    plan_title = fields.String(allow_none=True)
    item_number = fields.String(allow_none=True)
    item_title = fields.String(allow_none=True)
    lead_agency = fields.String(allow_none=True)
    deadline_status = fields.String(metadata={
        "description": "in_progress, due_soon (3 working days or fewer left), not_yet_due (the item's time has "
                       "not begun), overdue, done_on_time, done_late, no_deadline, cancelled, waived"})
    deadline_status_label = Label("deadline_status")


class TaskPageSchema(Schema):
    tasks = fields.List(fields.Nested(WorklistRowSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class EvidenceSchema(Schema):
    id = fields.String()
    task_id = fields.String()
    sha256 = fields.String()
    size = fields.Integer()
    content_type = fields.String()
    file_name = fields.String()
    uploaded_by = fields.String()
    uploaded_at = LocalDateTime()
    url = fields.Function(lambda file: f"/api/v1/evidence/{file.id}", metadata={"description": "Download link"})


class ItemContextSchema(Schema):
    plan_id = fields.Integer()
    plan_symbol = fields.String()
    plan_title = fields.String()
    number = fields.String()
    title = fields.String()
    text = fields.String(allow_none=True)
    lead_agency = fields.String(allow_none=True)
    coordinating = fields.List(fields.String())
    outputs = fields.List(fields.String())
    schedule = fields.Dict(allow_none=True)
    standing_body = fields.String()


class SubmissionSchema(Schema):
    task_id = fields.String()
    element_id = fields.String()
    name = Localized()
    by = fields.String(allow_none=True)
    at = LocalDateTime(allow_none=True)
    data = fields.Dict()
    outputs_done = fields.List(fields.String())
    evidence = fields.List(fields.Nested(EvidenceSchema))


class DecisionSchema(Schema):
    task_id = fields.String()
    by = fields.String(allow_none=True)
    at = LocalDateTime(allow_none=True)
    approved = fields.Boolean(allow_none=True)
    reason = fields.String()
    comment = fields.String()


class FieldChangeSchema(Schema):
    field = fields.String()
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)


class RoundSchema(Schema):
    number = fields.Integer()
    submission = fields.Nested(SubmissionSchema)
    decision = fields.Nested(DecisionSchema, allow_none=True)
    changes = fields.List(fields.Nested(FieldChangeSchema),
                          metadata={"description": "What this round's report changed since the previous one"})


class ContributionSchema(Schema):
    task_id = fields.String()
    agency = fields.String(allow_none=True)
    status = fields.String()
    status_label = Label("status")
    by = fields.String(allow_none=True)
    at = LocalDateTime(allow_none=True)
    data = fields.Dict()
    evidence = fields.List(fields.Nested(EvidenceSchema))


class TaskDetailSchema(TaskSchema):
    kind = fields.String(allow_none=True, metadata={"description": "report, decision, contribution, unit_report"})
    form = fields.Dict(metadata={"description": "JSON Schema of the task's form, for rendering"})
    item = fields.Nested(ItemContextSchema, allow_none=True)
    variables = fields.Dict(metadata={"description": "The item's title and agencies, for context"})
    evidence = fields.List(fields.Nested(EvidenceSchema), metadata={"description": "This task's own files"})
    under_review = fields.Nested(SubmissionSchema, allow_none=True,
                                 metadata={"description": "For an approval: the report it decides on"})
    returned = fields.Nested(DecisionSchema, allow_none=True,
                             metadata={"description": "For a report asked for again: who returned it and why"})
    draft = fields.Dict(allow_none=True, metadata={"description": "The last version submitted, to edit"})
    reusable_evidence = fields.List(fields.Nested(EvidenceSchema),
                                    metadata={"description": "Files of earlier rounds the form may name again"})
    contributions = fields.List(fields.Nested(ContributionSchema))
    rounds = fields.List(fields.Nested(RoundSchema), metadata={"description": "Every report and decision so far"})


class HandOverSchema(Strict):
    to = fields.String(required=True, validate=validate.Length(min=1, max=120),
                       metadata={"description": "The colleague's user name"})


class WaiveSchema(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                           metadata={"description": "Why the contribution is not needed (kept in the history)"})


class CompleteSchema(Strict):
    data = fields.Dict(keys=fields.String(), required=True, metadata={"description": "The form's fields"})


class UploadSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class StepSchema(Schema):
    """Where an instance stands right after a step."""

    id = fields.Integer()
    key = fields.String()
    version = fields.Integer()
    status = fields.String()
    status_label = Label("status")
    business_key = fields.String(allow_none=True)
    open_tasks = fields.List(fields.Nested(TaskSchema))
    next_timer_at = LocalDateTime(allow_none=True)
    waiting_for = fields.List(fields.String())


class InstanceSchema(Schema):
    id = fields.Integer()
    key = fields.String()
    version = fields.Integer()
    status = fields.String()
    status_label = Label("status")
    business_key = fields.String(allow_none=True)
    plan_item_id = fields.Integer(allow_none=True)
    agency = fields.String(allow_none=True)
    started_at = LocalDateTime()
    completed_at = LocalDateTime(allow_none=True)
    next_timer_at = LocalDateTime(allow_none=True)
    waiting_for = fields.List(fields.String())
    open_tasks = fields.List(fields.Nested(TaskSchema))
    active_elements = fields.List(fields.String())
    completed_elements = fields.List(fields.String())
    bpmn = fields.Dict(keys=fields.String(), values=fields.String(),
                       metadata={"description": "The BPMN XML files of the version the instance runs"})
    incidents = fields.List(fields.Dict())
    escalations = fields.List(fields.Dict())


class HistorySchema(Schema):
    id = fields.Integer(metadata={"description": "The event's sequence number in the audit log"})
    at = LocalDateTime()
    actor = fields.String()
    actor_agency = fields.String(allow_none=True)
    action = fields.String()
    task_id = fields.String(allow_none=True)
    data = fields.Dict()
    evidence = fields.List(fields.String(), metadata={"description": "SHA-256 of the files the event concerns"})
    hash = fields.String(allow_none=True, metadata={"description": "The event's hash in the chain"})
    changes = fields.List(fields.Dict(), metadata={"description": "For a form submitted again at the same step: "
                                                                  "each field changed, with before and after"})


class ProcessSchema(Schema):
    key = fields.String()
    version = fields.Integer()
    name = Localized(allow_none=True)


class InboxQuerySchema(PageQuerySchema):
    unread = fields.Boolean(load_default=False, metadata={"description": "Only the notices not yet read"})


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "before, due_today, overdue, escalated …"})
    text = fields.Function(lambda notice: localized(notice.text))
    task_id = fields.String(allow_none=True)
    instance_id = fields.Integer(allow_none=True)
    plan_id = fields.Integer(allow_none=True)
    created_at = LocalDateTime()
    read_at = LocalDateTime(allow_none=True)


class InboxPageSchema(Schema):
    notifications = fields.List(fields.Nested(NotificationSchema))
    total = fields.Integer()
    unread = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class ReportQuerySchema(Strict):
    format = fields.String(load_default="docx", validate=validate.OneOf(("docx", "json", "csv")))
    period = fields.String(validate=validate.Length(min=4, max=7),
                           metadata={"description": "2022, 2022-H1, 2022-Q3 or 2022-09; none: as of now",
                                     "pattern": PERIOD})


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


class ExtensionRequestSchema(Strict):
    until = fields.String(required=True, validate=validate.Length(min=10, max=40),
                          metadata={"description": "The deadline asked for: a date (the end of that day in Vietnam) "
                                                   "or an ISO 8601 instant", "pattern": DAY_OR_INSTANT})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                           metadata={"pattern": r"\S", "description": "Why more time is needed (not blank)"})


class ExtensionDecisionSchema(Strict):
    grant = fields.Boolean(required=True, metadata={"description": "true grants, false refuses"})
    reason = fields.String(validate=validate.Length(max=2000), metadata={"description": "Required to refuse"})
    until = fields.String(validate=validate.Length(min=10, max=40),
                          metadata={"description": "Grant less time than asked: a date up to the one asked"})


class ExtensionSchema(Schema):
    id = fields.Integer()
    task_id = fields.String()
    task_name = Localized()
    instance_id = fields.Integer()
    plan_id = fields.Integer(allow_none=True)
    plan_symbol = fields.String(allow_none=True)
    item_number = fields.String(allow_none=True)
    agency = fields.String()
    requested_by = fields.String()
    requested_at = LocalDateTime()
    reason = fields.String()
    due_before = LocalDateTime(metadata={"description": "The deadline when the extension was asked"})
    requested_until = LocalDateTime()
    status = fields.String(metadata={"description": "pending, granted or refused"})
    decided_by = fields.String(allow_none=True)
    decided_at = LocalDateTime(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    granted_until = LocalDateTime(allow_none=True)


class ExtensionQuerySchema(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(("pending", "granted", "refused")))


class ExtensionPageSchema(Schema):
    extensions = fields.List(fields.Nested(ExtensionSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class CountsSchema(Schema):
    """Units of work (each agency's run of an item) in the layout of Vietnamese task tracking."""

    done_on_time = fields.Integer(metadata={"description": "hoàn thành đúng hạn"})
    done_late = fields.Integer(metadata={"description": "hoàn thành quá hạn"})
    in_progress = fields.Integer(metadata={"description": "đang thực hiện (trong hạn), not yet due included"})
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


class AuditQuerySchema(Strict):
    plan = Id()
    item = Id()
    instance = Id()
    task = fields.String(validate=validate.Length(min=1, max=36))
    agency = fields.String(validate=validate.Length(min=1, max=60), metadata={"description": "The actor's agency"})
    actor = fields.String(validate=validate.Length(min=1, max=120))
    action = fields.String(validate=validate.Length(min=1, max=60),
                           metadata={"description": "An action (task.completed) or a prefix ending in '.' (task.)"})
    since = DayOrInstant(metadata={"description": "On or after this day (2022-09-01) or instant"})
    until = DayOrInstant(end_of_day=True, metadata={"description": "On or before this day or instant"})
    after = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2 ** 63 - 1),
                           metadata={"description": "The sequence number after which the page starts (the "
                                                    "next_after of the page before)"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class AuditExportQuerySchema(AuditQuerySchema):
    format = fields.String(load_default="jsonl", validate=validate.OneOf(("jsonl", "csv")))


class AuditEventSchema(Schema):
    seq = fields.Integer()
    at = LocalDateTime()
    actor = fields.String()
    actor_agency = fields.String(allow_none=True)
    action = fields.String()
    plan_id = fields.Integer(allow_none=True)
    item_id = fields.Integer(allow_none=True)
    instance_id = fields.Integer(allow_none=True)
    task_id = fields.String(allow_none=True)
    data = fields.Dict()
    evidence = fields.List(fields.String(), metadata={"description": "SHA-256 of the files the event concerns"})
    prev_hash = fields.String()
    hash = fields.String()


class AuditPageSchema(Schema):
    events = fields.List(fields.Nested(AuditEventSchema))
    next_after = fields.Integer(allow_none=True, metadata={"description": "Pass as `after` for the next page; "
                                                                         "null when this page is the last"})


class BreakSchema(Schema):
    seq = fields.Integer()
    reason = fields.String()


class EvidenceProblemSchema(Schema):
    evidence_id = fields.String()
    sha256 = fields.String()
    file_name = fields.String()
    problem = fields.String(metadata={"description": "missing, changed, not_in_chain or differs_from_chain"})


class VerificationSchema(Schema):
    ok = fields.Boolean()
    events = fields.Integer()
    head_seq = fields.Integer()
    first_break = fields.Nested(BreakSchema, allow_none=True)
    evidence_files = fields.Integer()
    evidence_problems = fields.List(fields.Nested(EvidenceProblemSchema))
    seconds = fields.Float()


class DraftSpanSchema(Schema):
    paragraph = fields.Integer(metadata={"description": "The paragraph of the document, from 0"})
    start = fields.Integer()
    end = fields.Integer()
    text = fields.String()


class DraftFlagSchema(Schema):
    path = fields.String(metadata={"description": "The field of the draft the flag is about"})
    message = fields.Function(lambda flag: localized(flag.message), metadata={"description": "In the reader's language"})
    span = fields.Nested(DraftSpanSchema, allow_none=True)
    suggestions = fields.List(fields.String(), metadata={"description": "Agency codes the text may have meant"})


class DraftItemSchema(Schema):
    number = fields.String()
    title = fields.String()
    spans = fields.Dict(keys=fields.String(), values=fields.Nested(DraftSpanSchema))


class DraftSchema(Schema):
    summary = fields.String()
    template = fields.Dict(metadata={"description": "The proposed template, in the format of the template files"})
    yaml = fields.String(metadata={"description": "The same as a YAML file, each field's source in comments"})
    spans = fields.Dict(keys=fields.String(), values=fields.Nested(DraftSpanSchema))
    items = fields.List(fields.Nested(DraftItemSchema))
    flags = fields.List(fields.Nested(DraftFlagSchema))
    paragraphs = fields.List(fields.String(), metadata={"description": "The document's paragraphs as read"})
