"""Storing and reading cases, documents and utterances.

Bulk inserts go through SQLAlchemy Core ``insert`` with lists of parameter dicts so that
importing thousands of chats stays close to the driver's raw ``executemany`` speed (see
``benchmarks/import_speed.py``). Callers run everything of one source file in one transaction,
so a failed file never leaves half a document behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, insert, select
from sqlalchemy.orm import Session

from qcode.storage.schema import CaseRow, DocumentRow, SourceFile, UtteranceRow
from qcode.transcripts.model import Case, Channel, Document, Role, Utterance


@dataclass(frozen=True, slots=True)
class KnownSource:
    """What the store knows about a previously imported file."""

    path: str
    sha256: str
    imported_at: datetime


def source_by_hash(session: Session, sha256: str) -> KnownSource | None:
    row = session.scalars(select(SourceFile).where(SourceFile.sha256 == sha256)).first()
    return KnownSource(row.path, row.sha256, row.imported_at) if row else None


def sources_by_path(session: Session, path: str) -> list[KnownSource]:
    rows = session.scalars(select(SourceFile).where(SourceFile.path == path)).all()
    return [KnownSource(r.path, r.sha256, r.imported_at) for r in rows]


def existing_document_keys(session: Session, keys: Iterable[str]) -> set[str]:
    wanted = list(keys)
    if not wanted:
        return set()
    found: set[str] = set()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        found.update(session.scalars(select(DocumentRow.key).where(DocumentRow.key.in_(chunk))))
    return found


def _ensure_cases(session: Session, cases: Sequence[Case]) -> dict[str, int]:
    """Insert unknown cases, merge new attributes into known ones; return key -> id."""
    keys = [c.key for c in cases]
    rows = {r.key: r for r in session.scalars(select(CaseRow).where(CaseRow.key.in_(keys)))}
    for item in cases:
        row = rows.get(item.key)
        if row is None:
            row = CaseRow(key=item.key, attributes=dict(item.attributes))
            session.add(row)
            rows[item.key] = row
        elif item.attributes and any(
            row.attributes.get(k) != v for k, v in item.attributes.items()
        ):
            row.attributes = {**row.attributes, **item.attributes}
    session.flush()
    return {k: r.id for k, r in rows.items()}


def store_source(
    session: Session,
    path: str,
    sha256: str,
    fmt: str,
    cases: Sequence[Case],
    documents: Sequence[Document],
    now: datetime,
) -> None:
    """Store one imported file with its cases, documents and utterances (caller commits)."""
    source = SourceFile(
        path=path, sha256=sha256, fmt=fmt, imported_at=now, n_documents=len(documents)
    )
    session.add(source)
    needed = {c.key: c for c in cases}
    for doc in documents:
        needed.setdefault(doc.case_key, Case(doc.case_key))
    case_ids = _ensure_cases(session, list(needed.values()))
    session.flush()
    doc_rows = [
        {
            "key": d.key,
            "case_id": case_ids[d.case_key],
            "channel": d.channel.value,
            "start": d.start,
            "text": d.text,
            "source": d.source or path,
            "source_file_id": source.id,
            "attributes": dict(d.attributes),
        }
        for d in documents
    ]
    ids = session.execute(
        insert(DocumentRow).returning(
            DocumentRow.id, DocumentRow.key, sort_by_parameter_order=True
        ),
        doc_rows,
    ).all()
    id_of = {key: doc_id for doc_id, key in ids}
    utt_rows: list[dict[str, Any]] = []
    for d in documents:
        doc_id = id_of[d.key]
        utt_rows.extend(
            {
                "document_id": doc_id,
                "idx": u.index,
                "role": u.role.value,
                "speaker": u.speaker,
                "time": u.time,
                "text": u.text,
                "start": u.start,
                "end": u.end,
                "line": u.line,
                "out_of_order": u.out_of_order,
                "continued": u.continued,
                "quoted": u.quoted,
                "subject": u.subject,
            }
            for u in d.utterances
        )
    if utt_rows:
        session.execute(insert(UtteranceRow), utt_rows)


def list_cases(session: Session) -> list[tuple[str, dict[str, Any], int, int]]:
    """(case key, attributes, number of chats, number of e-mail documents) per case."""
    docs = (
        select(
            DocumentRow.case_id,
            func.sum(case((DocumentRow.channel == Channel.CHAT.value, 1), else_=0)).label("chats"),
            func.sum(case((DocumentRow.channel == Channel.EMAIL.value, 1), else_=0)).label(
                "emails"
            ),
        )
        .group_by(DocumentRow.case_id)
        .subquery()
    )
    rows = session.execute(
        select(CaseRow.key, CaseRow.attributes, docs.c.chats, docs.c.emails)
        .outerjoin(docs, docs.c.case_id == CaseRow.id)
        .order_by(CaseRow.key)
    ).all()
    return [(k, dict(a or {}), int(c or 0), int(e or 0)) for k, a, c, e in rows]


def document_keys(session: Session, case: str | None = None) -> list[str]:
    stmt = select(DocumentRow.key).order_by(DocumentRow.key)
    if case is not None:
        stmt = stmt.join(CaseRow, CaseRow.id == DocumentRow.case_id).where(CaseRow.key == case)
    return list(session.scalars(stmt))


def case_exists(session: Session, key: str) -> bool:
    return session.scalar(select(CaseRow.id).where(CaseRow.key == key)) is not None


def load_document(session: Session, key: str) -> Document | None:
    """Rebuild the domain Document (with utterances) from the store."""
    row = session.scalars(select(DocumentRow).where(DocumentRow.key == key)).first()
    if row is None:
        return None
    case_key = session.scalar(select(CaseRow.key).where(CaseRow.id == row.case_id)) or ""
    utts = session.scalars(
        select(UtteranceRow).where(UtteranceRow.document_id == row.id).order_by(UtteranceRow.idx)
    ).all()
    return Document(
        key=row.key,
        case_key=case_key,
        channel=Channel(row.channel),
        text=row.text,
        utterances=tuple(
            Utterance(
                index=u.idx,
                role=Role(u.role),
                speaker=u.speaker,
                time=u.time,
                text=u.text,
                start=u.start,
                end=u.end,
                line=u.line,
                out_of_order=u.out_of_order,
                continued=u.continued,
                quoted=u.quoted,
                subject=u.subject,
            )
            for u in utts
        ),
        start=row.start,
        source=row.source,
        attributes=dict(row.attributes or {}),
    )


def load_case(session: Session, key: str) -> Case | None:
    row = session.scalars(select(CaseRow).where(CaseRow.key == key)).first()
    return Case(row.key, dict(row.attributes or {})) if row else None


def document_id(session: Session, key: str) -> int | None:
    return session.scalar(select(DocumentRow.id).where(DocumentRow.key == key))


def counts(session: Session) -> dict[str, int]:
    """Row counts of the corpus tables, for summaries and copy verification."""
    return {
        "cases": session.scalar(select(func.count()).select_from(CaseRow)) or 0,
        "documents": session.scalar(select(func.count()).select_from(DocumentRow)) or 0,
        "utterances": session.scalar(select(func.count()).select_from(UtteranceRow)) or 0,
        "source_files": session.scalar(select(func.count()).select_from(SourceFile)) or 0,
    }


def utterance_rows(
    session: Session, documents: Sequence[str] | None = None
) -> list[tuple[Any, ...]]:
    """(document, case, channel, idx, role, speaker, time, text, start, end, out_of_order,
    continued) for every utterance, in document and printed order."""
    stmt = (
        select(
            DocumentRow.key,
            CaseRow.key,
            DocumentRow.channel,
            UtteranceRow.idx,
            UtteranceRow.role,
            UtteranceRow.speaker,
            UtteranceRow.time,
            UtteranceRow.text,
            UtteranceRow.start,
            UtteranceRow.end,
            UtteranceRow.out_of_order,
            UtteranceRow.continued,
        )
        .join(DocumentRow, DocumentRow.id == UtteranceRow.document_id)
        .join(CaseRow, CaseRow.id == DocumentRow.case_id)
        .order_by(DocumentRow.key, UtteranceRow.idx)
    )
    if documents is not None:
        stmt = stmt.where(DocumentRow.key.in_(list(documents)))
    return [tuple(r) for r in session.execute(stmt)]


def document_rows(
    session: Session, documents: Sequence[str] | None = None, with_text: bool = True
) -> list[tuple[Any, ...]]:
    """(document, case, channel, start, source, text, attributes) per document."""
    text_col = DocumentRow.text if with_text else DocumentRow.source
    stmt = (
        select(
            DocumentRow.key,
            CaseRow.key,
            DocumentRow.channel,
            DocumentRow.start,
            DocumentRow.source,
            text_col,
            DocumentRow.attributes,
        )
        .join(CaseRow, CaseRow.id == DocumentRow.case_id)
        .order_by(DocumentRow.key)
    )
    if documents is not None:
        stmt = stmt.where(DocumentRow.key.in_(list(documents)))
    return [tuple(r) for r in session.execute(stmt)]


def case_rows(session: Session) -> list[tuple[str, dict[str, Any]]]:
    return [
        (k, dict(a or {}))
        for k, a in session.execute(select(CaseRow.key, CaseRow.attributes).order_by(CaseRow.key))
    ]
