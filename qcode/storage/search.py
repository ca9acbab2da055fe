"""The search index: each document's turns packed in one row, and its stored lemmas.

Reading 700,000 utterance rows takes longer than a search may (over a second on SQLite); one
row per document with its turns packed as integers reads in a tenth of that. The index is
derived data: :func:`build_units` fills it for documents that have none (documents are never
changed after import, so an entry never goes stale), and lemmas are added per pipeline.
"""

from __future__ import annotations

import sys
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from qcode.storage.schema import CaseRow, DocumentRow, SearchIndex, UtteranceRow
from qcode.transcripts.model import Role

FIELDS = 8
"""int64s per turn in ``SearchIndex.units``: idx, start, end, role, speaker, time, q_start, q_end."""
ROLES = (Role.COUNSELLOR, Role.CLIENT, Role.SYSTEM)
_EPOCH = datetime(1970, 1, 1)


def pack(values: Iterable[int]) -> bytes:
    """Little-endian int64s (the stored form on every machine)."""
    packed = array("q", values)
    if sys.byteorder == "big":  # pragma: no cover - stored little-endian everywhere
        packed.byteswap()
    return packed.tobytes()


def unpack(data: bytes | None) -> array[int]:
    packed = array("q")
    packed.frombytes(data or b"")
    if sys.byteorder == "big":  # pragma: no cover
        packed.byteswap()
    return packed


def clock(seconds: int) -> datetime | None:
    return None if seconds < 0 else _EPOCH + timedelta(seconds=seconds)


def _seconds(moment: datetime | None) -> int:
    return -1 if moment is None else int((moment.replace(tzinfo=None) - _EPOCH).total_seconds())


def _clean_edge(text: str, at: int) -> bool:
    """Whether ``text[at]`` (outside the text counts) is no word character for ``\\b``."""
    if not 0 <= at < len(text):
        return True
    c = text[at]
    return not (c.isalnum() or c == "_" or unicodedata.category(c).startswith("M"))


def build_units(session: Session) -> int:
    """Index every document that has no entry yet; returns how many were added."""
    missing = list(
        session.scalars(
            select(DocumentRow.id)
            .outerjoin(SearchIndex, SearchIndex.document_id == DocumentRow.id)
            .where(SearchIndex.document_id.is_(None))
            .order_by(DocumentRow.id)
        )
    )
    for chunk_start in range(0, len(missing), 500):
        chunk = missing[chunk_start : chunk_start + 500]
        texts = dict(
            (r[0], r[1]) for r in session.execute(select(DocumentRow.id, DocumentRow.text).where(DocumentRow.id.in_(chunk)))
        )
        turns: dict[int, list[Any]] = {doc_id: [] for doc_id in chunk}
        for row in session.execute(
            select(
                UtteranceRow.document_id, UtteranceRow.idx, UtteranceRow.start, UtteranceRow.end,
                UtteranceRow.role, UtteranceRow.speaker, UtteranceRow.time, UtteranceRow.quoted,
            )
            .where(UtteranceRow.document_id.in_(chunk))
            .order_by(UtteranceRow.document_id, UtteranceRow.idx)
        ):
            turns[row[0]].append(row)
        rows = []
        for doc_id in chunk:
            speakers: dict[str, int] = {}
            values: list[int] = []
            text = texts[doc_id]
            for _, idx, start, end, role, speaker, moment, quoted in turns[doc_id]:
                q_start = text.find(quoted, end) if quoted else -1
                q_end = q_start + len(quoted) if q_start >= 0 else -1
                values += [
                    idx, start, end, ROLES.index(Role(role)), speakers.setdefault(speaker, len(speakers)),
                    _seconds(moment), q_start, q_end,
                ]
            spans = [(v[1], v[2]) for v in zip(*[iter(values)] * FIELDS, strict=True)]
            spans += [(v[6], v[7]) for v in zip(*[iter(values)] * FIELDS, strict=True) if v[6] >= 0]
            rows.append(
                SearchIndex(
                    document_id=doc_id, units=pack(values), speakers="\n".join(speakers),
                    clean_edges=all(_clean_edge(text, start - 1) and _clean_edge(text, end) for start, end in spans),
                )
            )
        session.add_all(rows)
        session.flush()
    return len(missing)


class IndexedDocument:
    """One document as a search reads it; its packed fields are unpacked when first used.

    Most documents of a search have no match, so unpacking every one up front would be the
    largest cost of a search over 10,000 chats.
    """

    __slots__ = (
        "_lemma_offsets", "_speakers", "_units", "case", "channel", "clean_edges", "id", "key", "lemma_line", "text",
    )

    def __init__(
        self, id: int, key: str, case: str, channel: str, text: str, units: bytes, speakers: str,
        clean_edges: bool = True, lemma_line: str | None = None, lemma_offsets: bytes | None = None,
    ) -> None:
        self.id, self.key, self.case, self.channel, self.text = id, key, case, channel, text
        self.clean_edges = clean_edges
        """``SearchIndex.clean_edges``."""
        self.lemma_line = lemma_line
        """Only when made by the pipeline the search asked for (else None)."""
        self._units: bytes | array[int] = units
        self._speakers: str | list[str] = speakers
        self._lemma_offsets: bytes | array[int] | None = lemma_offsets

    @property
    def units(self) -> array[int]:
        """:data:`FIELDS` int64s per turn."""
        if isinstance(self._units, bytes):
            self._units = unpack(self._units)
        return self._units

    @property
    def speakers(self) -> list[str]:
        if isinstance(self._speakers, str):
            self._speakers = self._speakers.split("\n") if self._speakers else []
        return self._speakers

    @property
    def lemma_offsets(self) -> array[int]:
        """Start and end of every token of :attr:`lemma_line`."""
        if not isinstance(self._lemma_offsets, array):
            self._lemma_offsets = unpack(self._lemma_offsets)
        return self._lemma_offsets


def indexed_documents(
    session: Session,
    channel: str | None = None,
    documents: Sequence[int] | None = None,
    with_lemmas: str | None = None,
    with_text: bool = True,
) -> list[IndexedDocument]:
    """The indexed documents (optionally of one channel), in document key order.

    With ``with_lemmas`` (a pipeline id) the lemma line is read too, where it was made by that
    pipeline (None otherwise: not computed yet, or by another pipeline). Without ``with_text``
    the text is left empty, for :func:`fill_texts` to read where it is needed.
    """
    columns: list[Any] = [
        DocumentRow.id, DocumentRow.key, CaseRow.key, DocumentRow.channel,
        DocumentRow.text if with_text else DocumentRow.key,
        SearchIndex.units, SearchIndex.speakers, SearchIndex.clean_edges,
    ]
    if with_lemmas is not None:
        columns += [SearchIndex.lemma_pipeline, SearchIndex.lemma_line, SearchIndex.lemma_offsets]
    stmt = (
        select(*columns)
        .join(SearchIndex, SearchIndex.document_id == DocumentRow.id)
        .join(CaseRow, CaseRow.id == DocumentRow.case_id)
        .order_by(DocumentRow.key)
    )
    if channel is not None:
        stmt = stmt.where(DocumentRow.channel == channel)
    if documents is not None:
        stmt = stmt.where(DocumentRow.id.in_(list(documents)))
    found = []
    for row in session.execute(stmt):
        current = with_lemmas is not None and row[8] == with_lemmas
        found.append(
            IndexedDocument(
                row[0], row[1], row[2], row[3], row[4] if with_text else "", row[5], row[6] or "", bool(row[7]),
                row[9] if current else None, row[10] if current else None,
            )
        )
    return found


def fill_texts(session: Session, documents: Sequence[IndexedDocument]) -> None:
    """Read the texts of documents read without them (a lemma search needs few)."""
    ids = [d.id for d in documents]
    for at in range(0, len(ids), 500):
        chunk = ids[at : at + 500]
        texts = dict(
            (r[0], r[1]) for r in session.execute(select(DocumentRow.id, DocumentRow.text).where(DocumentRow.id.in_(chunk)))
        )
        for doc in documents[at : at + 500]:
            doc.text = texts[doc.id]


def missing_lemmas(session: Session, pipeline: str, channel: str | None = None) -> list[int]:
    """Ids of indexed documents without lemmas from ``pipeline``."""
    stmt = (
        select(SearchIndex.document_id)
        .join(DocumentRow, DocumentRow.id == SearchIndex.document_id)
        .where(or_(SearchIndex.lemma_pipeline.is_(None), SearchIndex.lemma_pipeline != pipeline))
        .order_by(SearchIndex.document_id)
    )
    if channel is not None:
        stmt = stmt.where(DocumentRow.channel == channel)
    return list(session.scalars(stmt))


def store_lemmas(session: Session, document_id: int, pipeline: str, line: str, offsets: Sequence[int]) -> None:
    row = session.get(SearchIndex, document_id)
    if row is None:
        return
    row.lemma_pipeline, row.lemma_line, row.lemma_offsets = pipeline, line, pack(offsets)


def attribute_filter(session: Session, where: Sequence[tuple[str, str]]) -> set[int] | None:
    """Ids of documents whose document or case attributes hold every ``name=value`` (None: all).

    Values compare case-insensitively after trimming, as the corpus browser's filter does.
    """
    if not where:
        return None
    keep = set()
    rows = session.execute(
        select(DocumentRow.id, DocumentRow.attributes, CaseRow.attributes, CaseRow.key).join(
            CaseRow, CaseRow.id == DocumentRow.case_id
        )
    )
    for doc_id, doc_attrs, case_attrs, case_key in rows:
        merged = {"case": case_key, **{str(k).lower(): v for k, v in (case_attrs or {}).items()}}
        merged.update({str(k).lower(): v for k, v in (doc_attrs or {}).items()})
        if all(str(merged.get(name.lower(), "")).strip().casefold() == value.strip().casefold() for name, value in where):
            keep.add(doc_id)
    return keep


def document_keys_where(session: Session, where: Sequence[tuple[str, str]]) -> list[str]:
    """Keys of the documents :func:`attribute_filter` keeps (the same rule, for key filters)."""
    ids = attribute_filter(session, where)
    if ids is None:
        return list(session.scalars(select(DocumentRow.key).order_by(DocumentRow.key)))
    return sorted(session.scalars(select(DocumentRow.key).where(DocumentRow.id.in_(ids))))


def attribute_names(session: Session) -> set[str]:
    """Every attribute name used by a document or a case (for a helpful message on a typo)."""
    names = {"case"}
    for doc_attrs, case_attrs in session.execute(
        select(DocumentRow.attributes, CaseRow.attributes).join(CaseRow, CaseRow.id == DocumentRow.case_id)
    ):
        names.update(str(k).lower() for k in (doc_attrs or {}))
        names.update(str(k).lower() for k in (case_attrs or {}))
    return names

