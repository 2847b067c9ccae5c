"""Each respondent remembers the shared link they came by: `respondent.link_id`.

A respondent's own pages point to the client's results only through that link, and only
while it opens: a revoked or replaced link gives nothing to those who came by it. Existing
respondents get the party's newest link made before they started (the one that was live).

Revision ID: 0004_respondent_link
Revises: 0003_client_name_key
Create Date: 2026-12-01 10:00:01.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_respondent_link'
down_revision = '0003_client_name_key'
branch_labels = None
depends_on = None

CAME_BY = """
UPDATE respondent SET link_id = (
    SELECT s.id FROM share_link s
    WHERE s.review_id = respondent.review_id AND s.party = respondent.party
      AND s.created_at <= respondent.started_at
    ORDER BY s.created_at DESC, s.id DESC
    LIMIT 1
)
"""


def upgrade():
    with op.batch_alter_table('respondent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_respondent_link_id'), ['link_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_respondent_link_id_share_link', 'share_link', ['link_id'], ['id']
        )
    op.execute(CAME_BY)


def downgrade():
    with op.batch_alter_table('respondent', schema=None) as batch_op:
        batch_op.drop_constraint('fk_respondent_link_id_share_link', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_respondent_link_id'))
        batch_op.drop_column('link_id')
