"""Coding services: apply, remove, undo and list codings; codebook maintenance; blind mode.

Every function is one user action in one transaction: when it returns, the change is committed.
Blind mode is enforced here and in storage (``visible_coders``), not in any view.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from qcode.codebook.load import load_codebook
from qcode.codebook.model import Codebook
from qcode.coding.model import AUTO_CODER, CONSENSUS_CODER, Coding, Origin
from qcode.errors import QcodeError, StorageError, UnknownNameError
from qcode.services.frames import codings_frame
from qcode.services.project import Project, now
from qcode.storage import codebooks as codebook_store
from qcode.storage import codings as coding_store
from qcode.storage import corpus
from qcode.storage import suggestions as suggestion_store
from qcode.storage.codings import CodingFilter
from qcode.storage.settings import get_setting, set_setting

BLIND = "blind"
BLIND_RELEASED = "blind_released"


def visible_coders(session: Session, viewer: str | None) -> list[str] | None:
    """Coders whose codings ``viewer`` may see; None means all.

    In a blind project, until a supervisor releases the codings, a coder sees only their own
    codings and the machine's (automatic codes are not anyone's judgement).
    """
    if get_setting(session, BLIND, "off") != "on" or get_setting(session, BLIND_RELEASED) == "yes":
        return None
    if viewer is None:
        raise QcodeError(
            "This project codes blind: say who you are (--as NAME, or set QCODE_CODER) to see codings.",
            title="Blind coding",
        )
    known = {name for name, _kind, _supervisor in coding_store.coder_names(session)}
    if viewer not in known:
        raise UnknownNameError("coder", viewer, known, see="qcode coders")
    if coding_store.is_supervisor(session, viewer):
        return None
    return [viewer, AUTO_CODER]


def is_blind(project: Project) -> bool:
    with project.session() as session:
        return get_setting(session, BLIND, "off") == "on" and get_setting(session, BLIND_RELEASED) != "yes"


def set_blind(project: Project, on: bool, by: str) -> None:
    """Switch blind coding on or off (supervisors only once coders exist)."""
    with project.session() as session:
        require_supervisor(session, by)
        set_setting(session, BLIND, "on" if on else "off")
        set_setting(session, BLIND_RELEASED, "no")


def release_blind(project: Project, by: str) -> None:
    """Let every coder see every coding (after independent coding is finished)."""
    with project.session() as session:
        require_supervisor(session, by)
        set_setting(session, BLIND_RELEASED, "yes")


def require_supervisor(session: Session, name: str) -> None:
    """Refuse unless ``name`` is a supervisor (any coder may, while the project has none)."""
    coders = coding_store.coder_names(session)
    people = [c for c in coders if c[1] == "person"]
    if any(c[2] for c in people) and not coding_store.is_supervisor(session, name):
        raise QcodeError(f"Only a supervisor can do this; {name} is not one.", title="Not allowed")


def add_coder(project: Project, name: str, supervisor: bool = False) -> None:
    if name in (AUTO_CODER, CONSENSUS_CODER):
        raise QcodeError(f"'{name}' is reserved for qcode's own codings; choose another name.")
    with project.session() as session:
        coding_store.ensure_coder(session, name, now(), supervisor=supervisor)


def list_coders(project: Project) -> list[tuple[str, str, bool]]:
    with project.session() as session:
        return coding_store.coder_names(session)


def _resolve_code(session: Session, code: str) -> str:
    return codebook_store.find_code(session, code).key


def _utterance_span(session: Session, document: str, first: int, last: int) -> tuple[int, int]:
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


def codebook(project: Project) -> Codebook:
    with project.session() as session:
        return codebook_store.stored_codebook(session)


def load_codebook_file(project: Project, path: Path) -> tuple[int, int]:
    """Load a codebook file (new, or a new version); refuses changes that orphan codings."""
    book = load_codebook(path)
    with project.session() as session:
        return codebook_store.save_codebook(session, book, now())


def rename_code(project: Project, code: str, new_name: str) -> None:
    with project.session() as session:
        codebook_store.rename_code(session, code, new_name)


def merge_codes(project: Project, source: str, target: str) -> int:
    with project.session() as session:
        return codebook_store.merge_codes(session, source, target)
