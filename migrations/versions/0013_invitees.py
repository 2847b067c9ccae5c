"""Named invitees: people invited by e-mail with a personal link, and automatic reminders.

- `invitee`: one row per invited person of a review (unique e-mail per review), their
  stake, the hash of their personal link, and the respondent they became once they start.
- `respondent.stake`: the invitee's stake, kept with the response.
- `review.remind_days_before`: automatic reminders before the due date (None: off).

Revision ID: 0013_invitees
Revises: 0012_outbox
Create Date: 2026-12-04 19:10:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013_invitees"
down_revision = "0012_outbox"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "invitee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("stake", sa.String(length=20), nullable=False),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=True),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminders_stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"]),
        sa.ForeignKeyConstraint(["respondent_id"], ["respondent.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("public_id"),
        sa.UniqueConstraint("salt"),
        sa.UniqueConstraint("token_hash"),
        sa.UniqueConstraint("respondent_id"),
        sa.UniqueConstraint("review_id", "email"),
    )
    with op.batch_alter_table("invitee", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitee_review_id"), ["review_id"], unique=False)
    with op.batch_alter_table("respondent", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stake", sa.String(length=20), nullable=True))
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("remind_days_before", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_column("remind_days_before")
    with op.batch_alter_table("respondent", schema=None) as batch_op:
        batch_op.drop_column("stake")
    with op.batch_alter_table("invitee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitee_review_id"))
    op.drop_table("invitee")
