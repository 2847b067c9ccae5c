"""Clients are one per organisation and Unicode-folded name: `client.name_key`.

SQLite's lower() folds ASCII only, so `Ärzte AG` and `ÄRZTE AG` could become two clients
and a second review of the first one failed. The key is folded in Python (the same rule as
`survey.models.client_name_key`, copied here so this revision never changes). Clients that
fold to one key are merged into the oldest: their reviews move to it.

Revision ID: 0003_client_name_key
Revises: 0002_action_plan
Create Date: 2026-12-01 10:00:00.000000

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_client_name_key'
down_revision = '0002_action_plan'
branch_labels = None
depends_on = None


def name_key(name):
    spaced = " ".join(name.split())
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", spaced).casefold())


def _fill_keys_merging_clients(connection):
    rows = connection.execute(
        sa.text("SELECT id, organisation_id, name FROM client ORDER BY id")
    ).all()
    kept = {}
    for client_id, organisation_id, name in rows:
        key = name_key(name)
        first = kept.setdefault((organisation_id, key), client_id)
        if first == client_id:
            connection.execute(
                sa.text("UPDATE client SET name_key = :key WHERE id = :id"),
                {"key": key, "id": client_id},
            )
            continue
        connection.execute(
            sa.text("UPDATE review SET client_id = :first WHERE client_id = :id"),
            {"first": first, "id": client_id},
        )
        connection.execute(sa.text("DELETE FROM client WHERE id = :id"), {"id": client_id})


def upgrade():
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=600), nullable=True))
    _fill_keys_merging_clients(op.get_bind())
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=600), nullable=False)
        batch_op.create_unique_constraint(
            'uq_client_organisation_name_key', ['organisation_id', 'name_key']
        )


def downgrade():
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_constraint('uq_client_organisation_name_key', type_='unique')
        batch_op.drop_column('name_key')
