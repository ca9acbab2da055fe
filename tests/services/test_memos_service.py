"""Memos on codings, turns, documents, cases and codes through the one memo service."""

from __future__ import annotations

import pytest

from qcode.coding.memo import MemoKind, MemoTarget
from qcode.errors import ConflictError, QcodeError, StorageError, UnknownNameError
from qcode.services import codings as coding_service
from qcode.services import team as team_service
from qcode.services.memos import MemoFilter, list_memos, memo_frame, memo_turns, write_memo
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
    store(project, make_document("c1/chat", "c1", TURNS), make_document("c2/chat", "c2", TURNS[:2]))
    for name in ("anna", "bram", "sara"):
        team_service.add_coder(project, name, supervisor=name == "sara")
    return project


def _texts(project: Project, viewer: str | None = None, **flt: object) -> list[tuple[str, str, str]]:
    return [(m.kind.value, m.place(), m.text) for m in list_memos(project, viewer, MemoFilter(**flt))]  # type: ignore[arg-type]


def test_memos_on_every_kind_of_place_are_listed_with_their_place(doc_project: Project) -> None:
    cid = coding_service.add_coding(doc_project, "c1/chat", "Open vraag", "anna", utterance=3)
    write_memo(doc_project, MemoTarget.on_coding(cid), "anna", "eigenlijk gesloten")
    write_memo(doc_project, MemoTarget.on_document("c1/chat", 2), "anna", "hier begint het probleem")
    write_memo(doc_project, MemoTarget.on_document("c1/chat"), "anna", "korte chat")
    write_memo(doc_project, MemoTarget.on_case("c1"), "anna", "vader-conflict")
    write_memo(doc_project, MemoTarget.on_code("Open vraag"), "anna", "ook: vertel eens ...")
    assert _texts(doc_project) == [
        ("code", "code Open vraag", "ook: vertel eens ..."),
        ("case", "case c1", "vader-conflict"),
        ("document", "document c1/chat", "korte chat"),
        ("utterance", "turn 3 of c1/chat", "hier begint het probleem"),
        ("coding", "coding Open vraag on turn 4 of c1/chat", "eigenlijk gesloten"),
    ]
    # The coding's memo is what the codings list shows, and the ✎ turns are the turn memos.
    assert list(coding_service.list_codings(doc_project)["memo"]) == ["eigenlijk gesloten"]
    assert memo_turns(doc_project, "c1/chat", "anna") == {2}


def test_filters_by_kind_document_case_code_coder_and_text(doc_project: Project) -> None:
    write_memo(doc_project, MemoTarget.on_document("c1/chat", 0), "anna", "Welkom is warm")
    write_memo(doc_project, MemoTarget.on_document("c2/chat", 1), "bram", "kort antwoord")
    write_memo(doc_project, MemoTarget.on_case("c2"), "bram", "zelfde client?")
    write_memo(doc_project, MemoTarget.on_code("open_vraag"), "bram", "werkdefinitie")
    assert [t for _, _, t in _texts(doc_project, cases=["c2"])] == ["zelfde client?", "kort antwoord"]
    assert [t for _, _, t in _texts(doc_project, documents=["c1/chat"])] == ["Welkom is warm"]
    assert [t for _, _, t in _texts(doc_project, coders=["bram"], kinds=[MemoKind.CODE])] == ["werkdefinitie"]
    assert [t for _, _, t in _texts(doc_project, codes=["Open vraag"])] == ["werkdefinitie"]
    assert [t for _, _, t in _texts(doc_project, text="WARM")] == ["Welkom is warm"]
    with pytest.raises(UnknownNameError, match="did you mean 'c1/chat'"):
        list_memos(doc_project, None, MemoFilter(documents=["c1/chta"]))


def test_each_coder_has_their_own_memo_on_a_place_and_editing_replaces_it(doc_project: Project) -> None:
    turn = MemoTarget.on_document("c1/chat", 1)
    first = write_memo(doc_project, turn, "anna", "eerste")
    assert write_memo(doc_project, turn, "anna", "tweede") == first
    write_memo(doc_project, turn, "bram", "van bram")
    found = list_memos(doc_project, None)
    assert sorted((m.coder, m.text) for m in found) == [("anna", "tweede"), ("bram", "van bram")]
    mine = next(m for m in found if m.coder == "anna")
    assert mine.created <= mine.updated


def test_memo_edits_are_undone_and_redone_in_the_coders_own_order(doc_project: Project) -> None:
    turn = MemoTarget.on_document("c1/chat", 1)
    write_memo(doc_project, turn, "anna", "eerste")
    cid = coding_service.add_coding(doc_project, "c1/chat", "Open vraag", "anna", utterance=0)
    write_memo(doc_project, turn, "anna", "")  # cleared: no longer listed
    assert _texts(doc_project) == []
    assert coding_service.undo(doc_project, "anna") == "undid memo edit on turn 2 of c1/chat"  # the clearing
    assert [t for _, _, t in _texts(doc_project)] == ["eerste"]
    assert coding_service.undo(doc_project, "anna") is not None  # the coding
    assert coding_service.list_codings(doc_project).empty
    assert coding_service.undo(doc_project, "anna") is not None  # writing the memo
    assert _texts(doc_project) == []
    coding_service.redo(doc_project, "anna")
    assert [t for _, _, t in _texts(doc_project)] == ["eerste"]
    assert cid > 0


def test_a_coding_memo_is_guarded_by_the_codings_version_and_undoable(doc_project: Project) -> None:
    cid = coding_service.add_coding(doc_project, "c1/chat", "Open vraag", "anna", utterance=3, memo="bij het coderen")
    write_memo(doc_project, MemoTarget.on_coding(cid), "bram", "anders gelezen", expected_version=1)
    with pytest.raises(ConflictError, match="changed by someone else"):
        write_memo(doc_project, MemoTarget.on_coding(cid), "anna", "mijn versie", expected_version=1)
    memo = list_memos(doc_project, None)[0]
    assert (memo.coder, memo.text) == ("bram", "anders gelezen")  # one memo per coding
    coding_service.undo(doc_project, "bram")
    assert [t for _, _, t in _texts(doc_project)] == ["bij het coderen"]


def test_memos_on_a_removed_coding_are_not_listed(doc_project: Project) -> None:
    cid = coding_service.add_coding(doc_project, "c1/chat", "Open vraag", "anna", utterance=3, memo="weg")
    coding_service.remove_coding(doc_project, cid, "anna")
    assert _texts(doc_project) == []
    assert [t for _, _, t in _texts(doc_project, include_empty=True)] == ["weg"]


def test_blind_mode_hides_other_coders_memos(doc_project: Project) -> None:
    write_memo(doc_project, MemoTarget.on_document("c1/chat"), "anna", "van anna")
    write_memo(doc_project, MemoTarget.on_document("c1/chat"), "bram", "van bram")
    team_service.set_blind(doc_project, True, by="sara")
    assert [t for _, _, t in _texts(doc_project, "anna")] == ["van anna"]
    assert sorted(t for _, _, t in _texts(doc_project, "sara")) == ["van anna", "van bram"]


def test_bad_places_are_refused_with_the_closest_names(doc_project: Project) -> None:
    with pytest.raises(UnknownNameError, match="did you mean 'c1/chat'"):
        write_memo(doc_project, MemoTarget.on_document("c1/chta"), "anna", "x")
    with pytest.raises(UnknownNameError, match="case"):
        write_memo(doc_project, MemoTarget.on_case("c9"), "anna", "x")
    with pytest.raises(UnknownNameError, match="did you mean 'Open vraag'"):
        write_memo(doc_project, MemoTarget.on_code("Open vrag"), "anna", "x")
    with pytest.raises(StorageError, match="turns 1-4; there is no turn 5"):
        write_memo(doc_project, MemoTarget.on_document("c1/chat", 4), "anna", "x")
    with pytest.raises(QcodeError, match="reserved"):
        write_memo(doc_project, MemoTarget.on_document("c1/chat"), "auto", "x")
    assert _texts(doc_project) == []


def test_memo_frame_counts_turns_from_one_beside_the_stored_index(doc_project: Project) -> None:
    write_memo(doc_project, MemoTarget.on_document("c1/chat", 2), "anna", "ruzie")
    frame = memo_frame(list_memos(doc_project, None))
    row = frame.iloc[0]
    assert (row["kind"], row["case"], row["document"], int(row["turn"]), int(row["index"]), row["memo"]) == (
        "utterance", "c1", "c1/chat", 3, 2, "ruzie",
    )


def test_a_memo_on_an_automatic_coding_is_refused_with_a_reason(doc_project: Project) -> None:
    from qcode.coding.model import Coding, Origin
    from qcode.services.project import now
    from qcode.storage import codings as coding_store

    with doc_project.session() as session:
        cid = coding_store.add_coding(
            session, Coding("c1/chat", 0, 3, "leestekens", "auto", Origin.AUTOMATIC), now(), log=False
        )
    with pytest.raises(StorageError, match="autocode runs again"):
        write_memo(doc_project, MemoTarget.on_coding(cid), "anna", "x")
    with pytest.raises(StorageError, match=r"has no turns|there is no turn 0"):
        write_memo(doc_project, MemoTarget.on_document("c1/chat", -1), "anna", "x")
