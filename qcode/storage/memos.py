"""Memos on codings, turns, documents, cases and codes: the one place they are stored and read.

Every edit is a step of the coder's undo log (``coding_events`` with ``memo_id``), so
``qcode undo`` and the workbench's ``u`` take back a memo edit like a coding. A memo on a
coding is also guarded by the coding's version (an edit of a coding someone else changed
meanwhile is refused, as for any change to a coding). Clearing a memo keeps its row with empty
text: nothing a coder wrote is lost, and undo restores it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from qcode.coding.memo import Memo, MemoKind, MemoTarget
from qcode.errors import StorageError
from qcode.storage.codings import _live_row, _log, ensure_coder
from qcode.storage.schema import (
    CaseRow,
    CodeRow,
    CoderRow,
    CodingEvent,
    CodingRow,
    DocumentRow,
    MemoRow,
    UtteranceRow,
)


def _document_id(session: Session, document: str) -> int:
    found = session.scalar(select(DocumentRow.id).where(DocumentRow.key == document))
    if found is None:
        raise StorageError(f"No document '{document}' in this project.")
    return int(found)


def _case_id(session: Session, case: str) -> int:
    found = session.scalar(select(CaseRow.id).where(CaseRow.key == case))
    if found is None:
        raise StorageError(f"No case '{case}' in this project.")
    return int(found)


def _code_id(session: Session, code: str) -> int:
    found = session.scalar(select(CodeRow.id).where(CodeRow.key == code, CodeRow.merged_into.is_(None)))
    if found is None:
        raise StorageError(f"No code with id '{code}' in this project's codebook.")
    return int(found)


Columns = dict[str, int | None]


def _on_coding(session: Session, target: MemoTarget) -> tuple[Columns, list[ColumnElement[bool]]]:
    if target.coding is None:
        raise StorageError("A coding memo needs a coding.")
    coding = session.get(CodingRow, target.coding)
    columns: Columns = {"coding_id": target.coding, "document_id": coding.document_id if coding else None}
    return columns, [MemoRow.coding_id == target.coding]


def _on_document(session: Session, target: MemoTarget) -> tuple[Columns, list[ColumnElement[bool]]]:
    if target.document is None:
        raise StorageError("A document or turn memo needs a document.")
    doc_id = _document_id(session, target.document)
    if target.kind is MemoKind.UTTERANCE:
        turns = session.scalar(select(func.count()).where(UtteranceRow.document_id == doc_id)) or 0
        if target.utterance is None or not 0 <= target.utterance < turns:
            shown = "?" if target.utterance is None else target.utterance + 1
            has = f"has turns 1-{turns}" if turns else "has no turns (write a document memo)"
            raise StorageError(f"Document '{target.document}' {has}; there is no turn {shown}.")
    turn = MemoRow.utterance_idx.is_(None) if target.utterance is None else MemoRow.utterance_idx == target.utterance
    return {"document_id": doc_id, "utterance_idx": target.utterance}, [MemoRow.document_id == doc_id, turn]


def _on_case(session: Session, target: MemoTarget) -> tuple[Columns, list[ColumnElement[bool]]]:
    if target.case is None:
        raise StorageError("A case memo needs a case.")
    case_id = _case_id(session, target.case)
    return {"case_id": case_id}, [MemoRow.case_id == case_id]


def _on_code(session: Session, target: MemoTarget) -> tuple[Columns, list[ColumnElement[bool]]]:
    if target.code is None:
        raise StorageError("A code memo needs a code.")
    code_id = _code_id(session, target.code)
    return {"code_id": code_id}, [MemoRow.code_id == code_id]


def _on_project(session: Session, target: MemoTarget) -> tuple[Columns, list[ColumnElement[bool]]]:
    return {}, [MemoRow.id == (target.memo if target.memo is not None else -1)]


_PLACES = {
    MemoKind.CODING: _on_coding, MemoKind.UTTERANCE: _on_document, MemoKind.DOCUMENT: _on_document,
    MemoKind.CASE: _on_case, MemoKind.CODE: _on_code, MemoKind.PROJECT: _on_project,
}
"""Per kind of place: the memo's columns and how to find a stored memo there."""


def _find(session: Session, target: MemoTarget, coder_id: int) -> tuple[MemoRow | None, Columns]:
    """The stored memo at ``target`` (of ``coder_id``, except on a coding or the project) and
    the columns a new memo there gets. A project memo without an id is always a new one."""
    columns, where = _PLACES[target.kind](session, target)
    if target.kind is MemoKind.PROJECT and target.memo is None:
        return None, columns  # the project holds any number of memos
    where.append(MemoRow.kind == target.kind.value)
    if target.kind not in (MemoKind.CODING, MemoKind.PROJECT):
        where.append(MemoRow.coder_id == coder_id)
    row = session.scalars(select(MemoRow).where(*where).with_for_update()).first()
    if target.kind is MemoKind.PROJECT and row is None:
        raise StorageError(f"No project memo {target.memo} in this project.")
    return row, columns


def set_memo(
    session: Session,
    target: MemoTarget,
    coder: str,
    text: str,
    now: datetime,
    expected_version: int | None = None,
) -> int | None:
    """Write (or, with empty text, clear) ``coder``'s memo at ``target``, as one undoable step.

    ``expected_version`` applies to coding memos: the coding's version the coder saw. Returns
    the memo id, or None when an empty text clears a memo that never existed.
    """
    coding_row = None
    if target.kind is MemoKind.CODING:
        assert target.coding is not None
        coding_row = _live_row(session, target.coding, expected_version)
        kind = session.scalar(select(CoderRow.kind).where(CoderRow.id == coding_row.coder_id))
        if kind == "auto":
            raise StorageError(
                "Automatic codings are replaced whenever autocode runs again; "
                "write the memo on the turn instead."
            )
    coder_id = ensure_coder(session, coder, now)
    row, columns = _find(session, target, coder_id)
    text = text if text.strip() else ""
    before = row.text if row is not None else ""
    if row is None:
        if not text:
            return None
        row = MemoRow(kind=target.kind.value, coder_id=coder_id, text=text, created=now, updated=now, **columns)
        session.add(row)
        session.flush()
    elif before == text:
        return row.id
    else:
        row.text, row.updated, row.coder_id = text, now, coder_id
    if coding_row is not None:
        coding_row.version += 1
    _log(
        session,
        CodingEvent(
            coder_id=coder_id, coding_id=target.coding if coding_row is not None else None,
            memo_id=row.id, action="memo", at=now, before=before, after=text,
        ),
    )
    return row.id


def add_imported(
    session: Session, target: MemoTarget, coder: str, text: str, created: datetime, updated: datetime,
) -> int | None:
    """Store a memo an import brings in (a REFI note or description): not an undo step.

    An existing memo of the same coder on the same place keeps its text and the imported one
    is added below it, unless it says the same (importing a file twice changes nothing).
    """
    if not text.strip():
        return None
    coder_id = ensure_coder(session, coder, created, kind="imported")
    row, columns = _find(session, target, coder_id) if target.kind is not MemoKind.PROJECT else (None, {})
    if target.kind is MemoKind.PROJECT:
        same = session.scalars(
            select(MemoRow.id).where(MemoRow.kind == "project", MemoRow.coder_id == coder_id, MemoRow.text == text)
        ).first()
        if same is not None:
            return int(same)
    if row is not None:
        if text not in row.text:
            row.text = f"{row.text}\n\n{text}" if row.text else text
            row.updated = max(row.updated, updated)
        return row.id
    row = MemoRow(kind=target.kind.value, coder_id=coder_id, text=text, created=created, updated=updated, **columns)
    session.add(row)
    session.flush()
    return row.id


def memo_text(session: Session, target: MemoTarget, coder: str) -> str:
    """The text of ``coder``'s memo at ``target`` (on a coding: the coding's memo), or ""."""
    coder_id = session.scalar(select(CoderRow.id).where(CoderRow.name == coder))
    if coder_id is None and target.kind is not MemoKind.CODING:
        return ""
    row, _columns = _find(session, target, coder_id or -1)
    return row.text if row is not None else ""


@dataclass(frozen=True)
class MemoFilter:
    """Which memos to list; None means no restriction."""

    kinds: Sequence[MemoKind] | None = None
    documents: Sequence[str] | None = None
    """Memos on these documents, their turns and codings."""
    cases: Sequence[str] | None = None
    """Memos on these cases, and on their documents, turns and codings."""
    coders: Sequence[str] | None = None
    codes: Sequence[str] | None = None
    """Code keys: memos on these codes and on codings of them."""
    text: str | None = None
    """Only memos containing this text (ignoring case)."""
    include_empty: bool = False
    """Also cleared memos (empty text) and memos on removed codings."""


def memos(session: Session, flt: MemoFilter, visible_coders: Sequence[str] | None = None) -> list[Memo]:
    """Memos with their place, ordered by case, document, turn, then code and coder.

    ``visible_coders`` (blind mode) restricts the authors, below every view.
    """
    doc_case = aliased(CaseRow)
    memo_case = aliased(CaseRow)
    coding_code = aliased(CodeRow)
    memo_code = aliased(CodeRow)
    coding_turn = (
        select(func.min(UtteranceRow.idx))
        .where(
            UtteranceRow.document_id == CodingRow.document_id,
            UtteranceRow.end > CodingRow.start,
            UtteranceRow.start < CodingRow.end,
        )
        .correlate(CodingRow)
        .scalar_subquery()
    )
    stmt = (
        select(
            MemoRow.id, MemoRow.kind, CoderRow.name, MemoRow.text, MemoRow.created, MemoRow.updated,
            DocumentRow.key, func.coalesce(MemoRow.utterance_idx, coding_turn), MemoRow.coding_id,
            func.coalesce(memo_case.key, doc_case.key), func.coalesce(memo_code.key, coding_code.key),
            func.coalesce(memo_code.name, coding_code.name),
        )
        .join(CoderRow, CoderRow.id == MemoRow.coder_id)
        .outerjoin(DocumentRow, DocumentRow.id == MemoRow.document_id)
        .outerjoin(doc_case, doc_case.id == DocumentRow.case_id)
        .outerjoin(memo_case, memo_case.id == MemoRow.case_id)
        .outerjoin(CodingRow, CodingRow.id == MemoRow.coding_id)
        .outerjoin(coding_code, coding_code.id == CodingRow.code_id)
        .outerjoin(memo_code, memo_code.id == MemoRow.code_id)
    )
    conditions: list[ColumnElement[bool]] = []
    if not flt.include_empty:
        conditions += [MemoRow.text != "", or_(MemoRow.coding_id.is_(None), CodingRow.deleted_at.is_(None))]
    if flt.kinds is not None:
        conditions.append(MemoRow.kind.in_([k.value for k in flt.kinds]))
    if flt.documents is not None:
        conditions.append(DocumentRow.key.in_(list(flt.documents)))
    if flt.cases is not None:
        conditions.append(func.coalesce(memo_case.key, doc_case.key).in_(list(flt.cases)))
    if flt.coders is not None:
        conditions.append(CoderRow.name.in_(list(flt.coders)))
    if flt.codes is not None:
        conditions.append(func.coalesce(memo_code.key, coding_code.key).in_(list(flt.codes)))
    if flt.text:
        conditions.append(func.lower(MemoRow.text).contains(flt.text.lower(), autoescape=True))
    if visible_coders is not None:
        conditions.append(CoderRow.name.in_(list(visible_coders)))
    if conditions:
        stmt = stmt.where(and_(*conditions))
    found = [
        Memo(
            id=i, kind=MemoKind(kind), coder=coder, text=text, created=created, updated=updated,
            document=doc, utterance=None if turn is None else int(turn), coding=coding, case=case,
            code=code, code_name=code_name,
        )
        for i, kind, coder, text, created, updated, doc, turn, coding, case, code, code_name in session.execute(stmt)
    ]
    order = {k: n for n, k in enumerate(MemoKind)}
    found.sort(key=lambda m: (
        m.kind is not MemoKind.PROJECT, m.kind is not MemoKind.CODE, m.code_name or "", m.case or "", m.document or "",
        -1 if m.utterance is None else m.utterance, order[m.kind], m.coder, m.id,
    ))
    return found


def memo_turns(session: Session, document: str, visible_coders: Sequence[str] | None = None) -> set[int]:
    """Indexes of the turns of ``document`` with a memo (the transcript's ✎), in one small query.

    Kept apart from :func:`memos` because the transcript asks on every document it opens.
    """
    stmt = (
        select(MemoRow.utterance_idx)
        .join(DocumentRow, DocumentRow.id == MemoRow.document_id)
        .where(DocumentRow.key == document, MemoRow.kind == MemoKind.UTTERANCE.value, MemoRow.text != "")
    )
    if visible_coders is not None:
        stmt = stmt.join(CoderRow, CoderRow.id == MemoRow.coder_id).where(CoderRow.name.in_(list(visible_coders)))
    return {int(i) for i in session.scalars(stmt) if i is not None}
