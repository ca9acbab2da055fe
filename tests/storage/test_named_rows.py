"""Storage hands back named rows: each field holds what its name says.

The expectations are written out by hand from what the test stores (names, counts, character
offsets counted from the rendered text), so two fields swapped in a storage function — a
coder's kind where the supervisor flag belongs, a merge's ``before`` and ``after`` — fail here.
"""

from __future__ import annotations

import datetime as dt

from qcode.coding.model import AUTO_CODER, CONSENSUS_CODER, Coding, Origin
from qcode.services.project import Project, now
from qcode.storage import codebook_edits, codebooks, corpus, decisions, progress, suggestions
from qcode.storage import codings as coding_store
from qcode.storage.codebook_edits import CodeLook, StoredEdit
from qcode.storage.codings import RegisteredCoder, TurnSpan
from qcode.storage.corpus import CaseSummary, TextSpan
from qcode.storage.suggestions import NewSuggestion, SuggestionChanges, SuggestionTarget
from qcode.transcripts.model import Case, Channel
from tests.factories import make_document

# "Hulpvrager (19:00): " is 20 characters, so turn 1's text "hoi" is [20, 23) and its line
# (with the newline) ends at 24; "Hulpverlener (19:01): " is 22 more, so turn 2's text
# "hallo daar" is [46, 56).
CHAT = make_document("c1/chat", "c1", [("client", "19:00", "hoi"), ("counsellor", "19:01", "hallo daar")])
MAIL = make_document("c1/mail", "c1", [("client", "20:00", "een mail")], channel=Channel.EMAIL)
OTHER = make_document("c2/chat", "c2", [("client", "21:00", "ja")])


def _store_corpus(project: Project) -> None:
    with project.session() as session:
        corpus.store_sources(
            session,
            [
                corpus.NewSource("c1.txt", "hash-c1", "chat", [Case("c1", {"leeftijd": "16"})], [CHAT, MAIL]),
                corpus.NewSource("c2.txt", "hash-c2", "chat", [], [OTHER]),
            ],
            now(),
        )


def _a_code(project: Project) -> tuple[str, str, str]:
    """(key, colour, group) of the first code of the project's codebook."""
    with project.session() as session:
        code = codebooks.stored_codebook(session).codes[0]
    return code.id, code.colour, code.group


def test_coders_come_back_with_name_kind_and_supervisor(project: Project) -> None:
    with project.session() as session:
        coding_store.ensure_coder(session, "bert", now())
        coding_store.ensure_coder(session, "anna", now(), supervisor=True)
        coding_store.ensure_coder(session, AUTO_CODER, now(), kind="auto")
    with project.session() as session:
        rows = coding_store.coder_names(session)
    assert rows == [
        RegisteredCoder(name="anna", kind="person", supervisor=True),
        RegisteredCoder(name="auto", kind="auto", supervisor=False),
        RegisteredCoder(name="bert", kind="person", supervisor=False),
    ]
    assert [r.name for r in rows if r.supervisor] == ["anna"]
    assert [r.name for r in rows if r.kind == "person"] == ["anna", "bert"]


def test_cases_list_their_attributes_chats_and_emails(project: Project) -> None:
    _store_corpus(project)
    with project.session() as session:
        cases = corpus.list_cases(session)
        attributes = corpus.case_rows(session)
    assert cases == [CaseSummary("c1", {"leeftijd": "16"}, chats=1, emails=1), CaseSummary("c2", {}, chats=1, emails=0)]
    assert (cases[0].key, cases[0].chats, cases[0].emails) == ("c1", 1, 1)
    assert [(a.key, a.attributes) for a in attributes] == [("c1", {"leeftijd": "16"}), ("c2", {})]


def test_spans_name_their_ends(sqlite_project: Project) -> None:
    _store_corpus(sqlite_project)
    assert CHAT.text[20:23] == "hoi" and CHAT.text[46:56] == "hallo daar"  # the hand count above
    with sqlite_project.session() as session:
        both = corpus.utterance_span(session, "c1/chat", 0, 1)
        second = corpus.utterance_span(session, "c1/chat", 1, 1)
        missing = corpus.utterance_span(session, "c1/chat", 0, 2)
        doc_id = corpus.document_id(session, "c1/chat")
        assert doc_id is not None
        over_both = coding_store.turns_of(session, doc_id, 21, 50)
        in_second = coding_store.turns_of(session, doc_id, 46, 56)
    assert both == TextSpan(start=20, end=56)
    assert second is not None and (second.start, second.end) == (46, 56)
    assert missing is None
    assert over_both == TurnSpan(first=0, last=1)
    assert in_second is not None and (in_second.first, in_second.last) == (1, 1)


def test_utterance_and_document_lines_by_name(sqlite_project: Project) -> None:
    _store_corpus(sqlite_project)
    with sqlite_project.session() as session:
        lines = corpus.utterance_rows(session, ["c1/chat"])
        docs = corpus.document_rows(session, ["c1/chat", "c2/chat"])
        [first_import] = [o for o in progress.document_overview(session) if o.document == "c1/chat"]
    assert [(u.document, u.case, u.index, u.role, u.text, u.start, u.end) for u in lines] == [
        ("c1/chat", "c1", 0, "client", "hoi", 20, 23),
        ("c1/chat", "c1", 1, "counsellor", "hallo daar", 46, 56),
    ]
    assert lines[1].speaker == "Hulpverlener" and lines[1].time == dt.datetime(2014, 11, 3, 19, 1)
    assert [(d.document, d.case, d.channel, d.source) for d in docs] == [
        ("c1/chat", "c1", "chat", "c1/chat.txt"),
        ("c2/chat", "c2", "chat", "c2/chat.txt"),
    ]
    assert docs[1].text == "Hulpvrager (21:00): ja\n"
    assert (first_import.case, first_import.utterances, first_import.characters) == ("c1", 2, len(CHAT.text))
    assert first_import.attributes == {"leeftijd": "16"}


def test_codebook_edits_keep_before_and_after_apart(project: Project) -> None:
    key, colour, group = _a_code(project)
    with project.session() as session:
        other_group = next(g for g in codebooks.code_groups(session) if g != group)
        look = codebook_edits.set_code_look(session, key, colour="#123456")
        moved = codebook_edits.set_code_look(session, key, group=other_group)
        edit_id = codebook_edits.record_edit(session, "merge", key, "Oude naam", "Nieuwe naam", [7, 3], "anna", now())
    with project.session() as session:
        latest = codebook_edits.latest_edit(session)
    assert look == CodeLook(colour=colour, group=group)
    assert moved == CodeLook(colour="#123456", group=group)  # the look before the move
    assert latest == StoredEdit(edit_id, "merge", key, before="Oude naam", after="Nieuwe naam", moved=[7, 3])


def test_suggester_runs_count_added_and_superseded_and_a_suggestion_names_its_target(project: Project) -> None:
    _store_corpus(project)
    key, _colour, _group = _a_code(project)
    on_first = NewSuggestion(key, 0, 20, 23, 0.9, "regel-a", "hoi")
    on_second = NewSuggestion(key, 1, 46, 56, 0.8, "regel-b", "hallo")
    with project.session() as session:
        first_run = suggestions.store_suggestions(session, "c1/chat", "rules-1", [on_first, on_second], now())
    with project.session() as session:
        second_run = suggestions.store_suggestions(session, "c1/chat", "rules-2", [on_second], now())
        [row] = suggestions.suggestion_rows(session, "c1/chat", "anna")
        target = suggestions.suggestion(session, int(row["id"]))
    assert first_run == SuggestionChanges(added=2, superseded=0)
    assert second_run == SuggestionChanges(added=0, superseded=1)
    assert target == SuggestionTarget(int(row["id"]), "c1/chat", key, start=46, end=56, rule="regel-b")


def test_an_undone_decision_says_who_when_and_what_it_was(project: Project) -> None:
    _store_corpus(project)
    key, _colour, _group = _a_code(project)
    decided, undone_at = dt.datetime(2026, 12, 1, 10, 0), dt.datetime(2026, 12, 1, 11, 30)
    with project.session() as session:
        kept = decisions.add_decision(
            session, Coding("c1/chat", 20, 23, key, CONSENSUS_CODER, Origin.CONSENSUS), decided, "sup", False
        )
        withdrawn = decisions.add_decision(
            session, Coding("c1/chat", 46, 56, key, CONSENSUS_CODER, Origin.CONSENSUS), decided, "sup", True
        )
        assert decisions.undo_decisions(session, [kept, withdrawn], "marieke", undone_at) == 2
    with project.session() as session:
        undone = decisions.undone_decisions(session)
    assert undone == {
        kept: decisions.UndoneDecision(by="marieke", at=undone_at, was="kept"),
        withdrawn: decisions.UndoneDecision(by="marieke", at=undone_at, was="withdrawn"),
    }
