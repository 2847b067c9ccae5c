"""Staged reveal and the client's own results link.

- `review.min_respondents` (default 1): submitted respondents each side needs before the
  results open, to the vendor first.
- `review.shared_at` / `review.unshared_at`: the vendor shares the results with the client,
  and may stop sharing. This replaces `review.client_sees_results`: a review whose client
  already saw results (the flag on, both sides submitted) starts out shared.
- `share_link.purpose`: "survey" (every existing link) or "results", the client's results
  link. Existing reviews get no results link here (its token derives from the app's secret
  key); the review page offers to issue one.
- `action_item.client_said` / `action_item.vendor_response`: a client proposal's own words
  and the vendor's response beside them.

Revision ID: 0007_staged_reveal
Revises: 0006_confidentiality
Create Date: 2026-12-02 17:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007_staged_reveal"
down_revision = "0006_confidentiality"
branch_labels = None
depends_on = None

ALREADY_SEEN = """
UPDATE review SET shared_at = created_at
WHERE client_sees_results = {true}
  AND EXISTS (SELECT 1 FROM respondent r WHERE r.review_id = review.id
              AND r.party = 'vendor' AND r.submitted_at IS NOT NULL)
  AND EXISTS (SELECT 1 FROM respondent r WHERE r.review_id = review.id
              AND r.party = 'client' AND r.submitted_at IS NOT NULL)
"""

CLIENT_SAID = """
UPDATE action_item SET client_said = title
WHERE proposed_by = 'client' AND source = 'proposal'
"""


def _true() -> str:
    return "true" if op.get_bind().dialect.name == "postgresql" else "1"


def upgrade():
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("min_respondents", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(sa.Column("shared_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("unshared_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(ALREADY_SEEN.format(true=_true()))
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_column("client_sees_results")
    with op.batch_alter_table("share_link", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("purpose", sa.String(length=10), server_default="survey", nullable=False)
        )
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_said", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("vendor_response", sa.Text(), nullable=True))
    op.execute(CLIENT_SAID)


def downgrade():
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.drop_column("vendor_response")
        batch_op.drop_column("client_said")
    op.execute("DELETE FROM share_link WHERE purpose = 'results'")
    with op.batch_alter_table("share_link", schema=None) as batch_op:
        batch_op.drop_column("purpose")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("client_sees_results", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_column("unshared_at")
        batch_op.drop_column("shared_at")
        batch_op.drop_column("min_respondents")
