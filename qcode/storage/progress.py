"""Per-document coding progress, for the workbench (memos live in ``storage.memos``).

Progress counts utterances, not codings: an utterance is *coded* by a coder when one of that
coder's live codings overlaps it, *suggested* when it is not coded but has a pending suggestion
for that coder, and *untouched* otherwise. The overlap test is done in SQL so the corpus
browser stays fast on thousands of documents.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import datetime
from typing import Any, NamedTuple

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


class DocumentOverview(NamedTuple):
    """One document as the corpus browser lists it."""

    document: str
    case: str
    channel: str
    start: datetime | None
    utterances: int
    """Number of utterances (turns)."""
    characters: int
    """Length of the document's text."""
    attributes: dict[str, Any]
    """The case's attributes."""


def document_overview(session: Session) -> list[DocumentOverview]:
    """Every document, by case and start."""
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
        DocumentOverview(key, case, channel, start, int(n or 0), int(chars or 0), dict(attrs or {}))
        for key, case, channel, start, n, chars, attrs in session.execute(stmt)
    ]


def coded_utterances(session: Session) -> dict[tuple[str, str], int]:
    """(document, coder) -> number of utterances overlapped by a live coding of that coder.

    Each coding's first and last turn are found by binary search over its document's turn
    starts (turns are in text order and do not overlap), and the turns are counted once per
    coder. The same overlap test in one SQL join compared every coding with every turn of its
    document: 41 s for the corpus browser of a project with 50,000 codings
    (docs/benchmarks.md, Workbench), against well under a second this way.
    """
    connection = session.connection()  # Core rows, not the ORM's loading: 50,000 of them
    codings = connection.execute(
        select(CodingRow.document_id, CoderRow.name, CodingRow.start, CodingRow.end)
        .join(CoderRow, CoderRow.id == CodingRow.coder_id)
        .where(CodingRow.deleted_at.is_(None), CoderRow.kind == "person")
        .order_by(CodingRow.document_id)
    ).all()
    documents = sorted({row[0] for row in codings})
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for i in range(0, len(documents), 500):  # bounded IN lists
        rows = connection.execute(
            select(UtteranceRow.document_id, UtteranceRow.start, UtteranceRow.end)
            .where(UtteranceRow.document_id.in_(documents[i : i + 500]))
            .order_by(UtteranceRow.document_id, UtteranceRow.idx)
        ).all()
        for doc_id in documents[i : i + 500]:
            starts[doc_id], ends[doc_id] = [], []
        for doc_id, start, end in rows:
            starts[doc_id].append(start)
            ends[doc_id].append(end)
    turns: dict[tuple[int, str], set[int]] = {}
    for doc_id, coder, start, end in codings:
        # Turns t with end[t] > start and start[t] < end: a contiguous run in text order.
        first = bisect_right(ends[doc_id], start)
        last = bisect_left(starts[doc_id], end)
        if first < last:
            found = turns.get((doc_id, coder))
            if found is None:
                found = turns[(doc_id, coder)] = set()
            found.update(range(first, last))
    keys = dict(session.execute(select(DocumentRow.id, DocumentRow.key).where(DocumentRow.id.in_(documents))).all()) if documents else {}
    return {(keys[doc_id], coder): len(found) for (doc_id, coder), found in turns.items()}


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
