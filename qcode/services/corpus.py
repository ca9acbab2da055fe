"""Reading the corpus for display: cases, documents, utterances."""

from __future__ import annotations

from typing import Any

from qcode.errors import QcodeError
from qcode.services.project import Project
from qcode.storage import corpus
from qcode.transcripts.model import Case, Document


def list_cases(project: Project) -> list[tuple[str, dict[str, Any], int, int]]:
    """(case, attributes, chats, e-mail documents) per case."""
    with project.session() as session:
        return corpus.list_cases(session)


def get_document(project: Project, key: str) -> Document:
    with project.session() as session:
        doc = corpus.load_document(session, key)
    if doc is None:
        raise QcodeError(f"No document '{key}' in this project (see: qcode cases).")
    return doc


def resolve(project: Project, key: str) -> tuple[Case | None, list[Document]]:
    """A case key gives the case and its documents; a document key gives that document."""
    with project.session() as session:
        case = corpus.load_case(session, key)
        if case is not None:
            docs = [corpus.load_document(session, k) for k in corpus.document_keys(session, key)]
            return case, [d for d in docs if d is not None]
        doc = corpus.load_document(session, key)
    if doc is None:
        raise QcodeError(f"No case or document '{key}' in this project (see: qcode cases).")
    return None, [doc]


def counts(project: Project) -> dict[str, int]:
    with project.session() as session:
        return corpus.counts(session)


def document_keys(project: Project, case: str | None = None) -> list[str]:
    """Document keys in order, of one case or of the whole project."""
    with project.session() as session:
        return corpus.document_keys(session, case)
