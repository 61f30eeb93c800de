"""Tables of the plan side: the agency directory, templates, plans and their items."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from engine.store.base import Base


class ProvinceRow(Base):
    """A provincial-level unit: one of today's 34, or one merged into them in 2025 (``valid_until``,
    ``successor``). ``onboarded_at`` is when the province started using planflow (its first people)."""

    __tablename__ = "provinces"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(200))
    division: Mapped[str] = mapped_column(String(20))
    gso_code: Mapped[str | None] = mapped_column(String(5))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    successor: Mapped[str | None] = mapped_column(String(20))
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    onboarded_at: Mapped[datetime | None]


class AgencyRow(Base):
    """A body of the directory, with the days it existed and where its duties went when it ended.
    ``origin`` says where the row came from: ``national`` (the national pattern), ``file`` (an imported
    directory file or spreadsheet) or ``admin`` (added or changed by an administrator)."""

    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))
    province: Mapped[str] = mapped_column(String(20), index=True)
    parent: Mapped[str | None] = mapped_column(String(60))
    groups: Mapped[list[Any]] = mapped_column(JSON)
    aliases: Mapped[list[Any]] = mapped_column(JSON)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    successors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: The provinces a national body's people see (its programmes' provinces); empty for a province's bodies.
    reach: Mapped[list[Any]] = mapped_column(JSON, default=list)
    origin: Mapped[str] = mapped_column(String(20), default="file")
    #: Who signs the body's reports: the position (chức vụ, its lines apart by newlines) and the full name.
    signer_title: Mapped[str | None] = mapped_column(String(200))
    signer_name: Mapped[str | None] = mapped_column(String(120))


class PlanTemplateRow(Base):
    """One version of a template; a plan keeps the version it was launched from."""

    __tablename__ = "plan_templates"
    __table_args__ = (UniqueConstraint("key", "version"), UniqueConstraint("key", "content_hash"))

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int]
    name: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = deferred(mapped_column(Text))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    registered_at: Mapped[datetime]
    registered_by: Mapped[str] = mapped_column(String(120))


class PlanRow(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("plan_templates.id"), index=True)
    symbol: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str] = mapped_column(String(60))
    province: Mapped[str] = mapped_column(String(20))
    standing_body: Mapped[str] = mapped_column(String(60))
    parameters: Mapped[dict[str, Any]]
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    parent_item_id: Mapped[int | None] = mapped_column(ForeignKey("plan_items.id", use_alter=True), index=True)
    launched_at: Mapped[datetime]
    launched_by: Mapped[str] = mapped_column(String(120))

    template: Mapped[PlanTemplateRow] = relationship(lazy="joined")


class PlanItemRow(Base):
    __tablename__ = "plan_items"
    __table_args__ = (Index("ix_plan_items_plan", "plan_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(20))
    parent_number: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    process_key: Mapped[str | None] = mapped_column(String(200))
    lead_agency: Mapped[str | None] = mapped_column(String(60))
    performers: Mapped[list[Any]]
    coordinating: Mapped[list[Any]]
    schedule: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    outputs: Mapped[list[Any]]
    sub_plan_required: Mapped[bool] = mapped_column(Boolean, default=False)
    sub_plan_template: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    #: The plan's symbol and title and the item's number and title, folded (``engine.model.search``) for
    #: worklist search.
    search_text: Mapped[str] = mapped_column(Text, default="")


class TemplateDraftRow(Base):
    """A template drafted from a plan document, kept while its coordinator reviews it: the draft as it was read
    (the JSON of ``engine.drafting.drafts``), the coordinator's edits of its form, and the template it became
    once registered. Seen by its province's coordinators only."""

    __tablename__ = "template_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(120))
    province: Mapped[str | None] = mapped_column(String(20), index=True)
    file_name: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime | None]
    draft: Mapped[dict[str, Any]] = mapped_column(JSON)
    edits: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    template_key: Mapped[str | None] = mapped_column(String(100))
    template_version: Mapped[int | None]


class PlanReportRow(Base):
    """What people wrote into a plan's progress report (``engine.model.report_texts``): its four narrative
    sections, the recipients when the generated list will not do, and who signs it instead of the standing
    body's signer. One per plan; ``version`` counts the saves, so that a save over another's is refused."""

    __tablename__ = "plan_reports"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), primary_key=True)
    assessment: Mapped[str] = mapped_column(Text, default="")
    shortcomings: Mapped[str] = mapped_column(Text, default="")
    next_tasks: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")
    recipients: Mapped[list[Any]] = mapped_column(JSON, default=list)
    signer_title: Mapped[str | None] = mapped_column(String(200))
    signer_name: Mapped[str | None] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(120))
