"""consensus decisions taken back are marked undone (who, when) instead of deleted

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('codings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('undone_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('undone_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('undone_from', sa.String(length=20), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_codings_undone_by_coders'), 'coders', ['undone_by'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('codings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_codings_undone_by_coders'), type_='foreignkey')
        batch_op.drop_column('undone_from')
        batch_op.drop_column('undone_by')
        batch_op.drop_column('undone_at')
