"""Index open tasks by deadline across agencies, for the worker's reminder round.

Revision 0002, after 0001; written 2026-12-03.
"""
from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tasks_due", "human_tasks", ["status", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_tasks_due", table_name="human_tasks")
