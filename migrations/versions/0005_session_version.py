"""Each user has a session version, part of every session cookie: `user_account.session_version`.

Logging out, changing the password or "log out everywhere" raises it, which ends every
cookie made before, copies included. Existing users start at 1 (their current cookies,
which hold no version, end with this upgrade: everyone logs in once more).

Revision ID: 0005_session_version
Revises: 0004_respondent_link
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_session_version'
down_revision = '0004_respondent_link'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), server_default='1', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_version')
