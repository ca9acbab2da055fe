"""search: packed turns and lemmas per document; steps grouped into one undoable action

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'search_index',
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('units', sa.LargeBinary(), nullable=False),
        sa.Column('speakers', sa.Text(), nullable=False),
        sa.Column('clean_edges', sa.Boolean(), nullable=False),
        sa.Column('lemma_pipeline', sa.String(length=200), nullable=True),
        sa.Column('lemma_line', sa.Text(), nullable=True),
        sa.Column('lemma_offsets', sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_search_index_document_id_documents')),
        sa.PrimaryKeyConstraint('document_id', name=op.f('pk_search_index')),
    )
    with op.batch_alter_table('coding_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('coding_events', schema=None) as batch_op:
        batch_op.drop_column('batch')
    op.drop_table('search_index')
