"""The progress report written before it is produced: who signs a body's reports (two new nullable columns of
the directory), and each plan's narrative sections, recipients and signer (a new table).

Revision 0009, after 0008; written 2026-12-08. New nullable columns and a new table: nothing existing changes.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agencies") as table:
        table.add_column(sa.Column("signer_title", sa.String(length=200), nullable=True))
        table.add_column(sa.Column("signer_name", sa.String(length=120), nullable=True))
    op.create_table(
        "plan_reports",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("assessment", sa.Text(), nullable=False),
        sa.Column("shortcomings", sa.Text(), nullable=False),
        sa.Column("next_tasks", sa.Text(), nullable=False),
        sa.Column("recommendations", sa.Text(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("signer_title", sa.String(length=200), nullable=True),
        sa.Column("signer_name", sa.String(length=120), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"]),
        sa.PrimaryKeyConstraint("plan_id"),
    )


def downgrade() -> None:
    op.drop_table("plan_reports")
    with op.batch_alter_table("agencies") as table:
        table.drop_column("signer_name")
        table.drop_column("signer_title")
