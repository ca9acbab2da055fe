"""learned models (qcode learn), their cached features, and the model version on suggestions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
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
    op.create_table(
        'learn_features',
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('units', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_learn_features_document_id_documents')),
        sa.PrimaryKeyConstraint('document_id', name=op.f('pk_learn_features')),
    )
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('model_version', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.drop_column('model_version')
    op.drop_table('learn_features')
    op.drop_table('learned_models')
