"""Codings, undo/redo, codebook changes and blind mode at the service layer, on both backends."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from qcode.codebook.load import default_codebook_path, dump_codebook, load_codebook
from qcode.coding.memo import MemoTarget
from qcode.errors import ConflictError, QcodeError, StorageError
from qcode.services import codebook as codebook_service
from qcode.services import codings as coding_service
from qcode.services import team as team_service
from qcode.services.memos import write_memo
from qcode.services.project import Project
from tests.factories import make_document, store

TURNS = [
    ("counsellor", "19:02", "Hoi NAAM, welkom bij de chat. Waar wil je het over hebben?"),
    ("client", "19:03", "hoi"),
    ("client", "19:04", "ik heb ruzie met mn vader"),
    ("counsellor", "19:10", "Als ik het goed lees voel je je niet gehoord, klopt dat?"),
]


@pytest.fixture
def doc_project(project: Project) -> Project:
    store(project, make_document("c1/chat", "c1", TURNS))
    return project


def test_utterance_coding_covers_the_utterance_text(doc_project: Project) -> None:
    coding_service.add_coding(doc_project, "c1/chat", "Verificatie interpretatie", "anna", utterance=3)
    frame = coding_service.list_codings(doc_project)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["text"] == TURNS[3][2]
    assert row["code"] == "verificatie_interpretatie"
    assert row["code_name"] == "Verificatie interpretatie"
    assert int(row["utterance"]) == 3
    assert row["origin"] == "manual"


def test_range_coding_spans_turns_and_has_no_single_utterance(doc_project: Project) -> None:
    coding_service.add_coding(doc_project, "c1/chat", "intake", "anna", utterance=0, last_utterance=2)
    row = coding_service.list_codings(doc_project).iloc[0]
    assert row["text"].startswith(TURNS[0][2]) and row["text"].endswith(TURNS[2][2])
    assert row["utterance"] is None or str(row["utterance"]) == "<NA>"


def test_remove_undo_redo(doc_project: Project) -> None:
    cid = coding_service.add_coding(doc_project, "c1/chat", "Open vraag", "anna", utterance=0)
    coding_service.remove_coding(doc_project, cid, "anna")
    assert coding_service.list_codings(doc_project).empty
    assert coding_service.undo(doc_project, "anna") is not None
    restored = coding_service.list_codings(doc_project)
    assert list(restored["id"]) == [cid]
    assert coding_service.redo(doc_project, "anna") is not None
    assert coding_service.list_codings(doc_project).empty
    # undo of the removal, then undo of the add: nothing left, and nothing more to undo
    coding_service.undo(doc_project, "anna")
    coding_service.undo(doc_project, "anna")
    assert coding_service.list_codings(doc_project).empty
    assert coding_service.undo(doc_project, "anna") is None


def test_undo_is_per_coder(doc_project: Project) -> None:
    coding_service.add_coding(doc_project, "c1/chat", "Open vraag", "anna", utterance=0)
    coding_service.add_coding(doc_project, "c1/chat", "Open vraag", "bert", utterance=0)
    coding_service.undo(doc_project, "anna")
    assert list(coding_service.list_codings(doc_project)["coder"]) == ["bert"]


def test_removing_a_removed_coding_is_a_clear_conflict(doc_project: Project) -> None:
    cid = coding_service.add_coding(doc_project, "c1/chat", "Open vraag", "anna", utterance=0)
    coding_service.remove_coding(doc_project, cid, "bert")
    with pytest.raises(ConflictError, match="removed by bert"):
        write_memo(doc_project, MemoTarget.on_coding(cid), "anna", "waarom?")


def test_stale_version_is_refused(doc_project: Project) -> None:
    cid = coding_service.add_coding(doc_project, "c1/chat", "Open vraag", "anna", utterance=0)
    write_memo(doc_project, MemoTarget.on_coding(cid), "bert", "eerste", expected_version=1)
    with pytest.raises(ConflictError, match="changed by someone else"):
        write_memo(doc_project, MemoTarget.on_coding(cid), "anna", "tweede", expected_version=1)


def test_rename_and_merge_keep_every_coding(doc_project: Project) -> None:
    coding_service.add_coding(doc_project, "c1/chat", "Open vraag", "anna", utterance=0)
    coding_service.add_coding(doc_project, "c1/chat", "Gesloten vraag", "anna", utterance=3)
    codebook_service.rename_code(doc_project, "Open vraag", "Open vraag (nieuw)")
    names = sorted(coding_service.list_codings(doc_project)["code_name"])
    assert names == ["Gesloten vraag", "Open vraag (nieuw)"]
    moved = len(codebook_service.merge_codes(doc_project, "Gesloten vraag", "open_vraag").moved)
    assert moved == 1
    frame = coding_service.list_codings(doc_project)
    assert len(frame) == 2 and set(frame["code"]) == {"open_vraag"}


def test_codebook_version_that_orphans_codings_is_refused(doc_project: Project, tmp_path: Path) -> None:
    coding_service.add_coding(doc_project, "c1/chat", "Feedback", "anna", utterance=3)
    book = load_codebook(default_codebook_path())
    smaller = dataclasses.replace(
        book, version="2.0", codes=tuple(c for c in book.codes if c.id not in {"feedback", "stiltes"})
    )
    path = tmp_path / "v2.yaml"
    path.write_text(dump_codebook(smaller), encoding="utf-8")
    with pytest.raises(StorageError, match="Feedback \\(1 codings\\)"):
        codebook_service.load_codebook_file(doc_project, path)
    # without the used code removed, the new version loads and drops only the unused one
    kept = dataclasses.replace(
        book, version="2.0", codes=tuple(c for c in book.codes if c.id != "stiltes")
    )
    path.write_text(dump_codebook(kept), encoding="utf-8")
    codebook_service.load_codebook_file(doc_project, path)
    ids = {c.id for c in codebook_service.codebook(doc_project).codes}
    assert "feedback" in ids and "stiltes" not in ids
    assert len(coding_service.list_codings(doc_project)) == 1


def test_blind_mode_hides_other_coders_until_release(doc_project: Project) -> None:
    team_service.add_coder(doc_project, "sup", supervisor=True)
    coding_service.add_coding(doc_project, "c1/chat", "Open vraag", "anna", utterance=0)
    coding_service.add_coding(doc_project, "c1/chat", "Gesloten vraag", "bert", utterance=3)
    with pytest.raises(QcodeError, match="supervisor"):
        team_service.set_blind(doc_project, True, by="anna")
    team_service.set_blind(doc_project, True, by="sup")
    assert set(coding_service.list_codings(doc_project, viewer="anna")["coder"]) == {"anna"}
    # asking for bert's codings explicitly still returns nothing to anna
    assert coding_service.list_codings(doc_project, coders=["bert"], viewer="anna").empty
    assert set(coding_service.list_codings(doc_project, viewer="sup")["coder"]) == {"anna", "bert"}
    with pytest.raises(QcodeError, match="blind"):
        coding_service.list_codings(doc_project)
    team_service.release_blind(doc_project, by="sup")
    assert set(coding_service.list_codings(doc_project, viewer="anna")["coder"]) == {"anna", "bert"}


def test_reserved_and_bad_spans(doc_project: Project) -> None:
    with pytest.raises(QcodeError, match="reserved"):
        coding_service.add_coding(doc_project, "c1/chat", "Open vraag", "auto", utterance=0)
    with pytest.raises(StorageError, match="has no turn 10: its turns are 1–"):  # index 9 = turn 10
        coding_service.add_coding(doc_project, "c1/chat", "Open vraag", "anna", utterance=9)
    with pytest.raises(StorageError, match="No code"):
        coding_service.add_coding(doc_project, "c1/chat", "Bestaat niet", "anna", utterance=0)
    assert coding_service.list_codings(doc_project).empty


def test_coding_columns_are_the_rows_of_coding_rows(doc_project: Project) -> None:
    """The report's column-wise read (Core, tuples) returns what the per-row dict read returns,
    with the same filter and blind-mode restriction (both backends)."""
    from qcode.storage.codings import CodingFilter, coding_columns, coding_rows

    coding_service.add_coding(doc_project, "c1/chat", "Open vraag", "anna", utterance=0)
    coding_service.add_coding(doc_project, "c1/chat", "intake", "bram", utterance=0, last_utterance=2)
    removed = coding_service.add_coding(doc_project, "c1/chat", "Verificatie interpretatie", "anna", utterance=3)
    coding_service.remove_coding(doc_project, removed, "anna")
    cases = [(CodingFilter(), None), (CodingFilter(), ["anna"]), (CodingFilter(include_deleted=True), None),
             (CodingFilter(coders=["bram"]), ["anna"])]
    with doc_project.session() as session:
        for flt, visible in cases:
            dicts = coding_rows(session, flt, visible)
            names, tuples = coding_columns(session, flt, visible)
            assert [dict(zip(names, t, strict=True)) for t in tuples] == dicts
    expected_counts = [2, 1, 3, 0]  # live; anna's only; with the removed one; bram hidden from anna
    with doc_project.session() as session:
        assert [len(coding_columns(session, f, v)[1]) for f, v in cases] == expected_counts
