"""Mail per kind of notice: each notice says what became of its mail (sent at once, waiting for the daily
digest, gone in one), and each person's choice per kind is kept.

Revision 0008, after 0007; written 2026-12-08. A new nullable column and a new table.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as table:
        table.add_column(sa.Column("mail", sa.String(length=10), nullable=True))
    op.create_index("ix_notifications_digest", "notifications", ["mail", "username"])
    op.create_table(
        "notice_settings",
        sa.Column("username", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("mail", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("username", "kind"),
    )


def downgrade() -> None:
    op.drop_table("notice_settings")
    op.drop_index("ix_notifications_digest", table_name="notifications")
    with op.batch_alter_table("notifications") as table:
        table.drop_column("mail")
