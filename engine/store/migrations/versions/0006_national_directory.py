"""The national directory: provinces with their dates and successors, agencies with the days they existed,
their successors, a national body's reach and where each row came from; one-time links to set a password.

Revision 0006, after 0005; written 2026-12-07. Existing agencies are taken to have always existed (no
dates), to come from a directory file, and to reach no province beyond their own; the provinces they name
are filled in from the national data by ``planflow seed`` or ``planflow provinces add``.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provinces",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("short_name", sa.String(length=200), nullable=False),
        sa.Column("division", sa.String(length=20), nullable=False),
        sa.Column("gso_code", sa.String(length=5), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("successor", sa.String(length=20), nullable=True),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("onboarded_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )
    with op.batch_alter_table("agencies") as table:
        table.add_column(sa.Column("valid_from", sa.Date(), nullable=True))
        table.add_column(sa.Column("valid_until", sa.Date(), nullable=True))
        table.add_column(sa.Column("successors", sa.JSON(), nullable=False, server_default="[]"))
        table.add_column(sa.Column("reach", sa.JSON(), nullable=False, server_default="[]"))
        table.add_column(sa.Column("origin", sa.String(length=20), nullable=False, server_default="file"))
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_invitations_user_id", "invitations", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_invitations_user_id", table_name="invitations")
    op.drop_table("invitations")
    with op.batch_alter_table("agencies") as table:
        for column in ("origin", "reach", "successors", "valid_until", "valid_from"):
            table.drop_column(column)
    op.drop_table("provinces")
