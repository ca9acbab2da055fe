"""Two coders on the same coding: undo racing a removal, edits of removed codings (both backends)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from qcode.coding.memo import MemoTarget
from qcode.errors import ConflictError
from qcode.services import codings as coding_service
from qcode.services.memos import write_memo
from qcode.services.project import Project
from qcode.storage import codings as coding_store
from qcode.storage.codings import CodingFilter
from tests.team.data import make_document, store_documents


@pytest.fixture
def doc_project(project: Project) -> Project:
    store_documents(project, make_document("c1/chat", "c1"))
    return project


def _row(project: Project, coding_id: int) -> dict[str, Any]:
    with project.session() as session:
        rows = coding_store.coding_rows(session, CodingFilter(include_deleted=True))
    return next(r for r in rows if r["id"] == coding_id)


def test_undo_of_an_add_someone_removed_neither_resurrects_nor_fails(doc_project: Project) -> None:
    cid = coding_service.add_coding(doc_project, "c1/chat", "open_vraag", "anna", utterance=0)
    coding_service.remove_coding(doc_project, cid, "bert")
    message = coding_service.undo(doc_project, "anna")
    assert message is not None and "no visible change" in message
    assert _row(doc_project, cid)["deleted_at"] is not None
    # bert takes his removal back, but anna has withdrawn the coding: it stays gone
    assert coding_service.undo(doc_project, "bert") == f"undid remove of coding {cid}" + (
        " (no visible change: another coder's change to it still stands)"
    )
    assert _row(doc_project, cid)["deleted_at"] is not None
    # anna redoes her add: no removal stands any more, so the coding is back
    assert coding_service.redo(doc_project, "anna") == f"redid add of coding {cid}"
    row = _row(doc_project, cid)
    assert row["deleted_at"] is None
    # 1 at creation + bert's remove + anna's undo + bert's undo + anna's redo
    assert row["version"] == 5
    assert list(coding_service.list_codings(doc_project)["id"]) == [cid]


def test_undo_of_a_removal_restores_when_nothing_else_stands(doc_project: Project) -> None:
    cid = coding_service.add_coding(doc_project, "c1/chat", "open_vraag", "anna", utterance=1)
    coding_service.remove_coding(doc_project, cid, "bert")
    assert coding_service.undo(doc_project, "bert") == f"undid remove of coding {cid}"
    assert _row(doc_project, cid)["deleted_at"] is None


def test_editing_a_coding_another_coder_removed_names_them(doc_project: Project) -> None:
    cid = coding_service.add_coding(doc_project, "c1/chat", "open_vraag", "anna", utterance=0)
    version = int(_row(doc_project, cid)["version"])
    coding_service.remove_coding(doc_project, cid, "bert")
    with pytest.raises(ConflictError, match="removed by bert"):
        coding_service.remove_coding(doc_project, cid, "anna", expected_version=version)
    with pytest.raises(ConflictError, match="removed by bert"):
        write_memo(doc_project, MemoTarget.on_coding(cid), "anna", "toch niet?", expected_version=version)


def test_threads_racing_remove_and_undo_lose_and_duplicate_nothing(doc_project: Project) -> None:
    """Same project object (one connection pool) from two threads, 15 races."""
    for _ in range(15):
        cid = coding_service.add_coding(doc_project, "c1/chat", "open_vraag", "anna", utterance=2)
        barrier = threading.Barrier(2)
        outcome: dict[str, str] = {}

        def remove(
            cid: int = cid, barrier: threading.Barrier = barrier, outcome: dict[str, str] = outcome
        ) -> None:
            barrier.wait()
            try:
                coding_service.remove_coding(doc_project, cid, "bert")
                outcome["remove"] = "ok"
            except ConflictError:
                outcome["remove"] = "conflict"

        def undo(
            barrier: threading.Barrier = barrier, outcome: dict[str, str] = outcome
        ) -> None:
            barrier.wait()
            outcome["undo"] = coding_service.undo(doc_project, "anna") or ""

        threads = [threading.Thread(target=remove), threading.Thread(target=undo)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert outcome["undo"].startswith(f"undid add of coding {cid}")
        row = _row(doc_project, cid)
        assert row["deleted_at"] is not None  # withdrawn and/or removed: never live
        writes = 1 + (outcome["remove"] == "ok")  # the undo, plus the removal if it won
        assert row["version"] == 1 + writes
        if outcome["remove"] == "ok":
            coding_service.undo(doc_project, "bert")  # bert takes it back: anna's withdrawal stands
            assert _row(doc_project, cid)["deleted_at"] is not None
    assert coding_service.list_codings(doc_project).empty


def test_redo_does_not_revive_a_step_abandoned_by_a_later_change(doc_project: Project) -> None:
    first = coding_service.add_coding(doc_project, "c1/chat", "open_vraag", "anna", utterance=0)
    coding_service.undo(doc_project, "anna")  # first withdrawn
    second = coding_service.add_coding(doc_project, "c1/chat", "open_vraag", "anna", utterance=1)
    coding_service.undo(doc_project, "anna")  # second withdrawn; only it may be redone now
    assert coding_service.redo(doc_project, "anna") == f"redid add of coding {second}"
    assert list(coding_service.list_codings(doc_project)["id"]) == [second]
    assert first != second
    assert coding_service.redo(doc_project, "anna") is None  # the first step was abandoned by the second
