"""consensus decisions taken back are marked undone (who, when, what they were) instead of deleted

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

SQLite cannot rebuild ``codings`` inside the migration's transaction (the foreign keys that
point at it, from coding_events and suggestion_decisions, refuse the drop of the old table),
so there the column with a foreign key is added by a plain ADD COLUMN, and a downgrade leaves
the three nullable columns in place (older code never reads them); an upgrade then adds only
what is missing.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    present = {c['name'] for c in sa.inspect(bind).get_columns('codings')}
    if 'undone_at' not in present:
        op.add_column('codings', sa.Column('undone_at', sa.DateTime(), nullable=True))
    if 'undone_by' not in present:
        if bind.dialect.name == 'sqlite':
            op.execute(
                'ALTER TABLE codings ADD COLUMN undone_by INTEGER '
                'CONSTRAINT fk_codings_undone_by_coders REFERENCES coders (id)'
            )
        else:
            op.add_column('codings', sa.Column('undone_by', sa.Integer(), nullable=True))
            op.create_foreign_key('fk_codings_undone_by_coders', 'codings', 'coders', ['undone_by'], ['id'])
    if 'undone_from' not in present:
        op.add_column('codings', sa.Column('undone_from', sa.String(length=20), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        return  # see the module docstring: the columns stay, unused
    op.drop_column('codings', 'undone_from')
    op.drop_column('codings', 'undone_by')
    op.drop_column('codings', 'undone_at')
