"""codebook edits made in the workbench, kept for undo in a later session

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'codebook_edits',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('code', sa.String(length=100), nullable=False),
        sa.Column('before', sa.Text(), nullable=False),
        sa.Column('after', sa.Text(), nullable=False),
        sa.Column('moved', sa.JSON(), nullable=False),
        sa.Column('editor', sa.String(length=100), nullable=False),
        sa.Column('created', sa.DateTime(), nullable=False),
        sa.Column('undone_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_codebook_edits')),
    )


def downgrade() -> None:
    op.drop_table('codebook_edits')
