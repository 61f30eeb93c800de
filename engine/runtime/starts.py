"""Starting an instance inside the caller's unit of work: one plan launch starts hundreds in one transaction."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.bpmn.runtime import PROCESS_FAILURES, Execution
from engine.bpmn.serializer import STATE_FORMAT
from engine.errors import ProcessFailed
from engine.i18n import t
from engine.model.actors import Actor
from engine.runtime import executions
from engine.runtime.bundles import bundle_of
from engine.runtime.steps import (
    describe_error,
    failing_element,
    record_step,
)
from engine.runtime.views import InstanceView, instance_view
from engine.store.processes.tables import DefinitionRow, InstanceRow
from engine.store.uow import UnitOfWork


@dataclass
class StartedInstance:
    """An instance started inside an open unit of work, not yet committed."""

    view: InstanceView
    instance: InstanceRow
    execution: Execution

    def kept(self) -> None:
        """After the commit: keep the workflow in memory for the instance's next step."""
        executions.check_in(self.instance, self.execution)


def begin_instance(uow: UnitOfWork, clock, actor: Actor, definition: DefinitionRow,
                   variables: dict[str, Any] | None = None, business_key: str | None = None,
                   message: str | None = None, plan_item_id: int | None = None,
                   agency: str | None = None, instance_id: int | None = None,
                   province: str | None = None) -> StartedInstance:
    """Start an instance within the caller's unit of work (a plan launch starts hundreds in one, with ids it
    reserved for them: ``Instances.reserve_ids``); ``province`` is whose work it is (its plan's), which every
    read and step of it is scoped by."""
    variables = dict(variables or {})
    now = clock.now()
    bundle = bundle_of(definition)
    try:
        execution, outcome = Execution.start(bundle, definition.key, variables, clock, message)
    except PROCESS_FAILURES as error:
        raise ProcessFailed(t("process '%(key)s' could not start: %(describe_error)s",
                              key=definition.key, describe_error=describe_error(error)),
                            element=failing_element(error)) from error
    instance = uow.instances.add(InstanceRow(
        id=instance_id, definition=definition, definition_id=definition.id, business_key=business_key,
        status="running", state="",
        state_format=STATE_FORMAT, next_timer_at=None, waiting_for=[], completed_elements=[], open_incidents=0,
        started_at=now, updated_at=now, completed_at=None, started_by=actor.name, plan_item_id=plan_item_id,
        agency=agency, province=province))
    open_rows = record_step(uow, instance, execution, outcome, now, new=True)
    uow.audit.append(now, actor.name, "instance.started", instance.id,
                     data={"key": definition.key, "version": definition.version, "business_key": business_key,
                           "variables": variables, "ran": outcome.ran})
    return StartedInstance(instance_view(uow, instance, open_rows), instance, execution)
