"""The shape of a plan template, as marshmallow schemas.

This checks structure only (fields, types, one-of choices); whether named
agencies, groups, parameters and processes exist is checked against the
directory by ``engine.templates.references``. The format is described for
authors in ``workflows/templates/README.md``.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates_schema,
)

from engine.i18n import N_, t
from engine.model import frequencies

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{1,99}$")
CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,59}$")
NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
FREQUENCIES = tuple(frequencies.FREQUENCIES)
PARAMETER_TYPES = ("string", "integer", "date", "agencies")
#: marshmallow formats it as it formats its own words (``engine.templates.messages`` knows it).
KEY_ERROR = N_("use lower-case letters, digits and '-'")


class AgencyRef(fields.Field):
    """An agency named by code (``QNG-CA``), by group (``{group: districts}``, ``{groups: [...]}``)
    or by launch parameter (``{param: pilot_units}``). Loaded as a dict with one of those keys."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> dict[str, Any]:
        if isinstance(value, str):
            if not CODE.match(value):
                raise ValidationError(t("'%(value)s' is not an agency code (capitals, digits and '-', e.g. QNG-CA)",
                                        value=value))
            return {"agency": value}
        if isinstance(value, dict) and len(value) == 1:
            (kind, target), = value.items()
            if kind == "group" and isinstance(target, str) and NAME.match(target):
                return {"groups": [target]}
            if kind == "groups" and isinstance(target, list) and target and all(
                    isinstance(t, str) and NAME.match(t) for t in target):
                return {"groups": list(target)}
            if kind == "param" and isinstance(target, str) and NAME.match(target):
                return {"param": target}
        raise ValidationError(t("name an agency by code, or write {group: NAME}, {groups: [NAMES]} or {param: NAME}"))


class AgencyList(fields.Field):
    """One agency reference or a list of them."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> list[dict[str, Any]]:
        items = value if isinstance(value, list) else [value]
        loaded, errors = [], {}
        for index, item in enumerate(items):
            try:
                loaded.append(AgencyRef()._deserialize(item, attr, data))
            except ValidationError as error:
                errors[index] = error.messages
        if errors:
            raise ValidationError(errors)
        return loaded


class DateText(fields.Field):
    """A date (``2022-09-30``) or text with launch parameters in it (``"{year}-12-31"``)."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> str:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, int):
            return str(value)
        if isinstance(value, str) and value.strip():
            return value.strip()
        raise ValidationError(t("give a date such as 2022-09-30, or text with parameters such as \"{year}-12-31\""))


class Number(fields.Field):
    """An item number as the document writes it: 4, "4.1", "IV.3"."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str) and value.strip() and len(value) <= 20:
            return value.strip()
        raise ValidationError(t("give the item's number as the document writes it, e.g. 4 or \"4.1\""))


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class WindowSchema(StrictSchema):
    month = fields.Integer(required=True, validate=validate.Range(1, 12))
    year = DateText(required=True)


class ContinuousSchema(StrictSchema):
    until = DateText(required=True)
    since = DateText()


class ScheduleSchema(StrictSchema):
    """When an item is done: exactly one of window, year, deadline or continuous."""

    text = fields.String(required=True, validate=validate.Length(min=1))
    window = fields.Nested(WindowSchema)
    year = DateText()
    deadline = DateText()
    continuous = fields.Nested(ContinuousSchema)
    reporting = fields.String(validate=validate.OneOf(FREQUENCIES))

    @validates_schema
    def one_kind(self, data: dict, **kwargs) -> None:
        kinds = [kind for kind in ("window", "year", "deadline", "continuous") if kind in data]
        if len(kinds) != 1:
            raise ValidationError(t("give exactly one of window, year, deadline or continuous (found %(kinds)s)",
                                    kinds=", ".join(kinds)) if kinds else
                                  t("give exactly one of window, year, deadline or continuous"), "schedule")
        if "reporting" in data and "continuous" not in data:
            raise ValidationError(t("periodic reporting applies to a continuous duty"), "reporting")


class SubPlanSchema(StrictSchema):
    required = fields.Boolean(required=True)
    template = fields.String(validate=validate.Regexp(KEY))
    by = DateText()


class ItemSchema(StrictSchema):
    number = Number(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    text = fields.String()
    process = fields.String(validate=validate.Regexp(NAME))
    lead = AgencyRef()
    performers = AgencyList()
    coordinating = AgencyList()
    pilot = AgencyList()
    rollout = AgencyList()
    schedule = fields.Nested(ScheduleSchema)
    outputs = fields.List(fields.String(validate=validate.Length(min=1)))
    sub_plan = fields.Nested(SubPlanSchema)
    note = fields.String()
    items = fields.List(fields.Nested(lambda: ItemSchema()))

    @validates_schema
    def who_and_when(self, data: dict, **kwargs) -> None:
        if data.get("items"):
            return  # a heading: its sub-items say who does what
        if ("lead" in data) == ("performers" in data):
            raise ValidationError(t("name either a lead agency (chủ trì) or performers (thực hiện), not both "
                                    "and not neither"), "lead")
        if "schedule" not in data:
            raise ValidationError(t("say when the item is done (window, year, deadline or continuous)"), "schedule")
        if "process" not in data:
            raise ValidationError(t("name the process that runs the item (e.g. plan_item)"), "process")


class JsonValue(fields.Field):
    """Plain data as JSON holds it: YAML dates become ISO text."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, list):
            return [self._deserialize(item, attr, data) for item in value]
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        raise ValidationError(t("give text, a number, a date or a list"))


class ParameterSchema(StrictSchema):
    type = fields.String(required=True, validate=validate.OneOf(PARAMETER_TYPES))
    label = fields.String()
    required = fields.Boolean(load_default=False)
    default = JsonValue(allow_none=True)


class SubmissionSchema(StrictSchema):
    """When a period's report is due: a day of the closing month, or working days from its cut-off."""

    day_of_month = fields.Integer(validate=validate.Range(15, 28))
    working_days = fields.Integer(validate=validate.Range(1, 30))

    @validates_schema
    def one_rule(self, data: dict, **kwargs) -> None:
        if len(data) != 1:
            raise ValidationError(t("give either day_of_month (15-28) or working_days (1-30)"), "submission")


class DataTableSchema(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=1))
    columns = fields.List(fields.String(validate=validate.Length(min=1)), required=True,
                          validate=validate.Length(min=1))


class ReportingSchema(StrictSchema):
    """The reporting regime (chế độ báo cáo) with the elements Nghị định 09/2019/NĐ-CP (Art. 7) asks of one."""

    name = fields.String()  # tên báo cáo
    content = fields.String()  # nội dung yêu cầu báo cáo
    reporters = fields.String()  # đối tượng thực hiện báo cáo, as the plan words it
    to = fields.String(validate=validate.Regexp(CODE))  # cơ quan nhận báo cáo
    method = fields.String()  # phương thức gửi, nhận báo cáo
    submission = fields.Nested(SubmissionSchema)  # thời hạn gửi báo cáo
    periodic = fields.List(fields.String(validate=validate.OneOf(FREQUENCIES)))  # tần suất
    ad_hoc = fields.Boolean(load_default=False)
    outline = fields.List(fields.String())  # mẫu đề cương báo cáo
    tables = fields.List(fields.Nested(DataTableSchema))  # biểu mẫu số liệu
    basis = fields.String()


class DeadlinesSchema(StrictSchema):
    """Deadlines the plan's dates leave unsaid, in working days (holidays and make-up Saturdays counted as the
    Government sets them): a coordinating agency's contribution is due ``contribution_before`` working days
    before the item's deadline (never before the day it is asked), an approval ``approval`` working days
    from the result's submission."""

    contribution_before = fields.Integer(validate=validate.Range(0, 30))
    approval = fields.Integer(validate=validate.Range(1, 30))


class TemplateSchema(StrictSchema):
    key = fields.String(required=True, validate=validate.Regexp(KEY, error=KEY_ERROR))
    name = fields.String(required=True, validate=validate.Length(min=1))
    document_type = fields.String(required=True, validate=validate.OneOf(("plan", "official_letter")))
    province = fields.String(required=True, validate=validate.Regexp(CODE))
    issuer = AgencyRef(required=True)
    on_behalf_of = AgencyRef()
    symbol = fields.String(required=True)
    implements = fields.List(fields.String(), load_default=list)
    purposes = fields.List(fields.String(), load_default=list)
    requirements = fields.List(fields.String(), load_default=list)
    standing_body = fields.String(required=True, validate=validate.Regexp(CODE))
    #: A plan whose items go to agencies of several provinces (a regional plan); otherwise every agency is the
    #: province's own, and a launch naming another province's agency is refused.
    cross_province = fields.Boolean(load_default=False)
    reporting = fields.Nested(ReportingSchema, load_default=dict)
    deadlines = fields.Nested(DeadlinesSchema, load_default=dict)
    parameters = fields.Dict(keys=fields.String(validate=validate.Regexp(NAME)), values=fields.Nested(ParameterSchema),
                             load_default=dict)
    items = fields.List(fields.Nested(ItemSchema), required=True, validate=validate.Length(min=1))
    notes = fields.List(fields.String(), load_default=list)
