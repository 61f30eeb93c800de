"""What several resources of the JSON API share: the field types (instants in Vietnam's time, ids, words in the
reader's language, day-or-instant filters), strict bodies, paging, uploads and a task."""
from __future__ import annotations

from datetime import date, datetime, time

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from engine.i18n import t
from engine.model.clock import LOCAL_TZ
from frontdoor.i18n import localized, status_label
from frontdoor.routing import MAX_ID


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
            raise ValidationError(t("a date (2022-09-30) or an ISO 8601 instant (2022-09-30T17:00+07:00)")) from None
        if not 1900 <= when.year <= 2200:
            raise ValidationError(t("a date between the years 1900 and 2200"))
        return when


class Strict(Schema):
    class Meta:
        unknown = RAISE


class PageQuerySchema(Strict):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


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
