"""Team roles and removal, and invitations that can be withdrawn.

- `user_account.role`: "admin" or "member". Every user existing before roles becomes an
  admin (the server default), so nobody loses what they could do; new colleagues join as
  members.
- `user_account.removed_at`: when an admin removed the user (the row stays, for history).
- `invitation.public_id`: a random id for the withdraw button; existing rows get one here.
- `invitation.revoked_at`: when an admin withdrew the invitation.

Revision ID: 0014_team
Revises: 0013_invitees
Create Date: 2026-12-04 19:10:00.000000

"""

import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0014_team"
down_revision = "0013_invitees"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("role", sa.String(length=10), server_default="admin", nullable=False)
        )
        batch_op.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
    _backfill_invitation_ids()
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.alter_column("public_id", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_index(batch_op.f("ix_invitation_public_id"), ["public_id"], unique=True)


def _backfill_invitation_ids():
    """A random public id (as the model makes them: 96 bits, URL-safe) for every invitation."""
    connection = op.get_bind()
    invitation = sa.table("invitation", sa.column("id", sa.Integer), sa.column("public_id"))
    ids = connection.execute(sa.select(invitation.c.id)).scalars().all()
    for invitation_id in ids:
        connection.execute(
            invitation.update()
            .where(invitation.c.id == invitation_id)
            .values(public_id=secrets.token_urlsafe(12))
        )


def downgrade():
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_public_id"))
        batch_op.drop_column("revoked_at")
        batch_op.drop_column("public_id")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("removed_at")
        batch_op.drop_column("role")
