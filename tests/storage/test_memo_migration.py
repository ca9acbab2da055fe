"""Migration 0005 keeps every memo a project had: coding memos move into the memos table."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from qcode.coding.memo import MemoKind
from qcode.storage import codings as coding_store
from qcode.storage.engine import make_engine
from qcode.storage.memos import MemoFilter, memos
from qcode.storage.migrate import alembic_config, upgrade

T0 = datetime(2014, 11, 3, 19, 0)
T1 = datetime(2014, 11, 4, 9, 30)
T2 = datetime(2014, 11, 5, 10, 15)

ROWS_AT_0004 = [
    "INSERT INTO cases (id, key, attributes) VALUES (1, 'casus-01', '{}')",
    "INSERT INTO documents (id, key, case_id, channel, text, source, attributes) "
    "VALUES (1, 'casus-01/chat', 1, 'chat', 'Hallo daar. Hoe gaat het?', '', '{}')",
    "INSERT INTO utterances (id, document_id, idx, role, speaker, text, start, \"end\", line, "
    "out_of_order, continued, quoted, subject) VALUES "
    "(1, 1, 0, 'client', 'Hulpvrager', 'Hallo daar.', 0, 11, 1, false, false, '', ''), "
    "(2, 1, 1, 'counsellor', 'Hulpverlener', 'Hoe gaat het?', 12, 25, 2, false, false, '', '')",
    "INSERT INTO codebooks (id, key, name, version, source, groups, loaded_at) "
    "VALUES (1, 'kvh', 'Klikvoorhulp', '1', '', '{}', :t0)",
    "INSERT INTO codes (id, key, codebook_id, name, \"group\", unit, definition_en, definition_nl, "
    "colour, hotkey, automatic, suggestible, exclusive, position) VALUES "
    "(1, 'open_vraag', 1, 'Open vraag', 'techniek', 'utterance', '', '', '#888888', '', false, false, '', 0)",
    "INSERT INTO coders (id, name, kind, supervisor, created) VALUES "
    "(1, 'anna', 'person', false, :t0), (2, 'bram', 'person', false, :t0)",
    # coding 1: memo written at coding time; coding 2: memo edited by bram later;
    # coding 3: memo cleared again (empty now, but its history must stay undoable).
    "INSERT INTO codings (id, document_id, code_id, coder_id, start, \"end\", origin, memo, detail, "
    "created, version) VALUES "
    "(1, 1, 1, 1, 12, 25, 'manual', 'vraag 🙂', '', :t0, 1), "
    "(2, 1, 1, 1, 0, 11, 'manual', 'toch een vraag?', '', :t0, 2), "
    "(3, 1, 1, 2, 12, 25, 'manual', '', '', :t0, 3)",
    "INSERT INTO coding_events (id, coder_id, coding_id, action, undone, abandoned, at, before, after) "
    "VALUES (1, 1, 1, 'add', false, false, :t0, '', ''), (2, 1, 2, 'add', false, false, :t0, '', ''), "
    "(3, 2, 2, 'memo', false, false, :t1, '', 'toch een vraag?'), "
    "(4, 2, 3, 'add', false, false, :t0, '', ''), "
    "(5, 2, 3, 'memo', false, false, :t1, '', 'weg ermee'), "
    "(6, 2, 3, 'memo', false, false, :t2, 'weg ermee', '')",
    "INSERT INTO memos (id, document_id, utterance_idx, coder_id, text, updated) VALUES "
    "(1, 1, NULL, 1, 'hele chat: crisis', :t1), (2, 1, 1, 2, 'hier kantelt het', :t2)",
]


@pytest.fixture
def engine(tmp_path: Path, backend_url: str) -> Iterator[Engine]:
    url = backend_url or f"sqlite:///{tmp_path / 'old.sqlite3'}"
    made = make_engine(url, create=True)
    upgrade(made, "0004")
    with made.begin() as conn:
        for statement in ROWS_AT_0004:
            conn.execute(text(statement), {"t0": T0, "t1": T1, "t2": T2})
        if made.dialect.name == "postgresql":  # rows with explicit ids, as a project copy makes
            for table in ("cases", "documents", "utterances", "codebooks", "codes", "coders",
                          "codings", "coding_events", "memos"):
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                ))
    yield made
    made.dispose()


def test_upgrade_keeps_every_memo_with_its_place_author_and_times(engine: Engine) -> None:
    upgrade(engine)
    with Session(engine) as session:
        found = memos(session, MemoFilter())
    got = sorted((m.kind.value, m.document, m.turn, m.coding, m.coder, m.text) for m in found)
    assert got == [
        ("coding", "casus-01/chat", 1, 2, "bram", "toch een vraag?"),  # last edited by bram
        ("coding", "casus-01/chat", 2, 1, "anna", "vraag 🙂"),
        ("document", "casus-01/chat", None, None, "anna", "hele chat: crisis"),
        ("utterance", "casus-01/chat", 2, None, "bram", "hier kantelt het"),
    ]
    by_coding = {m.coding: m for m in found if m.kind is MemoKind.CODING}
    assert (by_coding[2].created, by_coding[2].updated) == (T1, T1)
    assert (by_coding[1].created, by_coding[1].updated) == (T0, T0)
    with Session(engine) as session:
        rows = coding_store.coding_rows(session, coding_store.CodingFilter())
        assert {r["id"]: r["memo"] for r in rows} == {1: "vraag 🙂", 2: "toch een vraag?", 3: ""}
        # bram's clearing of coding 3's memo is still undoable: the text comes back.
        assert coding_store.undo(session, "bram", T2) is not None
        session.commit()
        rows = coding_store.coding_rows(session, coding_store.CodingFilter(documents=["casus-01/chat"]))
        assert {r["id"]: r["memo"] for r in rows}[3] == "weg ermee"


def test_downgrade_puts_coding_memos_back_on_the_codings(engine: Engine) -> None:
    upgrade(engine)
    command.downgrade(alembic_config(engine), "0004")
    with engine.connect() as conn:
        back = dict(conn.execute(text("SELECT id, memo FROM codings ORDER BY id")).all())
        left = sorted(conn.execute(text("SELECT text FROM memos")).scalars())
    assert back == {1: "vraag 🙂", 2: "toch een vraag?", 3: ""}
    assert left == ["hele chat: crisis", "hier kantelt het"]
