"""learned models (qcode learn) and the model version on suggestions

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'learned_models',
        sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('created', sa.DateTime(), nullable=False),
        sa.Column('codebook_version', sa.String(length=80), nullable=False),
        sa.Column('rules_version', sa.String(length=80), nullable=False),
        sa.Column('coders', sa.JSON(), nullable=False),
        sa.Column('codes', sa.JSON(), nullable=False),
        sa.Column('units', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('learner', sa.String(length=200), nullable=False),
        sa.Column('estimates', sa.JSON(), nullable=False),
        sa.Column('model', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('version', name=op.f('pk_learned_models')),
    )
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('model_version', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.drop_column('model_version')
    op.drop_table('learned_models')
