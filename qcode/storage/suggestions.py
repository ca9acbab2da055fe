"""Suggestions and each coder's decisions on them.

A suggestion's identity is (document, code, span, rule). Re-running the suggester keeps rows
whose identity is produced again (so a rejected suggestion is never offered again by the same
rule), adds new ones and marks vanished ones ``superseded``; a document whose result did not
change is not written at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from qcode.coding.model import Coding
from qcode.errors import ConflictError, StorageError
from qcode.storage.codings import ensure_coder
from qcode.storage.schema import (
    CodeRow,
    CoderRow,
    CodingRow,
    DocumentRow,
    SuggestionDecision,
    SuggestionRow,
    SuggestionRun,
)


@dataclass(frozen=True, slots=True)
class NewSuggestion:
    code: str
    """Stable code key."""
    utterance: int | None
    start: int
    end: int
    confidence: float
    rule: str
    explanation: str
    model_version: int | None = None
    """The learned model that made or confirmed it (None: the rules alone)."""


def last_run(session: Session, document: str) -> str | None:
    return session.scalar(
        select(SuggestionRun.rules_version)
        .join(DocumentRow, DocumentRow.id == SuggestionRun.document_id)
        .where(DocumentRow.key == document)
    )


class SuggestionChanges(NamedTuple):
    """What a new suggester run changed in one document's suggestions."""

    added: int
    superseded: int
    """Earlier suggestions the new run no longer makes (kept in the store, marked superseded)."""


def store_suggestions(
    session: Session,
    document: str,
    rules_version: str,
    found: Sequence[NewSuggestion],
    now: datetime,
) -> SuggestionChanges:
    """Reconcile a document's suggestions with a new result."""
    doc_id = session.scalar(select(DocumentRow.id).where(DocumentRow.key == document))
    if doc_id is None:
        raise StorageError(f"No document '{document}' in this project.")
    codes = {key: code_id for key, code_id in session.execute(select(CodeRow.key, CodeRow.id))}
    current = {
        (r.code_id, r.start, r.end, r.rule): r
        for r in session.scalars(
            select(SuggestionRow).where(
                SuggestionRow.document_id == doc_id, SuggestionRow.superseded.is_(False)
            )
        )
    }
    wanted: dict[tuple[int, int, int, str], NewSuggestion] = {}
    for s in found:
        if s.code in codes:
            wanted.setdefault((codes[s.code], s.start, s.end, s.rule), s)
    added = superseded = 0
    for identity, s in wanted.items():
        if identity not in current:
            session.add(
                SuggestionRow(
                    document_id=doc_id,
                    code_id=identity[0],
                    utterance_idx=s.utterance,
                    start=s.start,
                    end=s.end,
                    confidence=s.confidence,
                    rule=s.rule,
                    explanation=s.explanation,
                    rules_version=rules_version,
                    created=now,
                    model_version=s.model_version,
                )
            )
            added += 1
        elif current[identity].model_version != s.model_version:
            current[identity].model_version = s.model_version
            current[identity].explanation = s.explanation
    for identity, row in current.items():
        if identity not in wanted:
            row.superseded = True
            superseded += 1
    run = session.get(SuggestionRun, doc_id)
    if run is None:
        session.add(SuggestionRun(document_id=doc_id, rules_version=rules_version, run_at=now))
    elif added or superseded or run.rules_version != rules_version:
        run.rules_version = rules_version
        run.run_at = now
    session.flush()
    return SuggestionChanges(added, superseded)


def suggestion_rows(
    session: Session, document: str | None, coder: str, status: str = "pending"
) -> list[dict[str, Any]]:
    """Live suggestions with this coder's status (pending / accepted / rejected / all)."""
    coder_id = session.scalar(select(CoderRow.id).where(CoderRow.name == coder)) or -1
    stmt = (
        select(
            SuggestionRow.id,
            DocumentRow.key.label("document"),
            CodeRow.key.label("code"),
            CodeRow.name.label("code_name"),
            SuggestionRow.utterance_idx.label("utterance"),
            SuggestionRow.start,
            SuggestionRow.end,
            SuggestionRow.confidence,
            SuggestionRow.rule,
            SuggestionRow.explanation,
            SuggestionRow.rules_version,
            SuggestionRow.model_version,
            SuggestionDecision.status,
        )
        .join(DocumentRow, DocumentRow.id == SuggestionRow.document_id)
        .join(CodeRow, CodeRow.id == SuggestionRow.code_id)
        .outerjoin(
            SuggestionDecision,
            and_(
                SuggestionDecision.suggestion_id == SuggestionRow.id,
                SuggestionDecision.coder_id == coder_id,
            ),
        )
        .where(SuggestionRow.superseded.is_(False))
        .order_by(DocumentRow.key, SuggestionRow.start, SuggestionRow.id)
    )
    if document is not None:
        stmt = stmt.where(DocumentRow.key == document)
    rows = [dict(r._mapping) for r in session.execute(stmt)]
    for r in rows:
        r["status"] = r["status"] or "pending"
    return rows if status == "all" else [r for r in rows if r["status"] == status]


def decide(
    session: Session,
    suggestion_id: int,
    coder: str,
    status: str,
    now: datetime,
    coding_id: int | None = None,
) -> None:
    """Record a coder's decision; deciding twice is a conflict (another window did it)."""
    if session.get(SuggestionRow, suggestion_id) is None:
        raise StorageError(f"No suggestion {suggestion_id}.")
    coder_id = ensure_coder(session, coder, now)
    existing = session.scalars(
        select(SuggestionDecision).where(
            SuggestionDecision.suggestion_id == suggestion_id,
            SuggestionDecision.coder_id == coder_id,
        )
    ).first()
    if existing is not None:
        raise ConflictError(f"Suggestion {suggestion_id} was already {existing.status} by {coder}.")
    session.add(
        SuggestionDecision(
            suggestion_id=suggestion_id,
            coder_id=coder_id,
            status=status,
            decided_at=now,
            coding_id=coding_id,
        )
    )
    session.flush()


class SuggestionTarget(NamedTuple):
    """What accepting a suggestion codes: which code on which span, and the rule that proposed it."""

    id: int
    document: str
    code: str
    """Stable key of the suggested code."""
    start: int
    end: int
    rule: str


def suggestion(session: Session, suggestion_id: int) -> SuggestionTarget:
    row = session.execute(
        select(
            SuggestionRow.id,
            DocumentRow.key.label("document"),
            CodeRow.key.label("code"),
            SuggestionRow.start,
            SuggestionRow.end,
            SuggestionRow.rule,
        )
        .join(DocumentRow, DocumentRow.id == SuggestionRow.document_id)
        .join(CodeRow, CodeRow.id == SuggestionRow.code_id)
        .where(SuggestionRow.id == suggestion_id)
    ).first()
    if row is None:
        raise StorageError(f"No suggestion {suggestion_id}.")
    return SuggestionTarget(*row)


def pending_match(session: Session, document: str, code: str, start: int, end: int, coder: str) -> int | None:
    """A live suggestion of ``code`` on exactly [start, end) that ``coder`` has not decided.

    A coder who codes by hand what the suggester proposed has made that suggestion's
    decision: the manual coding resolves it instead of leaving a second, pending copy.
    """
    coder_id = session.scalar(select(CoderRow.id).where(CoderRow.name == coder)) or -1
    decided = select(SuggestionDecision.id).where(
        SuggestionDecision.suggestion_id == SuggestionRow.id, SuggestionDecision.coder_id == coder_id
    )
    return session.scalar(
        select(SuggestionRow.id)
        .join(DocumentRow, DocumentRow.id == SuggestionRow.document_id)
        .join(CodeRow, CodeRow.id == SuggestionRow.code_id)
        .where(
            DocumentRow.key == document, CodeRow.key == code, SuggestionRow.start == start,
            SuggestionRow.end == end, SuggestionRow.superseded.is_(False), ~decided.exists(),
        )
        .order_by(SuggestionRow.id)
        .limit(1)
    )


def live_coding_id(session: Session, coding: Coding) -> int | None:
    """The id of ``coding.coder``'s live coding of ``coding.code`` on exactly its span, if any.

    Accepting a suggestion the coder already coded by hand links the suggestion to that
    coding instead of storing the same coding twice.
    """
    return session.scalar(
        select(CodingRow.id)
        .join(DocumentRow, DocumentRow.id == CodingRow.document_id)
        .join(CodeRow, CodeRow.id == CodingRow.code_id)
        .join(CoderRow, CoderRow.id == CodingRow.coder_id)
        .where(
            DocumentRow.key == coding.document, CodeRow.key == coding.code, CoderRow.name == coding.coder,
            CodingRow.start == coding.start, CodingRow.end == coding.end, CodingRow.deleted_at.is_(None),
        )
        .order_by(CodingRow.id)
        .limit(1)
    )


def link_suggestion(session: Session, coding_id: int, suggestion_id: int) -> None:
    """Record that coding ``coding_id`` is what its coder made of suggestion ``suggestion_id``
    (so undoing the coding puts the suggestion back to pending, as for an accepted one)."""
    row = session.get(CodingRow, coding_id)
    if row is not None and row.suggestion_id is None:
        row.suggestion_id = suggestion_id
