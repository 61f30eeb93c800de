"""Sign-in tries take turns per name and per address (so concurrent guesses are counted one at a time), and
browsers people signed in from are known (so strangers' guesses at a name do not lock its owner out).

Revision 0004, after 0003; written 2026-12-07. Attempts made before it came from no known device.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_turns",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_sign_in_turns_at", "sign_in_turns", ["at"])
    op.create_table(
        "sign_in_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=120), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sign_in_devices_username_token", "sign_in_devices", ["username", "token_hash"], unique=True)
    op.create_index("ix_sign_in_devices_last_used_at", "sign_in_devices", ["last_used_at"])
    with op.batch_alter_table("sign_in_attempts") as batch:
        batch.add_column(sa.Column("device_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sign_in_attempts") as batch:
        batch.drop_column("device_id")
    op.drop_index("ix_sign_in_devices_last_used_at", table_name="sign_in_devices")
    op.drop_index("ix_sign_in_devices_username_token", table_name="sign_in_devices")
    op.drop_table("sign_in_devices")
    op.drop_index("ix_sign_in_turns_at", table_name="sign_in_turns")
    op.drop_table("sign_in_turns")
