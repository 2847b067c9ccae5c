"""Each review's confidentiality setting: `review.names_to_other_side` and
`review.anonymity_threshold`.

A comment, proposal or change made through the client's link keeps the name its author
gave (`author_name`, optional) instead of being signed "client link".

Existing reviews get the defaults (names not shown to the other side, threshold 3): the
stricter reading of what their welcome pages said ("so the organisers know who answered").

Revision ID: 0006_confidentiality
Revises: 0005_session_version
Create Date: 2026-12-02 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_confidentiality'
down_revision = '0005_session_version'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'names_to_other_side', sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column('anonymity_threshold', sa.Integer(), server_default='3', nullable=False)
        )
    for table in ('action_item', 'action_comment', 'action_event'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('author_name', sa.String(length=200), nullable=True))


def downgrade():
    for table in ('action_event', 'action_comment', 'action_item'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('author_name')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_column('anonymity_threshold')
        batch_op.drop_column('names_to_other_side')
