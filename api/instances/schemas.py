"""Bodies of process instances and their history."""
from __future__ import annotations

from marshmallow import Schema, fields

from api.common import LocalDateTime, StepSchema


class InstanceSchema(StepSchema):
    """Where an instance stands, with what a diagram of it draws and its incidents and escalations."""

    plan_item_id = fields.Integer(allow_none=True)
    agency = fields.String(allow_none=True)
    waiting_on = fields.List(fields.Dict(), metadata={
        "description": "Whom the instance waits on now: [{step: report | decision | contribution | unit_report | "
                       "other, agencies: [codes]}]"})
    started_at = LocalDateTime()
    completed_at = LocalDateTime(allow_none=True)
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
