"""Import's fast bulk insert stores exactly what SQLAlchemy's own insert stores.

``corpus.driver_values`` replaces SQLAlchemy's per-value bind processors by cheaper
equivalents (see its docstring); these tests hold it to the reference, SQLAlchemy itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import JSON, Boolean, DateTime, String, insert, text
from sqlalchemy.dialects import postgresql, sqlite

from qcode.services.project import Project
from qcode.storage import corpus
from qcode.transcripts.model import Document, Role, Utterance
from tests.factories import make_document, store

SQLITE = sqlite.dialect()
POSTGRES = postgresql.dialect()


def sqlalchemy_values(values: list[Any], type_: Any, dialect: Any) -> list[Any]:
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    return [v if process is None else process(v) for v in values]


@given(st.lists(st.one_of(st.none(), st.datetimes()), max_size=20))
def test_sqlite_datetimes_match_sqlalchemys_processor(values: list[dt.datetime | None]) -> None:
    assert list(corpus.driver_values(values, DateTime(), SQLITE)) == sqlalchemy_values(
        values, DateTime(), SQLITE
    )


def test_the_text_caches_start_again_when_full_and_stay_right(monkeypatch: Any) -> None:
    """The date and time-of-day caches outlive a batch; bounded, and never stale."""
    monkeypatch.setattr(corpus, "_CACHE_LIMIT", 50)
    start = dt.datetime(2014, 11, 3, 23, 58, 1, 999_999)
    values = [start + dt.timedelta(minutes=7 * n, microseconds=n) for n in range(400)]
    for round_ in range(2):  # the second time partly from the caches
        assert list(corpus.driver_values(values, DateTime(), SQLITE)) == sqlalchemy_values(
            values, DateTime(), SQLITE
        ), round_
        assert len(corpus._CLOCKS) <= 50 and len(corpus._DAYS) <= 50


@given(st.lists(st.datetimes(timezones=st.just(dt.timezone(dt.timedelta(hours=1)))), min_size=1))
def test_aware_datetimes_fall_back_to_sqlalchemys_processor(values: list[dt.datetime]) -> None:
    converted = list(corpus.driver_values(values, DateTime(), SQLITE))
    assert converted == sqlalchemy_values(values, DateTime(), SQLITE)
    assert all("+" not in v for v in converted)  # SQLAlchemy drops the offset; so do we


def test_booleans_match_sqlalchemy_on_both_dialects() -> None:
    values = [True, False, None, True]
    for dialect in (SQLITE, POSTGRES):
        got = list(corpus.driver_values(values, Boolean(), dialect))
        want = sqlalchemy_values(values, Boolean(), dialect)
        assert got == want
        assert [type(v) for v in got] == [type(v) for v in want]  # 1 == True: check the type too


def test_json_values_go_through_sqlalchemys_processor_none_included() -> None:
    values = [{"a": "b"}, None, {}]

    def plain(converted: Any) -> list[Any]:  # psycopg's Json wrapper has no equality
        return [(type(v), getattr(v, "obj", v)) for v in converted]

    for dialect in (SQLITE, POSTGRES):
        assert plain(corpus.driver_values(values, JSON(), dialect)) == plain(
            sqlalchemy_values(values, JSON(), dialect)
        )
    assert list(corpus.driver_values(values, JSON(), SQLITE)) == ['{"a": "b"}', "null", "{}"]


def test_enum_members_become_plain_strings() -> None:
    got = list(corpus.driver_values([Role.CLIENT, None, Role.SYSTEM], String(), SQLITE))
    assert got == ["client", None, "system"]
    assert type(got[0]) is str


def _document_with_tricky_utterances() -> Document:
    doc = make_document("c/a", "c", [("client", "19:02", "hoi"), ("counsellor", "19:03", "hallo")])
    first, second = doc.utterances
    utterances = (
        first._replace(time=None, out_of_order=True, quoted="> oud", subject="Re: x"),
        second._replace(time=dt.datetime(2014, 11, 3, 19, 3, 7, 250), continued=True),
    )
    return Document(doc.key, doc.case_key, doc.channel, doc.text, utterances, doc.start, doc.source)


def _stored_rows(project: Project, key: str) -> list[tuple[Any, ...]]:
    """The rows as the driver returns them, without SQLAlchemy's result conversions."""
    with project.session() as session:
        doc_id = corpus.document_id(session, key)
        return [
            tuple(row)
            for row in session.execute(
                text(
                    'SELECT idx, role, speaker, time, text, start, "end", line, out_of_order, '
                    "continued, quoted, subject FROM utterances WHERE document_id = :d ORDER BY idx"
                ),
                {"d": doc_id},
            )
        ]


def test_bulk_insert_stores_what_sqlalchemy_core_stores(project: Project) -> None:
    doc = _document_with_tricky_utterances()
    store(project, doc)  # the import path: corpus.bulk_insert
    empty = Document("c/b", "c", doc.channel, doc.text, (), doc.start, "b.txt")
    store(project, empty)
    with project.session() as session:  # the reference path: SQLAlchemy Core, processors on
        doc_id = corpus.document_id(session, "c/b")
        session.execute(
            insert(corpus.UTTERANCES),
            [
                dict(zip(corpus.UTTERANCE_COLUMNS, (doc_id, *u), strict=True))
                for u in doc.utterances
            ],
        )
    fast, reference = _stored_rows(project, "c/a"), _stored_rows(project, "c/b")
    assert fast == reference
    assert [[type(v) for v in row] for row in fast] == [[type(v) for v in row] for row in reference]
    if project.engine.dialect.name == "sqlite":
        assert fast[1][3] == "2014-11-03 19:03:07.000250"
        assert fast[0][8] == 1 and fast[0][3] is None
    with project.session() as session:  # and it reads back as the domain values it came from
        loaded = corpus.load_document(session, "c/a")
    assert loaded is not None
    assert loaded.utterances == doc.utterances
    assert all(isinstance(u, Utterance) for u in loaded.utterances)
