"""Per-document coding progress, for the workbench (memos live in ``storage.memos``).

Progress counts utterances, not codings: an utterance is *coded* by a coder when one of that
coder's live codings overlaps it, *suggested* when it is not coded but has a pending suggestion
for that coder, and *untouched* otherwise. The overlap test is done in SQL so the corpus
browser stays fast on thousands of documents.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from qcode.storage.schema import (
    CaseRow,
    CoderRow,
    CodingRow,
    DocumentRow,
    SuggestionDecision,
    SuggestionRow,
    UtteranceRow,
)


def document_overview(session: Session) -> list[dict[str, Any]]:
    """document, case, channel, start, utterances, characters, case attributes per document."""
    n_utts = (
        select(UtteranceRow.document_id, func.count().label("n"))
        .group_by(UtteranceRow.document_id)
        .subquery()
    )
    stmt = (
        select(
            DocumentRow.key,
            CaseRow.key,
            DocumentRow.channel,
            DocumentRow.start,
            n_utts.c.n,
            func.length(DocumentRow.text),
            CaseRow.attributes,
        )
        .join(CaseRow, CaseRow.id == DocumentRow.case_id)
        .outerjoin(n_utts, n_utts.c.document_id == DocumentRow.id)
        .order_by(CaseRow.key, DocumentRow.start, DocumentRow.key)
    )
    return [
        {
            "document": key,
            "case": case,
            "channel": channel,
            "start": start,
            "utterances": int(n or 0),
            "characters": int(chars or 0),
            "attributes": dict(attrs or {}),
        }
        for key, case, channel, start, n, chars, attrs in session.execute(stmt)
    ]


def coded_utterances(session: Session) -> dict[tuple[str, str], int]:
    """(document, coder) -> number of utterances overlapped by a live coding of that coder."""
    overlap = and_(
        CodingRow.document_id == UtteranceRow.document_id,
        CodingRow.start < UtteranceRow.end,
        CodingRow.end > UtteranceRow.start,
        CodingRow.deleted_at.is_(None),
    )
    stmt = (
        select(DocumentRow.key, CoderRow.name, func.count(func.distinct(UtteranceRow.id)))
        .select_from(UtteranceRow)
        .join(CodingRow, overlap)
        .join(DocumentRow, DocumentRow.id == UtteranceRow.document_id)
        .join(CoderRow, CoderRow.id == CodingRow.coder_id)
        .where(CoderRow.kind == "person")
        .group_by(DocumentRow.key, CoderRow.name)
    )
    return {(doc, coder): int(n) for doc, coder, n in session.execute(stmt)}


def suggested_utterances(session: Session, coder: str) -> dict[str, set[int]]:
    """document -> utterance indexes with a suggestion still pending for ``coder``."""
    coder_id = session.scalar(select(CoderRow.id).where(CoderRow.name == coder)) or -1
    stmt = (
        select(DocumentRow.key, SuggestionRow.utterance_idx)
        .join(DocumentRow, DocumentRow.id == SuggestionRow.document_id)
        .outerjoin(
            SuggestionDecision,
            and_(
                SuggestionDecision.suggestion_id == SuggestionRow.id,
                SuggestionDecision.coder_id == coder_id,
            ),
        )
        .where(
            SuggestionRow.superseded.is_(False),
            SuggestionDecision.id.is_(None),
            SuggestionRow.utterance_idx.is_not(None),
        )
    )
    found: dict[str, set[int]] = {}
    for doc, idx in session.execute(stmt):
        if idx is not None:
            found.setdefault(doc, set()).add(int(idx))
    return found


def coded_indexes(session: Session, document: str, coder: str) -> set[int]:
    """Utterance indexes of ``document`` overlapped by a live coding of ``coder``."""
    stmt = (
        select(UtteranceRow.idx)
        .join(DocumentRow, DocumentRow.id == UtteranceRow.document_id)
        .join(
            CodingRow,
            and_(
                CodingRow.document_id == UtteranceRow.document_id,
                CodingRow.start < UtteranceRow.end,
                CodingRow.end > UtteranceRow.start,
                CodingRow.deleted_at.is_(None),
            ),
        )
        .join(CoderRow, CoderRow.id == CodingRow.coder_id)
        .where(DocumentRow.key == document, CoderRow.name == coder)
    )
    return {int(i) for i in session.scalars(stmt)}


def coders_with_codings(session: Session) -> list[str]:
    """Names of people with at least one live coding (the candidates for an agreement check)."""
    stmt = (
        select(CoderRow.name)
        .join(CodingRow, CodingRow.coder_id == CoderRow.id)
        .where(CoderRow.kind == "person", CodingRow.deleted_at.is_(None))
        .distinct()
        .order_by(CoderRow.name)
    )
    return [str(name) for name in session.scalars(stmt)]
