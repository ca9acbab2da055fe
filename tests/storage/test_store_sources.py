"""store_sources: case attributes merged into known cases, new ids found by key."""

from __future__ import annotations

from sqlalchemy import select

from qcode.services.project import Project
from qcode.storage import corpus
from qcode.storage.corpus import CASES, bulk_insert
from qcode.transcripts.model import Case
from tests.factories import make_document, store


def _cases(project: Project) -> dict[str, dict[str, str]]:
    with project.session() as session:
        return dict(corpus.case_rows(session))


def test_case_attributes_are_merged_into_a_known_case(project: Project) -> None:
    store(project, make_document("c1/a", "c1", [("client", "19:02", "hoi")]))
    assert _cases(project) == {"c1": {}}
    later = make_document("c1/b", "c1", [("client", "19:05", "hallo")])
    store(project, later, cases=(Case("c1", {"leeftijd": "17"}),))
    assert _cases(project) == {"c1": {"leeftijd": "17"}}
    store(
        project,
        make_document("c1/c", "c1", [("client", "19:09", "ik weer")]),
        cases=(Case("c1", {"geslacht": "v", "leeftijd": "18"}), Case("c2", {"leeftijd": "15"})),
    )
    assert _cases(project) == {"c1": {"leeftijd": "18", "geslacht": "v"}, "c2": {"leeftijd": "15"}}


def _all_ids(session: object, keys: list[str]) -> dict[str, int]:
    return dict(session.execute(select(CASES.c.key, CASES.c.id).where(CASES.c.key.in_(keys))).all())  # type: ignore[attr-defined]


def test_new_ids_are_found_by_key_among_rows_of_other_writers(project: Project) -> None:
    with project.session() as session:
        bulk_insert(session, CASES, {"key": ["oud-1", "oud-2"], "attributes": [{}, {}]})
        after = corpus._max_id(session, CASES)
        # Rows another writer added meanwhile have ids above ``after`` too.
        bulk_insert(session, CASES, {"key": ["ander-1"], "attributes": [{}]})
        ours = ["nieuw-1", "nieuw-2", "nieuw-3"]
        bulk_insert(session, CASES, {"key": ours, "attributes": [{}, {}, {}]})
        found = corpus._ids_by(session, CASES, "key", ours, after)
        assert found == _all_ids(session, ours)
        assert len(set(found.values())) == 3 and min(found.values()) > after


def test_an_id_at_or_below_the_mark_is_found_by_value(project: Project) -> None:
    with project.session() as session:
        keys = [f"casus-{n}" for n in range(1, 1203)]  # more than one IN list of 500
        bulk_insert(session, CASES, {"key": keys, "attributes": [{}] * len(keys)})
        found = corpus._ids_by(session, CASES, "key", keys, after=2_000_000_000)  # above every id
        assert found == _all_ids(session, keys) and len(found) == len(keys)
