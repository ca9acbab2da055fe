"""memos: one table for memos on codings, turns, documents, cases and codes; memo edits undoable

Coding memos move from ``codings.memo`` into ``memos`` (kind ``coding``), keeping every text:
the author is whoever last edited it (its latest ``memo`` event), else the coding's coder.
Existing memo events point at the new memo row (``coding_events.memo_id``), so undo of an old
memo edit still works. ``coding_events.coding_id`` becomes nullable: an edit of a memo on a
document, turn, case or code is a step of the coder's undo log without a coding.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _drop_coding_memo_column() -> None:
    """Drop ``codings.memo``. On SQLite with the native DROP COLUMN (3.35+), not by Alembic's
    table rebuild: rebuilding ``codings`` would drop a table other rows point at, which fails
    while foreign keys are enforced (and they cannot be switched off inside the transaction)."""
    if op.get_bind().dialect.name == 'sqlite':
        import sqlite3

        if sqlite3.sqlite_version_info < (3, 35):
            raise RuntimeError(
                f"This migration needs SQLite 3.35 or newer (this Python has {sqlite3.sqlite_version})."
            )
        op.execute('ALTER TABLE codings DROP COLUMN memo')
    else:
        op.drop_column('codings', 'memo')


def upgrade() -> None:
    with op.batch_alter_table('memos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('coding_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('case_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('code_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('created', sa.DateTime(), nullable=True))
        batch_op.alter_column('document_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_memos_coding_id_codings'), 'codings', ['coding_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_memos_case_id_cases'), 'cases', ['case_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_memos_code_id_codes'), 'codes', ['code_id'], ['id'])
        batch_op.create_index('ix_memos_coding', ['coding_id'], unique=False)
    op.execute(
        "UPDATE memos SET created = updated, "
        "kind = CASE WHEN utterance_idx IS NULL THEN 'document' ELSE 'utterance' END"
    )
    memo_events = "FROM coding_events e WHERE e.coding_id = c.id AND e.action = 'memo'"
    op.execute(
        "INSERT INTO memos (kind, document_id, utterance_idx, coding_id, case_id, code_id, coder_id, "
        "text, created, updated) "
        "SELECT 'coding', c.document_id, NULL, c.id, NULL, NULL, "
        f"COALESCE((SELECT e.coder_id {memo_events} ORDER BY e.id DESC LIMIT 1), c.coder_id), "
        "COALESCE(c.memo, ''), "
        f"COALESCE((SELECT MIN(e.at) {memo_events} AND e.before = ''), c.created), "
        f"COALESCE((SELECT MAX(e.at) {memo_events}), c.created) "
        f"FROM codings c WHERE COALESCE(c.memo, '') <> '' OR EXISTS (SELECT 1 {memo_events})"
    )
    with op.batch_alter_table('memos', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column('created', existing_type=sa.DateTime(), nullable=False)
    with op.batch_alter_table('coding_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('memo_id', sa.Integer(), nullable=True))
        batch_op.alter_column('coding_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_coding_events_memo_id_memos'), 'memos', ['memo_id'], ['id'])
    op.execute(
        "UPDATE coding_events SET memo_id = (SELECT m.id FROM memos m "
        "WHERE m.coding_id = coding_events.coding_id AND m.kind = 'coding') WHERE action = 'memo'"
    )
    _drop_coding_memo_column()


def downgrade() -> None:
    with op.batch_alter_table('codings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('memo', sa.Text(), server_default='', nullable=False))
    op.execute(
        "UPDATE codings SET memo = COALESCE((SELECT m.text FROM memos m "
        "WHERE m.coding_id = codings.id AND m.kind = 'coding'), '')"
    )
    # Steps on memos without a coding (and those memos) have no place in the older schema.
    op.execute("DELETE FROM coding_events WHERE coding_id IS NULL")
    op.execute("UPDATE coding_events SET memo_id = NULL")
    op.execute("DELETE FROM memos WHERE kind IN ('coding', 'case', 'code') OR document_id IS NULL")
    with op.batch_alter_table('coding_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_coding_events_memo_id_memos'), type_='foreignkey')
        batch_op.drop_column('memo_id')
        batch_op.alter_column('coding_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('memos', schema=None) as batch_op:
        batch_op.drop_index('ix_memos_coding')
        batch_op.drop_constraint(batch_op.f('fk_memos_code_id_codes'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_memos_case_id_cases'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_memos_coding_id_codings'), type_='foreignkey')
        batch_op.drop_column('created')
        batch_op.drop_column('code_id')
        batch_op.drop_column('case_id')
        batch_op.drop_column('coding_id')
        batch_op.drop_column('kind')
        batch_op.alter_column('document_id', existing_type=sa.Integer(), nullable=False)
