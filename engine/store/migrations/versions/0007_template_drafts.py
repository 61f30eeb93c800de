"""Template drafts kept while a coordinator reviews them: the draft read from a plan document, the
coordinator's edits of its form, and the template it became once registered.

Revision 0007, after 0006; written 2026-12-09. A new table: nothing existing changes.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "template_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("province", sa.String(length=20), nullable=True),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("draft", sa.JSON(), nullable=False),
        sa.Column("edits", sa.JSON(), nullable=True),
        sa.Column("template_key", sa.String(length=100), nullable=True),
        sa.Column("template_version", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_template_drafts_province", "template_drafts", ["province"])


def downgrade() -> None:
    op.drop_index("ix_template_drafts_province", table_name="template_drafts")
    op.drop_table("template_drafts")
