"""A client's optional yearly value, for the portfolio's value at risk (seed 004).

- `client.yearly_value`: what the client is worth to the vendor in a year, in whole units
  of the vendor's currency; NULL when not given.

Revision ID: 0011_client_value
Revises: 0010_carry_over
Create Date: 2026-12-02 21:15:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011_client_value"
down_revision = "0010_carry_over"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.add_column(sa.Column("yearly_value", sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_column("yearly_value")
