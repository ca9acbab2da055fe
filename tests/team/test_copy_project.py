"""copy-project: SQLite -> PostgreSQL -> SQLite keeps everything, verified; refusals; no secrets."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from qcode.cli import main
from qcode.coding.memo import MemoTarget
from qcode.coding.model import Coding
from qcode.errors import QcodeError, StorageError
from qcode.services import codings as coding_service
from qcode.services import team as team_service
from qcode.services.memos import write_memo
from qcode.services.project import Project, init_project, now, open_project
from qcode.services.team import copy_project
from qcode.storage import codings as coding_store
from qcode.storage import suggestions as suggestion_store
from qcode.storage.copy import compare_stores, tables
from qcode.storage.engine import make_engine
from qcode.storage.schema import CodingRow, MemoRow, SuggestionRow
from tests.team.data import make_document, store_documents


def _fill(project: Project) -> None:
    """Two coders' codings (one removed, one undone), memos, suggestions, decisions, blind mode."""
    store_documents(project, make_document("c1/chat", "c1"), make_document("c2/chat", "c2"))
    team_service.add_coder(project, "sara", supervisor=True)
    team_service.set_blind(project, True, by="sara")
    a1 = coding_service.add_coding(project, "c1/chat", "open_vraag", "anna", utterance=0, memo="vraag 🙂")
    coding_service.add_coding(project, "c1/chat", "verificatie_interpretatie", "anna", utterance=3)
    coding_service.add_coding(project, "c2/chat", "intake", "anna", utterance=0, last_utterance=2)
    coding_service.add_coding(project, "c1/chat", "open_vraag", "bert", utterance=0)
    b2 = coding_service.add_coding(project, "c2/chat", "open_vraag", "bert", utterance=3)
    coding_service.remove_coding(project, b2, "bert")
    coding_service.add_coding(project, "c2/chat", "feedback", "bert", utterance=1)
    coding_service.undo(project, "bert")  # withdraws the feedback coding
    write_memo(project, MemoTarget.on_coding(a1), "anna", "open of gesloten?")
    with project.session() as session:
        coding_store.add_coding(
            session,
            Coding("c1/chat", 0, 5, "open_vraag", "anna", created=datetime(2014, 11, 3, 19, 2, 3, 123456)),
            now(),
        )
        session.add(MemoRow(kind="utterance", document_id=1, utterance_idx=2, coder_id=1, text="ruzie", created=now(), updated=now()))
        session.add(MemoRow(kind="document", document_id=2, utterance_idx=None, coder_id=2, text="e-mail", created=now(), updated=now()))
        found = [
            suggestion_store.NewSuggestion("open_vraag", 0, 10, 20, 0.1, "vraagteken", "eindigt op ?"),
            suggestion_store.NewSuggestion("verificatie_interpretatie", 3, 30, 40, 2 / 3, "klopt", "klopt dat"),
        ]
        suggestion_store.store_suggestions(session, "c1/chat", "rules-1", found, now())
        ids = list(session.scalars(select(SuggestionRow.id).order_by(SuggestionRow.id)))
        suggestion_store.decide(session, ids[0], "anna", "accepted", now(), coding_id=a1)
        suggestion_store.decide(session, ids[1], "anna", "rejected", now())
        suggestion_store.decide(session, ids[0], "bert", "rejected", now())


def _counts(project: Project) -> dict[str, int]:
    with project.engine.connect() as conn:
        return {t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0) for t in tables()}


def _frame(project: Project, viewer: str) -> pd.DataFrame:
    return coding_service.list_codings(project, viewer=viewer).reset_index(drop=True)


def test_round_trip_sqlite_postgresql_sqlite_keeps_everything(tmp_path: Path, pg_url: str) -> None:
    original = init_project(tmp_path / "study")
    _fill(original)
    before_counts = _counts(original)
    # Independently known sizes: 2 cases, 2 documents of 4 turns, 7 codings, 9 events
    # (7 adds + 1 remove + 1 memo; the undo flips a flag), 3 memos (one on a coding), 2 suggestions,
    # 3 decisions.
    expected = {"cases": 2, "documents": 2, "utterances": 8, "codings": 7, "coding_events": 9,
                "memos": 3, "suggestions": 2, "suggestion_decisions": 3, "coders": 3}
    assert {k: before_counts[k] for k in expected} == expected
    frames = {v: _frame(original, v) for v in ("anna", "bert", "sara")}
    original.close()

    report = copy_project(tmp_path / "study", pg_url)
    assert report.switched and all(c.ok for c in report.tables)
    assert {c.table for c in report.tables} == {t.name for t in tables()}
    on_pg = open_project(tmp_path / "study")
    assert on_pg.engine.dialect.name == "postgresql"
    assert _counts(on_pg) == before_counts
    for viewer, frame in frames.items():
        pd.testing.assert_frame_equal(_frame(on_pg, viewer), frame)
    # blind mode holds on the server: anna sees only her own codings
    assert set(_frame(on_pg, "anna")["coder"]) == {"anna"}
    assert set(_frame(on_pg, "sara")["coder"]) == {"anna", "bert"}
    with on_pg.session() as session:
        memos = sorted(session.scalars(select(MemoRow.text)))
        max_id = session.scalar(select(func.max(CodingRow.id)))
    assert memos == ["e-mail", "open of gesloten?", "ruzie"]
    on_pg.close()

    back = tmp_path / "archive.sqlite3"
    report = copy_project(tmp_path / "study", f"sqlite:///{back}", switch=False)
    assert not report.switched and all(c.ok for c in report.tables)
    checks = compare_stores(make_engine(f"sqlite:///{tmp_path / 'study' / 'qcode.sqlite3'}"),
                            make_engine(f"sqlite:///{back}"))
    assert [c.table for c in checks if not c.ok] == []

    # sequences were moved past the copied ids: a new coding on PostgreSQL gets a fresh id
    on_pg = open_project(tmp_path / "study")
    new_id = coding_service.add_coding(on_pg, "c1/chat", "open_vraag", "bert", utterance=1)
    assert new_id == (max_id or 0) + 1
    on_pg.close()


def test_checksums_notice_a_changed_value(tmp_path: Path) -> None:
    first = init_project(tmp_path / "a")
    _fill(first)
    first.close()
    copy_project(tmp_path / "a", f"sqlite:///{tmp_path / 'b.sqlite3'}", switch=False)
    a = make_engine(f"sqlite:///{tmp_path / 'a' / 'qcode.sqlite3'}")
    b = make_engine(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    with b.begin() as conn:
        conn.execute(update(CodingRow).where(CodingRow.id == 1).values(detail="anders"))
    bad = [c for c in compare_stores(a, b) if not c.ok]
    assert [(c.table, c.source_rows, c.target_rows) for c in bad] == [("codings", 7, 7)]
    a.dispose()
    b.dispose()


def test_non_empty_target_is_refused_and_left_alone(tmp_path: Path, pg_url: str) -> None:
    study = init_project(tmp_path / "study")
    _fill(study)
    study.close()
    copy_project(tmp_path / "study", pg_url, switch=False)
    with pytest.raises(StorageError, match="already holds project data"):
        copy_project(tmp_path / "study", pg_url, switch=False)
    with pytest.raises(QcodeError, match="own database"):
        copy_project(tmp_path / "study", f"sqlite:///{tmp_path / 'study' / 'qcode.sqlite3'}")
    assert "database = \"\"" in (tmp_path / "study" / "qcode.toml").read_text()


def test_password_is_used_but_never_written(tmp_path: Path, pg_url: str) -> None:
    study = init_project(tmp_path / "study")
    study.close()
    # the test server trusts loopback, so any password works; it must not be stored
    with_password = pg_url.replace("postgres@", "postgres:s3cret-pw@", 1)
    report = copy_project(tmp_path / "study", with_password)
    settings = (tmp_path / "study" / "qcode.toml").read_text()
    assert "s3cret-pw" not in settings and "s3cret-pw" not in report.target
    assert report.setting == pg_url
    open_project(tmp_path / "study").close()  # the stored setting is accepted


def test_cli_copy_project_prints_verified_tables(tmp_path: Path) -> None:
    study = init_project(tmp_path / "study")
    _fill(study)
    study.close()
    target = tmp_path / "copy.sqlite3"
    result = CliRunner().invoke(
        main, ["copy-project", "--project", str(tmp_path / "study"), "--to", f"sqlite:///{target}", "--no-switch"]
    )
    assert result.exit_code == 0, result.output
    assert f"{len(tables())} tables verified" in result.output
    assert "MISMATCH" not in result.output
    again = CliRunner().invoke(
        main, ["copy-project", "--project", str(tmp_path / "study"), "--to", f"sqlite:///{target}"]
    )
    assert again.exit_code == 1 and "already holds project data" in again.output
