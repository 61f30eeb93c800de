"""Registering, listing and reading plan templates; each change of a file is a new version."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.model import policy
from engine.model.actors import Actor
from engine.model.clock import LOCAL_TZ
from engine.store.plans.tables import PlanTemplateRow
from engine.store.uow import UnitOfWork
from engine.templates import ValidTemplate, validate_template

TEMPLATES = Path(__file__).resolve().parents[2] / "workflows" / "templates"


@dataclass(frozen=True)
class TemplateInfo:
    key: str
    version: int
    name: str
    items: int
    new: bool = False


def check_template(uow: UnitOfWork | None, text: str | bytes, name: str = "template", clock=None) -> ValidTemplate:
    """Validate a template against the directory and the deployed processes; store nothing. A template with no
    date of issue names the bodies of the ``clock``'s day.

    With no database yet (``uow`` None) or one with no agency directory (a fresh
    install), only the template's own structure is checked; the result says so.
    """
    if uow is None:
        return validate_template(text, None, set(), name)
    with uow:
        if not uow.agencies.loaded():
            return validate_template(text, None, set(), name)
        return _validate(uow, text, name, clock)


def register_template(uow: UnitOfWork, clock, actor: Actor, text: str | bytes, name: str = "template") -> TemplateInfo:
    """Store a template; a changed file becomes the next version, an unchanged one changes nothing."""
    policy.check_registers_templates(actor)
    with uow:
        valid = _validate(uow, text, name, clock)
        policy.check_registers_templates(actor, valid.data["province"])
        row = uow.templates.by_hash(valid.key, valid.content_hash)
        new = row is None
        if new:
            row = uow.templates.add(PlanTemplateRow(
                key=valid.key, version=uow.templates.next_version(valid.key), name=valid.data["name"],
                content_hash=valid.content_hash, source=valid.source, data=valid.data,
                registered_at=clock.now(), registered_by=actor.name))
            uow.flush()
            uow.audit.append(clock.now(), actor.name, "template.registered",
                             data={"key": row.key, "version": row.version, "content_hash": row.content_hash})
        uow.commit()
        return _info(row, new)


def register_directory(uow: UnitOfWork, clock, actor: Actor, directory: Path = TEMPLATES) -> list[TemplateInfo]:
    return [register_template(uow, clock, actor, path.read_bytes(), path.name)
            for path in sorted(Path(directory).glob("*.yaml"))]


def list_templates(uow: UnitOfWork, launchable_by: Actor | None = None) -> list[TemplateInfo]:
    """Every template's latest version; with ``launchable_by``, only those that person may launch a plan from
    (their own province's: a launch form offers no other province's templates)."""
    with uow:
        return [_info(row) for row in uow.templates.all_latest()
                if launchable_by is None or policy.may_launch_from(launchable_by, row.data.get("province"))]


def get_template(uow: UnitOfWork, key: str) -> dict[str, Any]:
    with uow:
        row = uow.templates.latest(key)
        return {"key": row.key, "version": row.version, **row.data}


def _validate(uow: UnitOfWork, text: str | bytes, name: str, clock=None) -> ValidTemplate:
    processes = {row.key for row in uow.definitions.all_latest()}
    today = clock.now().astimezone(LOCAL_TZ).date() if clock is not None else None
    return validate_template(text, lambda data: directory_for(uow, data), processes, name, template_keys=None,
                             on=today)


def directory_for(uow: UnitOfWork, template: dict[str, Any]):
    """The part of the directory a template may name: its province's and the national bodies, or every one for
    a template across provinces."""
    return uow.agencies.directory(None if template.get("cross_province") else [template["province"]])


def _info(row: PlanTemplateRow, new: bool = False) -> TemplateInfo:
    return TemplateInfo(row.key, row.version, row.name, _count(row.data.get("items", [])), new)


def _count(items: list[dict]) -> int:
    return sum(1 + _count(item.get("items", [])) for item in items)


def draft_from_document(uow: UnitOfWork, actor: Actor, data: bytes, filename: str, clock=None):
    """A draft template read from a plan document (.docx, PDF, text); nothing is stored. Its agencies are read
    in the province its header names, as of its date (the ``clock``'s day for a draft with none)."""
    from engine.drafting import draft_template
    policy.check_registers_templates(actor)
    with uow:
        directory = uow.agencies.directory_json(uow.audit.directory_mark())
    today = clock.now().astimezone(LOCAL_TZ).date() if clock is not None else None
    return draft_template(data, filename, directory, today=today)


def draft_as_yaml(draft, source_name: str, locale: str = "en") -> str:
    """A draft as a template file to check and register: YAML whose comments give each field's source sentence
    and its flags, in ``locale``."""
    from engine.drafting.writing import draft_yaml
    return draft_yaml(draft, source_name, locale)
