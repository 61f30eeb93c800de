"""Templates drafted from plan documents, kept while a coordinator reviews them in a form.

A draft is read from the document once and stored with its owner and province; the coordinator's edits of
its form are stored at every save, valid or not, and checked as registration checks a template, each problem
at the field of the form it is about; a draft whose form holds no problem is registered as any template is.
A draft is its province's coordinators' (and administrators'): to anyone else it is not there.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from engine.drafting.drafts import Draft, Flag, draft_as_json, draft_from_json
from engine.drafting.structure import Span
from engine.errors import Invalid, NotFound
from engine.i18n import Message, t
from engine.model import policy
from engine.model.actors import Actor
from engine.services import templates
from engine.store.plans.tables import TemplateDraftRow
from engine.store.uow import UnitOfWork
from engine.templates import edits
from engine.templates.messages import without_line

#: The field of an item a flag of the draft names, by the draft's word for it.
FLAG_FIELDS = {**edits.ITEM_FIELDS, "agency": "lead", "time": "schedule"}


@dataclass(frozen=True)
class ReviewItem:
    """An item of the draft's template as the form shows it, with what the document says of it."""

    path: str  # where it stands in the template: items[1].items[0]
    depth: int
    heading: bool  # an item with sub-items: only its number and title are its own
    spans: dict[str, Span]  # the sentence each field was read from, by the draft's field name
    confidence: dict[str, float]  # 1.0 read from an explicit phrase; less: inferred, to be looked at


@dataclass(frozen=True)
class DraftReview:
    id: int
    owner: str
    province: str | None
    file_name: str
    created_at: datetime
    updated_at: datetime | None
    draft: Draft
    form: dict[str, Any]  # the form's values: the coordinator's last edits, else the draft's own
    items: list[ReviewItem]
    flags: dict[str, list[Flag]]  # by the field of the form ("" for the form as a whole)
    template_key: str | None = None  # the template it was registered as
    template_version: int | None = None
    problems: dict[str, list[str]] = field(default_factory=dict)  # of the last check, by the field of the form

    @property
    def template(self) -> dict[str, Any]:
        """The template the form's values make."""
        return edits.template_of(self.draft.template, self.form)

    @property
    def day(self) -> date | None:
        """The plan's date of issue: the agencies it may name are those of that day."""
        try:
            return date.fromisoformat(self.form.get("issued_on") or "")
        except ValueError:
            return None


def store_draft(uow: UnitOfWork, clock, actor: Actor, data: bytes, filename: str) -> int:
    """Read a plan document into a draft and keep it for its coordinator to review; its id."""
    draft = templates.draft_from_document(uow, actor, data, filename, clock)
    province = actor.province or draft.template.get("province") or None
    with uow:
        row = uow.drafts.add(TemplateDraftRow(owner=actor.name, province=province, file_name=filename[:300],
                                              created_at=clock.now(), draft=draft_as_json(draft), edits=None))
        uow.flush()
        uow.commit()
        return row.id


def list_drafts(uow: UnitOfWork, actor: Actor) -> list[tuple[int, str, datetime, str | None]]:
    """The newest drafts the actor may review: id, file name, when made and the template it became."""
    if not policy.may_register_templates(actor):
        return []
    with uow:
        return [(row.id, row.file_name, row.created_at, row.template_key)
                for row in uow.drafts.of_provinces(policy.scope(actor))]


def review_draft(uow: UnitOfWork, actor: Actor, draft_id: int) -> DraftReview:
    """A draft with its form's values, what the document says of each item and the flags at their fields."""
    with uow:
        return _review(_row(uow, actor, draft_id))


def save_edits(uow: UnitOfWork, clock, actor: Actor, draft_id: int, form: dict[str, Any]) -> DraftReview:
    """Keep the form's values, whatever they hold, then check the template they make as registration would:
    the review with each problem at its field."""
    review = _keep(uow, clock, actor, draft_id, form)
    try:
        templates.check_template(uow, edits.template_text(review.template), _file_name(review), clock)
    except Invalid as error:
        return replace(review, problems=_problems(error))
    return review


def register_draft(uow: UnitOfWork, clock, actor: Actor, draft_id: int, form: dict[str, Any]) -> DraftReview:
    """Keep the form's values and register the template they make; the review with its problems if it is
    refused (nothing registered), else with the template it became."""
    review = _keep(uow, clock, actor, draft_id, form)
    try:
        info = templates.register_template(uow, clock, actor, edits.template_text(review.template),
                                           _file_name(review))
    except Invalid as error:
        return replace(review, problems=_problems(error))
    return _registered(uow, actor, review, info)


def register_draft_text(uow: UnitOfWork, clock, actor: Actor, draft_id: int, text: str) -> DraftReview:
    """Register the template as an expert wrote it in YAML (``Invalid`` with each problem at its line)."""
    review = review_draft(uow, actor, draft_id)
    info = templates.register_template(uow, clock, actor, text, _file_name(review))
    return _registered(uow, actor, review, info)


def draft_yaml(review: DraftReview, locale: str = "en") -> str:
    """The template the form makes as YAML, each item with the sentences it was read from (the expert's view),
    its comments in ``locale``."""
    return templates.draft_as_yaml(replace(review.draft, template=review.template), review.file_name, locale)


def _row(uow: UnitOfWork, actor: Actor, draft_id: int) -> TemplateDraftRow:
    row = uow.drafts.get(draft_id)
    if not (policy.may_register_templates(actor) and policy.in_scope(actor, row.province)):
        raise NotFound(t("no template draft %(id)s", id=draft_id))
    return row


def _keep(uow: UnitOfWork, clock, actor: Actor, draft_id: int, form: dict[str, Any]) -> DraftReview:
    with uow:
        row = _row(uow, actor, draft_id)
        row.edits, row.updated_at = form, clock.now()
        uow.commit()
        return _review(row)


def _registered(uow: UnitOfWork, actor: Actor, review: DraftReview, info) -> DraftReview:
    with uow:
        row = _row(uow, actor, review.id)
        row.template_key, row.template_version = info.key, info.version
        uow.commit()
    return replace(review, template_key=info.key, template_version=info.version)


def _review(row: TemplateDraftRow) -> DraftReview:
    draft = draft_from_json(row.draft)
    items = _items(draft)
    return DraftReview(row.id, row.owner, row.province, row.file_name, row.created_at, row.updated_at, draft,
                       row.edits or edits.form_of(draft.template), [item for item, _ in items],
                       _flags(draft, {number: item.path for item, number in items if number is not None}),
                       row.template_key, row.template_version)


def _items(draft: Draft) -> list[tuple[ReviewItem, str | None]]:
    """Each item of the template with its item of the draft (the same number, in the document's order): what
    its spans, confidence and flags are kept under."""
    unmatched = list(draft.items)
    found = []
    for path, entry, depth in edits.item_paths(draft.template.get("items") or []):
        match = next((item for item in unmatched if item.number == str(entry.get("number"))), None)
        if match is not None:
            unmatched.remove(match)
        spans = {name: span for name, span in (match.spans if match else {}).items() if span is not None}
        found.append((ReviewItem(path, depth, bool(entry.get("items")), spans,
                                 dict(match.confidence) if match else {}), match.number if match else None))
    return found


def _flags(draft: Draft, paths: dict[str, str]) -> dict[str, list[Flag]]:
    """The draft's flags by the field of the form they are about (``items.II.3.lead`` → ``items[4].lead``)."""
    found: dict[str, list[Flag]] = {}
    for flag in draft.flags:
        found.setdefault(_flag_field(flag.path, paths), []).append(flag)
    return found


def _flag_field(path: str, paths: dict[str, str]) -> str:
    if not path.startswith("items."):
        return edits.field_of(path)
    rest = path.removeprefix("items.")
    if rest in paths:
        return paths[rest]
    number, _, name = rest.rpartition(".")
    if number in paths:
        return f"{paths[number]}.{FLAG_FIELDS[name]}" if name in FLAG_FIELDS else paths[number]
    return ""


def _problems(error: Invalid) -> dict[str, list[str]]:
    """Each problem of a check at the field of the form it is about, without the line of a file the form does
    not show; a problem of no field names where it is."""
    found: dict[str, list[str]] = {}
    for path, messages in (error.errors or {"": [error.message]}).items():
        where = edits.field_of(path)
        for message in messages:
            bare = without_line(message)
            found.setdefault(where, []).append(bare if where or not path else _named(path, bare))
    return found


def _named(path: str, message: str) -> Message:
    return t("%(field)s: %(message)s", field=path, message=message)


def _file_name(review: DraftReview) -> str:
    return review.file_name.rsplit(".", 1)[0] + ".yaml"
