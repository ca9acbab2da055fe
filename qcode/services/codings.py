"""Codings: apply, remove, undo, redo and list them.

Every function is one user action in one transaction: when it returns, the change is committed.
Whose codings a viewer sees (blind mode) is the team's rule: :func:`qcode.services.team.visible_coders`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy.orm import Session

from qcode.coding.model import AUTO_CODER, CONSENSUS_CODER, Coding, Origin
from qcode.errors import QcodeError, StorageError
from qcode.services.frames import codings_frame
from qcode.services.project import Project, now
from qcode.services.team import visible_coders
from qcode.storage import codebooks as codebook_store
from qcode.storage import codings as coding_store
from qcode.storage import corpus
from qcode.storage import suggestions as suggestion_store
from qcode.storage.codings import CodingFilter


def _resolve_code(session: Session, code: str) -> str:
    return codebook_store.find_code(session, code).key


def _utterance_span(session: Session, document: str, first: int, last: int) -> corpus.TextSpan:
    span = corpus.utterance_span(session, document, first, last) if first <= last else None
    if span is None:
        if corpus.document_id(session, document) is None:
            raise StorageError(f"No document '{document}' in this project.")
        count = corpus.utterance_count(session, document)
        turns = f"turn {first + 1}" if first == last else f"turns {first + 1}–{last + 1}"
        raise StorageError(f"Document '{document}' has no {turns}: its turns are 1–{count} (see qcode show).")
    return span


def add_coding(
    project: Project,
    document: str,
    code: str,
    coder: str,
    *,
    start: int | None = None,
    end: int | None = None,
    utterance: int | None = None,
    last_utterance: int | None = None,
    memo: str = "",
    origin: Origin = Origin.MANUAL,
) -> int:
    """Apply ``code`` (name or id) to a span, an utterance, or a range of utterances."""
    if coder in (AUTO_CODER, CONSENSUS_CODER) and origin is Origin.MANUAL:
        raise QcodeError(f"'{coder}' is reserved; code under your own name.")
    with project.session() as session:
        key = _resolve_code(session, code)
        if utterance is not None:
            start, end = _utterance_span(
                session, document, utterance, last_utterance if last_utterance is not None else utterance
            )
        if start is None or end is None:
            raise QcodeError("Give a span (start and end) or an utterance to code.")
        if end <= start:
            raise QcodeError("A coding needs a non-empty span (end after start).")
        moment = now()
        # The same code on the same span as a pending suggestion is that suggestion's decision:
        # one coding, and the suggestion is resolved (issue 16).
        match = suggestion_store.pending_match(session, document, key, start, end, coder)
        coding_id = coding_store.add_coding(
            session,
            Coding(document=document, start=start, end=end, code=key, coder=coder, origin=origin, memo=memo),
            moment,
            suggestion_id=match,
        )
        if match is not None:
            suggestion_store.decide(session, match, coder, "accepted", moment, coding_id)
        return coding_id


def remove_coding(project: Project, coding_id: int, coder: str, expected_version: int | None = None) -> None:
    with project.session() as session:
        coding_store.remove_coding(session, coding_id, coder, now(), expected_version)


def undo(project: Project, coder: str, readable: bool = False) -> str | None:
    """Undo the coder's latest step; the text names code and turn with ``readable`` (workbench
    toasts), else the coding id (``qcode undo``, scripts)."""
    with project.session() as session:
        return coding_store.undo(session, coder, now(), readable)


def redo(project: Project, coder: str, readable: bool = False) -> str | None:
    with project.session() as session:
        return coding_store.redo(session, coder, now(), readable)


def list_codings(
    project: Project,
    documents: Sequence[str] | None = None,
    cases: Sequence[str] | None = None,
    coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
    channel: str | None = None,
    viewer: str | None = None,
) -> pd.DataFrame:
    """Codings as the ``codings`` frame (docs/architecture.md), blind mode applied."""
    with project.session() as session:
        code_keys = [_resolve_code(session, c) for c in codes] if codes else None
        flt = CodingFilter(documents=documents, cases=cases, coders=coders, codes=code_keys, channel=channel)
        return codings_frame(session, flt, visible_coders(session, viewer))

