"""Suggestions in the store: accept, reject, re-run and rules changes, with the real pipeline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qcode.services import codebook as codebook_service
from qcode.services import codings as coding_service
from qcode.services import suggestions as suggestion_service
from qcode.services.project import Project
from qcode.services.suggestions import make_suggester
from qcode.suggest.engine import Suggester
from qcode.suggest.ruleset import default_rules_dir
from tests.conftest import require_pipeline
from tests.factories import make_document, store

TALK = [
    ("counsellor", "19:02", "Hoi, welkom bij de chat. Waar wil je het vandaag over hebben?"),
    ("client", "19:03", "ik heb ruzie met mijn vader en weet niet wat ik moet doen"),
    ("counsellor", "19:05", "Als ik het goed begrijp voel je je niet gehoord door je vader, klopt dat?"),
    ("client", "19:06", "ja precies"),
    ("counsellor", "19:08", "Wat knap dat je dit zo duidelijk kunt vertellen!"),
]
PLAIN = [
    ("client", "20:00", "hoi"),
    ("counsellor", "20:01", "Hoi, waar wil je het over hebben?"),
    ("client", "20:02", "over school"),
]


@pytest.fixture(scope="module")
def suggester() -> Suggester:
    require_pipeline()
    return make_suggester()


@pytest.fixture
def talk(sqlite_project: Project) -> Project:
    store(sqlite_project, make_document("c1/chat", "c1", TALK), make_document("c2/chat", "c2", PLAIN))
    return sqlite_project


def _pending(project: Project, coder: str, document: str) -> list[dict[str, object]]:
    return suggestion_service.list_suggestions(project, coder, document)


def test_accept_creates_coding_with_reason_and_reject_sticks(talk: Project, suggester: Suggester) -> None:
    summary = suggestion_service.suggest_documents(talk, ["c1/chat"], suggester=suggester)
    assert summary.documents == 1 and summary.added > 0
    pending = _pending(talk, "anna", "c1/chat")
    verification = [s for s in pending if s["code_name"] == "Verificatie interpretatie"]
    assert verification and all(s["utterance"] == 2 for s in verification)
    assert all(s["explanation"] and s["rule"] and 0 < float(s["confidence"]) <= 1 for s in pending)
    chosen = verification[0]
    coding_id = suggestion_service.accept(talk, int(chosen["id"]), "anna")
    codings = coding_service.list_codings(talk, coders=["anna"])
    row = codings.set_index("id").loc[coding_id]
    assert row["origin"] == "accepted suggestion" and row["code"] == "verificatie_interpretatie"
    assert row["detail"] == chosen["rule"]
    assert row["text"] in TALK[2][2]
    compliment = next(s for s in pending if s["code_name"] == "Compliment woorden")
    suggestion_service.reject(talk, int(compliment["id"]), "anna")
    still = {int(s["id"]) for s in _pending(talk, "anna", "c1/chat")}
    assert int(chosen["id"]) not in still and int(compliment["id"]) not in still
    # bert has decided nothing: he still sees both
    bert = {int(s["id"]) for s in _pending(talk, "bert", "c1/chat")}
    assert {int(chosen["id"]), int(compliment["id"])} <= bert
    # re-running with the same rules changes nothing and does not offer the rejection again
    again = suggestion_service.suggest_documents(talk, ["c1/chat"], suggester=suggester)
    assert again.documents == 0 and again.unchanged == 1 and again.added == 0
    assert int(compliment["id"]) not in {int(s["id"]) for s in _pending(talk, "anna", "c1/chat")}
    rejected = suggestion_service.list_suggestions(talk, "anna", "c1/chat", status="rejected")
    assert [int(s["id"]) for s in rejected] == [int(compliment["id"])]


def test_rules_change_touches_only_documents_whose_result_changes(
    talk: Project, suggester: Suggester, tmp_path: Path
) -> None:
    suggestion_service.suggest_documents(talk, None, suggester=suggester)
    before_plain = {int(s["id"]) for s in _pending(talk, "anna", "c2/chat")}
    before_talk = _pending(talk, "anna", "c1/chat")
    assert any(s["code_name"] == "Compliment woorden" for s in before_talk)
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    removed = [p for p in rules.glob("*.yaml") if "compliment" in p.read_text(encoding="utf-8").lower()[:400]]
    assert removed, "no compliment rule file found to remove"
    for path in removed:
        path.unlink()
    from qcode.suggest.nlp import load_pipeline

    changed = Suggester(load_pipeline(), rules)
    assert changed.rules_version != suggester.rules_version
    summary = suggestion_service.suggest_documents(talk, None, suggester=changed)
    assert summary.superseded >= 1
    after_talk = _pending(talk, "anna", "c1/chat")
    assert not any(s["code_name"] == "Compliment woorden" for s in after_talk)
    # the plain chat's result did not change: the very same suggestion rows are still there
    assert {int(s["id"]) for s in _pending(talk, "anna", "c2/chat")} == before_plain
    assert summary.unchanged >= 1


def test_accept_all_of_one_code(talk: Project, suggester: Suggester) -> None:
    suggestion_service.suggest_documents(talk, ["c1/chat"], suggester=suggester)
    questions = [s for s in _pending(talk, "anna", "c1/chat") if s["code_name"] == "Open vraag"]
    assert questions
    n = suggestion_service.accept_all(talk, "c1/chat", "Open vraag", "anna")
    assert n == len(questions)
    assert not [s for s in _pending(talk, "anna", "c1/chat") if s["code_name"] == "Open vraag"]


def test_renamed_code_keeps_its_suggestions(talk: Project, suggester: Suggester) -> None:
    """Rules name codes by id: after a rename the project's suggestions carry the new label,
    and a fresh run still suggests the code (none is dropped for want of the old name)."""
    codebook_service.rename_code(talk, "Verificatie interpretatie", "Check van de lezing")
    summary = suggestion_service.suggest_documents(talk, ["c1/chat"], suggester=suggester)
    assert summary.added > 0
    names = {s["code_name"] for s in _pending(talk, "anna", "c1/chat")}
    assert "Check van de lezing" in names and "Verificatie interpretatie" not in names
    checked = [s for s in _pending(talk, "anna", "c1/chat") if s["code_name"] == "Check van de lezing"]
    assert all(s["code"] == "verificatie_interpretatie" for s in checked)
