"""driver_values' C-level conversions of bool and enum columns equal SQLAlchemy's processors.

Bools without None become ints through ``bytes`` and str enum members their plain text
through a lookup made once per member (docs/benchmarks.md, Import, session 7); the reference
is SQLAlchemy's own bind processor on both dialects, types included (``1 == True``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Boolean, String, text
from sqlalchemy.dialects import postgresql, sqlite

from qcode.services.project import Project
from qcode.storage import corpus
from qcode.transcripts.model import Document, Role
from tests.factories import make_document, store

SQLITE = sqlite.dialect()
POSTGRES = postgresql.dialect()


def _reference(values: list[Any], type_: Any, dialect: Any) -> list[Any]:
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    return [v if process is None else process(v) for v in values]


def _typed(values: Any) -> list[tuple[type, Any]]:
    return [(type(v), v) for v in values]


@given(st.lists(st.booleans(), min_size=1, max_size=50))
def test_bools_without_none_match_sqlalchemy_on_both_dialects(values: list[bool]) -> None:
    for dialect in (SQLITE, POSTGRES):
        got = corpus.driver_values(values, Boolean(), dialect)
        assert _typed(got) == _typed(_reference(values, Boolean(), dialect))
    assert _typed(corpus.driver_values(values, Boolean(), SQLITE)) == [(int, int(v)) for v in values]


class _Colour(StrEnum):
    RED = "rood"
    GREEN = "groen"


@given(st.lists(st.sampled_from([*Role, *_Colour]), min_size=1, max_size=30))
def test_str_enum_members_become_their_plain_text(values: list[Any]) -> None:
    got = corpus.driver_values(values, String(), SQLITE)
    assert _typed(got) == [(str, str.__str__(v)) for v in values]
    assert _typed(got) == [(str, v.value) for v in values]  # by hand: the member's text


class _Word(str):
    """A str subclass that is no enum: converted one by one, as before."""


def test_other_str_subclasses_and_mixes_with_plain_str_stay_right() -> None:
    values: list[Any] = [_Word("hoi"), "ja", Role.CLIENT]
    assert _typed(corpus.driver_values(values, String(), SQLITE)) == [
        (str, "hoi"), (str, "ja"), (str, "client"),
    ]
    with_none: list[Any] = [Role.SYSTEM, None]
    assert _typed(corpus.driver_values(with_none, String(), SQLITE)) == [
        (str, "system"), (type(None), None),
    ]


def test_a_text_column_that_starts_with_plain_text_goes_as_it_is() -> None:
    """No type scan for it: a str subclass further on is left to the driver (next test)."""
    values: list[Any] = ["ja", Role.CLIENT]
    assert corpus.driver_values(values, String(), SQLITE) is values


def test_the_driver_stores_an_enum_member_as_its_text(project: Project) -> None:
    """What makes skipping the scan safe: both drivers store a Role as its plain text."""
    doc = make_document("c/a", "c", [("client", "19:02", "hoi"), ("counsellor", "19:03", "ja")])
    store(project, Document(doc.key, doc.case_key, doc.channel, doc.text, (), doc.start, "a.txt"))
    with project.session() as session:
        doc_id = corpus.document_id(session, "c/a")
        transposed = zip(*doc.utterances, strict=True)
        columns: dict[str, list[Any]] = {
            name: list(values) for name, values in zip(corpus.UTTERANCE_COLUMNS[1:], transposed, strict=True)
        }
        columns["role"] = ["client", Role.COUNSELLOR]  # plain text first: passed as it is
        columns["speaker"] = ["Hulpvrager", Role.COUNSELLOR]
        corpus.bulk_insert(session, corpus.UTTERANCES, {"document_id": [doc_id] * 2, **columns})
    with project.session() as session:
        rows = session.execute(
            text("SELECT role, speaker FROM utterances WHERE document_id = :d ORDER BY idx"),
            {"d": doc_id},
        ).all()
    assert [tuple(r) for r in rows] == [("client", "Hulpvrager"), ("counsellor", "counsellor")]
    assert all(type(v) is str for r in rows for v in r)
