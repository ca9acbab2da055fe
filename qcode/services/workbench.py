"""Services the coding workbench needs beyond the CLI's: overview, codings as values, progress.

The workbench redraws after every keypress, so these return small frozen values rather than
DataFrames (building a pandas frame per keypress would cost more than the whole 30 ms budget).
Blind mode is applied exactly as in :func:`qcode.services.team.visible_coders`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from qcode.errors import QcodeError
from qcode.services.gc_pause import gc_paused
from qcode.services.project import Project
from qcode.services.suggestions import ShownSuggestion, shown_suggestions
from qcode.services.team import visible_coders
from qcode.storage import codings as coding_store
from qcode.storage import corpus, progress
from qcode.storage import memos as memo_store
from qcode.storage import suggestions as suggestion_store
from qcode.storage.codings import CodingFilter
from qcode.transcripts.model import Document


@dataclass(frozen=True, slots=True)
class Progress:
    """How far one coder is with one document, in utterances."""

    coded: int
    suggested: int
    untouched: int


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """One row of the corpus browser."""

    document: str
    case: str
    channel: str
    start: datetime | None
    utterances: int
    characters: int
    attributes: dict[str, Any] = field(default_factory=dict)
    """The case's attributes (filterable in the browser)."""
    progress: dict[str, Progress] = field(default_factory=dict)
    """Coder name -> progress (only coders the viewer may see)."""


@dataclass(frozen=True, slots=True)
class CodingView:
    """A live coding as the transcript view shows it."""

    id: int
    code: str
    code_name: str
    coder: str
    origin: str
    start: int
    end: int
    memo: str
    version: int


def corpus_overview(project: Project, viewer: str) -> list[DocumentSummary]:
    """Every document with its size and each visible coder's progress."""
    with project.session() as session:
        rows = progress.document_overview(session)
        coded = progress.coded_utterances(session)
        suggested = progress.suggested_utterances(session, viewer)
        visible = visible_coders(session, viewer)
        people = [c.name for c in coding_store.coder_names(session) if c.kind == "person"]
    coders = [c for c in people if visible is None or c in visible]
    result: list[DocumentSummary] = []
    for row in rows:
        per_coder: dict[str, Progress] = {}
        for coder in coders:
            done = coded.get((row.document, coder), 0)
            pending = len(suggested.get(row.document, set())) if coder == viewer else 0
            pending = min(pending, row.utterances - done)
            per_coder[coder] = Progress(done, pending, row.utterances - done - pending)
        result.append(DocumentSummary(**row._asdict(), progress=per_coder))
    return result


def document_codings(project: Project, document: str, viewer: str) -> list[CodingView]:
    """Live codings of one document the viewer may see (blind mode applied)."""
    with project.session() as session:
        visible = visible_coders(session, viewer)
        rows = coding_store.coding_rows(session, CodingFilter(documents=[document]), visible)
    return [
        CodingView(
            id=r["id"],
            code=r["code"],
            code_name=r["code_name"],
            coder=r["coder"],
            origin=r["origin"],
            start=r["start"],
            end=r["end"],
            memo=r["memo"] or "",
            version=r["version"],
        )
        for r in rows
    ]


def open_document(project: Project, key: str) -> Document:
    """The document to display (a faster read than ``corpus.get_document``, same value)."""
    with project.session() as session, gc_paused():
        doc = corpus.load_document(session, key)
    if doc is None:
        raise QcodeError(f"No document '{key}' in this project (see: qcode cases).")
    return doc


def document_state(project: Project, document: str, viewer: str, turn_starts: Sequence[int]) -> DocumentState:
    """Codings, pending suggestions and memo'd utterances of one document, in one read.

    ``turn_starts`` are the document's utterance starts (the screen has the document already):
    they place a segment suggestion on the turn where it starts."""
    with project.session() as session:
        visible = visible_coders(session, viewer)
        # Columns, not dicts through the ORM's row loading: a document with 2,000 codings
        # opened in 130 ms of reading them that way (docs/benchmarks.md, Workbench).
        names, rows = coding_store.coding_columns(session, CodingFilter(documents=[document]), visible)
        suggestions = suggestion_store.suggestion_rows(session, document, viewer)
        memo_turns = memo_store.memo_turns(session, document, visible)
    at = {name: i for i, name in enumerate(names)}
    fields = [at[f] for f in ("id", "code", "code_name", "coder", "origin", "start", "end", "memo", "version")]
    views = []
    for r in rows:
        i, code, code_name, coder, origin, start, end, memo, version = (r[f] for f in fields)
        views.append(CodingView(i, code, code_name, coder, origin, start, end, memo or "", version))
    return DocumentState(views, shown_suggestions(suggestions, turn_starts), memo_turns)


@dataclass(frozen=True, slots=True)
class DocumentState:
    codings: list[CodingView]
    suggestions: list[ShownSuggestion]
    memo_utterances: set[int]


def is_supervisor(project: Project, name: str) -> bool:
    with project.session() as session:
        return coding_store.is_supervisor(session, name)


def agreement_coders(project: Project, viewer: str) -> list[str]:
    """People with live codings whose codings ``viewer`` may see (default coders to compare)."""
    with project.session() as session:
        visible = visible_coders(session, viewer)
        found = progress.coders_with_codings(session)
    return [c for c in found if visible is None or c in visible]
