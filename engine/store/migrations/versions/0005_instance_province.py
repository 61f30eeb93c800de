"""The province whose work an instance is (its plan's), kept on the instance so that every read and every
step can be scoped to the actor's province without reading the plan.

Revision 0005, after 0004; written 2026-12-07. Existing instances take their plan's province, else their
agency's; an instance of neither belongs to no province (only national actors see it).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("process_instances") as table:
        table.add_column(sa.Column("province", sa.String(20), nullable=True))
    op.execute("update process_instances set province = (select plans.province from plan_items join plans "
               "on plans.id = plan_items.plan_id where plan_items.id = process_instances.plan_item_id) "
               "where plan_item_id is not null")
    op.execute("update process_instances set province = (select agencies.province from agencies "
               "where agencies.code = process_instances.agency) where province is null and agency is not null")


def downgrade() -> None:
    with op.batch_alter_table("process_instances") as table:
        table.drop_column("province")
