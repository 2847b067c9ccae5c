"""Joint action plan: items (suggested, proposed or added), their comments and history.

Generated from the action-plan models appended to survey/models.py; regenerate this
revision (not a new one) if those models change before it is released.

Revision ID: 0002_action_plan
Revises: 0001_initial
Create Date: 2026-11-22 22:11:15.649683

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_action_plan'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('action_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('source_key', sa.String(length=80), nullable=True),
    sa.Column('rule_id', sa.String(length=100), nullable=True),
    sa.Column('proposed_by', sa.String(length=10), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('because', sa.Text(), nullable=True),
    sa.Column('owner', sa.String(length=10), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_via_link', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_via_link', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], ),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('public_id'),
    sa.UniqueConstraint('review_id', 'source_key')
    )
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_item_review_id'), ['review_id'], unique=False)

    op.create_table('action_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('via_link', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['action_item.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('action_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_comment_item_id'), ['item_id'], unique=False)

    op.create_table('action_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('via_link', sa.Boolean(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['action_item.id'], ),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('action_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_event_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_event_review_id'), ['review_id'], unique=False)



def downgrade():
    with op.batch_alter_table('action_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_event_review_id'))
        batch_op.drop_index(batch_op.f('ix_action_event_item_id'))

    op.drop_table('action_event')
    with op.batch_alter_table('action_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_comment_item_id'))

    op.drop_table('action_comment')
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_item_review_id'))

    op.drop_table('action_item')
