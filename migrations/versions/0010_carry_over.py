"""Carry-over: an action item remembers the earlier review's item it was carried from.

- `action_item.carried_from_id`: the item of the repeated review it came from (set to
  NULL when that review is deleted).
- `action_item.carried_from_on`: the day that review started, so the plan still says
  "from the review of <date>" after it is gone.

Revision ID: 0010_carry_over
Revises: 0007_staged_reveal
Create Date: 2026-12-02 20:45:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010_carry_over"
down_revision = "0007_staged_reveal"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("carried_from_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("carried_from_on", sa.Date(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_action_item_carried_from_id"), ["carried_from_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_action_item_carried_from_id_action_item",
            "action_item",
            ["carried_from_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.drop_constraint("fk_action_item_carried_from_id_action_item", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_action_item_carried_from_id"))
        batch_op.drop_column("carried_from_on")
        batch_op.drop_column("carried_from_id")
