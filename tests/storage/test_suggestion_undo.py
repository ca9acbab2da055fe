"""Undo of a coding that came from an accepted suggestion puts the suggestion back to pending."""

from __future__ import annotations

from qcode.services import codings as coding_service
from qcode.services import suggestions as suggestion_service
from qcode.services import team as team_service
from qcode.services.project import Project, now
from qcode.storage import suggestions as suggestion_store
from qcode.storage.suggestions import NewSuggestion
from tests.factories import make_document, store


def _one_suggestion(project: Project) -> tuple[int, int, int]:
    """A stored chat with one suggestion (Open vraag on utterance 0); returns (id, start, end)."""
    doc = make_document("casus-x/chat", "casus-x", [("counsellor", "10:00", "Wat wil je vandaag bespreken?")])
    store(project, doc)
    u = doc.utterances[0]
    with project.session() as session:
        suggestion_store.store_suggestions(
            session, doc.key, "test-rules-1",
            [NewSuggestion("open_vraag", 0, u.start, u.end, 0.9, "vraagwoord", "begint met 'wat'")],
            now(),
        )
    (row,) = suggestion_service.list_suggestions(project, "anna", doc.key)
    return int(row["id"]), u.start, u.end


def _status(project: Project, coder: str, suggestion_id: int) -> str:
    rows = suggestion_service.list_suggestions(project, coder, "casus-x/chat", status="all")
    return {int(r["id"]): str(r["status"]) for r in rows}[suggestion_id]


def _live(project: Project, coder: str) -> list[tuple[str, int, int, str]]:
    frame = coding_service.list_codings(project, coders=[coder], viewer=coder)
    return [(r.code, int(r.start), int(r.end), r.origin) for r in frame.itertuples()]


def test_undo_of_accepted_suggestion_makes_it_pending_and_redo_accepts_again(project: Project) -> None:
    suggestion_id, start, end = _one_suggestion(project)
    team_service.add_coder(project, "anna")
    team_service.add_coder(project, "bob")
    suggestion_service.accept(project, suggestion_id, "anna")
    suggestion_service.accept(project, suggestion_id, "bob")
    assert _status(project, "anna", suggestion_id) == "accepted"

    assert coding_service.undo(project, "anna") is not None
    assert _live(project, "anna") == []
    assert _status(project, "anna", suggestion_id) == "pending"
    assert [r["id"] for r in suggestion_service.list_suggestions(project, "anna", "casus-x/chat")] == [suggestion_id]
    assert _status(project, "bob", suggestion_id) == "accepted"  # bob's decision is his own

    assert coding_service.redo(project, "anna") is not None
    assert _live(project, "anna") == [("open_vraag", start, end, "accepted suggestion")]
    assert _status(project, "anna", suggestion_id) == "accepted"
    assert suggestion_service.list_suggestions(project, "anna", "casus-x/chat") == []


def test_undo_then_accept_again_is_allowed(project: Project) -> None:
    suggestion_id, start, end = _one_suggestion(project)
    team_service.add_coder(project, "anna")
    suggestion_service.accept(project, suggestion_id, "anna")
    coding_service.undo(project, "anna")
    suggestion_service.accept(project, suggestion_id, "anna")  # no "already accepted" conflict
    assert _live(project, "anna") == [("open_vraag", start, end, "accepted suggestion")]
    assert _status(project, "anna", suggestion_id) == "accepted"
    assert coding_service.redo(project, "anna") is None  # the new acceptance ended the redo chain
