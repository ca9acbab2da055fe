"""Memos: the one service the CLI, the workbench and the exports use to write and read them.

Memos are on codings, turns, documents, cases and codes (``qcode.coding.memo``). Names are
checked here (``services.names``), so a misspelt document, case, code or coder is refused
with the closest names instead of a memo on nothing. Blind mode hides other coders' memos
exactly as it hides their codings.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy.orm import Session

from qcode.coding.memo import Memo, MemoKind, MemoTarget
from qcode.coding.model import AUTO_CODER, CONSENSUS_CODER
from qcode.errors import QcodeError, StorageError
from qcode.services.names import check_in_session
from qcode.services.project import Project, now
from qcode.services.team import visible_coders
from qcode.storage import codebooks as codebook_store
from qcode.storage import corpus
from qcode.storage import memos as memo_store
from qcode.storage.memos import MemoFilter

__all__ = ["MEMO_COLUMNS", "Memo", "MemoFilter", "MemoKind", "MemoTarget", "list_memos", "memo_frame", "memo_text", "write_memo"]

MEMO_COLUMNS = [
    "id", "kind", "place", "case", "document", "turn", "index", "coding", "code", "code_name",
    "coder", "memo", "created", "updated",
]
"""Columns of :func:`memo_frame` (the "Memos" sheet, ``qcode memos --format csv/json``).

``turn`` counts from 1 as people do; ``index`` is the stored 0-based utterance index.
"""


def write_memo(
    project: Project,
    target: MemoTarget,
    coder: str,
    text: str,
    expected_version: int | None = None,
    append: bool = False,
) -> int | None:
    """Write (or, with empty text, clear) ``coder``'s memo at ``target``, committed at once.

    A code may be named by its label or its id. ``append`` adds ``text`` as a new paragraph
    to the memo there. Returns the memo id (None if an empty text cleared nothing). Each call
    is one step of the coder's undo log.
    """
    if not coder.strip():
        raise QcodeError("Choose a coder before writing memos.")
    if coder in (AUTO_CODER, CONSENSUS_CODER):
        raise QcodeError(f"'{coder}' is reserved; write memos under your own name.")
    with project.session() as session:
        check_in_session(
            session,
            documents=[target.document] if target.document is not None else [],
            cases=[target.case] if target.case is not None else [],
        )
        if target.code is not None:
            target = MemoTarget.on_code(codebook_store.find_code(session, target.code).key)
        if append and text.strip():
            before = memo_store.memo_text(session, target, coder)
            text = f"{before}\n\n{text}" if before else text
        return memo_store.set_memo(session, target, coder, text, now(), expected_version)


def memo_text(project: Project, target: MemoTarget, coder: str) -> str:
    """``coder``'s memo at ``target`` (on a coding: the coding's memo), "" if none: to edit it."""
    with project.session() as session:
        if target.code is not None:
            target = MemoTarget.on_code(codebook_store.find_code(session, target.code).key)
        return memo_store.memo_text(session, target, coder)


def list_memos(project: Project, viewer: str | None, flt: MemoFilter | None = None) -> list[Memo]:
    """The memos ``viewer`` may see (blind mode applied), filtered; codes by label or id.

    Unknown names in the filter are refused (a misspelt filter is never an empty list).
    """
    flt = flt or MemoFilter()
    with project.session() as session:
        check_in_session(
            session, coders=flt.coders or [], documents=flt.documents or [], cases=flt.cases or [],
        )
        if flt.codes is not None:
            keys = [codebook_store.find_code(session, c).key for c in flt.codes]
            flt = MemoFilter(
                kinds=flt.kinds, documents=flt.documents, cases=flt.cases, coders=flt.coders,
                codes=keys, text=flt.text, include_empty=flt.include_empty,
            )
        return memo_store.memos(session, flt, visible_coders(session, viewer))


def first_document(project: Project, case: str) -> str | None:
    """The first document of ``case`` (where a case memo's "go to" leads), or None."""
    with project.session() as session:
        keys = corpus.document_keys(session, case)
    return keys[0] if keys else None


def memo_turns(project: Project, document: str, viewer: str | None) -> set[int]:
    """0-based indexes of the turns of ``document`` with a memo the viewer may see (✎)."""
    with project.session() as session:
        check_in_session(session, documents=[document])
        return memo_store.memo_turns(session, document, visible_coders(session, viewer))


def memo_frame(memos: Sequence[Memo]) -> pd.DataFrame:
    """Memos as a table with :data:`MEMO_COLUMNS` (the exports' "Memos" sheet)."""
    rows = [
        {
            "id": m.id, "kind": m.kind.value, "place": m.place(), "case": m.case or "",
            "document": m.document or "", "turn": m.turn, "index": m.utterance,
            "coding": m.coding, "code": m.code or "", "code_name": m.code_name or "",
            "coder": m.coder, "memo": m.text, "created": m.created, "updated": m.updated,
        }
        for m in memos
    ]
    frame = pd.DataFrame(rows, columns=MEMO_COLUMNS)
    for column in ("turn", "index", "coding"):
        frame[column] = frame[column].astype("Int64")
    return frame


def export_frame(
    project: Project,
    viewer: str | None,
    coding_ids: set[int],
    coders: Sequence[str] | None = None,
    cases: Sequence[str] | None = None,
    code_keys: set[str] | None = None,
    documents: set[str] | None = None,
) -> pd.DataFrame:
    """The "Memos" table of an export (:func:`export_memos` as a frame)."""
    return memo_frame(export_memos(project, viewer, coding_ids, coders, cases, code_keys, documents))


def export_memos(
    project: Project,
    viewer: str | None,
    coding_ids: set[int],
    coders: Sequence[str] | None = None,
    cases: Sequence[str] | None = None,
    code_keys: set[str] | None = None,
    documents: set[str] | None = None,
) -> list[Memo]:
    """The memos an export carries (tables and REFI-QDA), filtered like its codings.

    Memos on codings go out with the codings that go out (``coding_ids``); ``coders`` are the
    authors wanted, ``cases`` the cases (a code memo belongs to no case and always goes out),
    ``code_keys`` the codes kept (code memos of other codes stay home), ``documents`` the
    documents kept (the channel filter). None: no restriction.
    """
    def wanted(m: Memo) -> bool:
        if m.kind is MemoKind.CODING:
            return m.coding in coding_ids
        if coders is not None and m.coder not in coders:
            return False
        if m.kind is MemoKind.CODE:
            return code_keys is None or m.code in code_keys
        if documents is not None and m.document is not None and m.document not in documents:
            return False
        return cases is None or m.case in cases

    return [m for m in list_memos(project, viewer) if wanted(m)]


def store_imported(session: Session, memos: Sequence[Memo], documents: set[str]) -> tuple[int, list[str]]:
    """Store the memos an import brought in; returns how many, and why others were not.

    Memos on documents or turns go in only with their documents (``documents``: those the
    import stored; a document skipped as already present keeps its memos as they are). A memo
    whose place the project lacks (a code not in its codebook) is left out with a reason.
    """
    stored, left_out = 0, []
    for memo in memos:
        if memo.document is not None and memo.document not in documents:
            continue
        target = memo.target()
        if memo.kind is MemoKind.PROJECT:
            target = MemoTarget.on_project()
        try:
            with session.begin_nested():
                if memo_store.add_imported(session, target, memo.coder, memo.text, memo.created, memo.updated):
                    stored += 1
        except StorageError as error:
            left_out.append(f"memo on {memo.place()} not imported: {error.message}")
    return stored, left_out
