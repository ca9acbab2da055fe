"""Exchange with other QDA tools through REFI-QDA: a project out as .qdpx/.qdc, and back in.

The files are written and read in ``qcode.export`` (refi_*) from and to domain values; this
module gathers those from the store (respecting blind mode) and stores what an import brings in.
The codebook half of an import (matching incoming codes) is :mod:`qcode.services.exchange_codebook`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from qcode.codebook.model import Codebook
from qcode.coding.memo import Memo
from qcode.coding.model import CONSENSUS_CODER, Coding, Origin
from qcode.errors import ExportError, QcodeError, StorageError
from qcode.export import tables as table_builders
from qcode.export.refi_model import ExchangeProject, ImportedProject, Settled
from qcode.export.refi_read import read_qdc, read_qdpx
from qcode.export.refi_write import write_qdc, write_qdpx
from qcode.export.summary import ExportSummary
from qcode.services import memos as memo_service
from qcode.services.exchange_codebook import (
    CodePlan,
    plan_codes,
    register_coders,
    remap,
    store_codes,
)
from qcode.services.frames import (
    codings_frame,
)
from qcode.services.project import Project, now
from qcode.services.tables import ExportFilter, consensus_trail, default_target
from qcode.services.team import visible_coders
from qcode.storage import codebooks as codebook_store
from qcode.storage import codings as coding_store
from qcode.storage import corpus
from qcode.storage import decisions as decision_store
from qcode.storage.codings import CodingFilter
from qcode.storage.corpus import NewSource
from qcode.transcripts.model import Case, Document

CONSENSUS_NOTE = "qcode consensus decisions"
"""Name of the REFI note that carries the audit trail of the consensus codings."""


def trail_note(trail: pd.DataFrame) -> str:
    """The audit trail as plain text, one decision a line, for the REFI note."""
    lines = []
    for r in trail.to_dict("records"):
        where = f"{r['document']} #{int(r['utterance']) + 1}" if not pd.isna(r["utterance"]) else f"{r['document']} {r['start']}-{r['end']}"
        memo = f"; memo: {r['memo']}" if r["memo"] else ""
        decision = r["decision"] if r["decision"] != "undone" else r["was"]
        undone = (
            f"; undone by {r['undone_by']} at {pd.Timestamp(r['undone_at']):%Y-%m-%d %H:%M}"
            if r["decision"] == "undone" else ""
        )
        lines.append(
            f"{where}: {r['code']} {decision} by {r['settled_by']} at "
            f"{pd.Timestamp(r['settled_at']):%Y-%m-%d %H:%M} ({r['from']}){memo}{undone}"
        )
    return "\n".join(lines)


def exchange_project(project: Project, flt: ExportFilter | None = None, viewer: str | None = None) -> ExchangeProject:
    """Everything a .qdpx carries, from the store."""
    flt = flt or ExportFilter()
    with project.session() as session:
        frame = codings_frame(session, CodingFilter(), visible_coders(session, viewer))
        frame = table_builders.filter_codings(
            frame, codes=flt.codes, groups=flt.groups, coders=flt.coders, cases=flt.cases, channels=flt.channels
        )
        keys = corpus.document_keys(session)
        documents = [d for d in (corpus.load_document(session, k) for k in keys) if d is not None]
        if flt.cases is not None:
            documents = [d for d in documents if d.case_key in set(flt.cases)]
        if flt.channels is not None:
            documents = [d for d in documents if d.channel.value in set(flt.channels)]
        case_keys = sorted({d.case_key for d in documents})
        cases = [c for c in (corpus.load_case(session, k) for k in case_keys) if c is not None]
        book = codebook_store.stored_codebook(session)
    keep = {d.key for d in documents}
    codings = tuple(
        Coding(
            document=str(r["document"]),
            start=int(r["start"]),
            end=int(r["end"]),
            code=str(r["code"]),
            coder=str(r["coder"]),
            origin=Origin(str(r["origin"])),
            memo=str(r["memo"] or ""),
            detail=str(r["detail"] or ""),
            created=pd.Timestamp(r["created"]).to_pydatetime() if not pd.isna(r["created"]) else None,
            id=int(r["id"]),
        )
        for r in frame.to_dict("records")
        if r["document"] in keep
    )
    trail = consensus_trail(project, flt, viewer)
    memos = memo_service.export_memos(
        project, viewer, {c.id for c in codings if c.id is not None}, flt.coders, flt.cases,
        set(frame["code"]) if flt.codes is not None or flt.groups is not None else None, keep,
    )
    return ExchangeProject(
        name=project.settings.name,
        codebook=book,
        cases=tuple(cases),
        documents=tuple(documents),
        codings=codings,
        coders=tuple(sorted({c.coder for c in codings})),
        created=data_time(codings, documents),
        notes=((CONSENSUS_NOTE, trail_note(trail)),) if not trail.empty else (),
        decisions=settled(trail, keep),
        memos=tuple(memos),
    )


def settled(trail: pd.DataFrame, documents: set[str]) -> tuple[Settled, ...]:
    """The consensus decisions of the exported documents, as exchanged in a .qdpx."""
    return tuple(
        Settled(
            Coding(str(r["document"]), int(r["start"]), int(r["end"]), str(r["code_id"]), CONSENSUS_CODER,
                   Origin.CONSENSUS, str(r["memo"] or ""), str(r["from"] or ""),
                   pd.Timestamp(r["settled_at"]).to_pydatetime() if not pd.isna(r["settled_at"]) else None),
            str(r["settled_by"] or ""), r["decision"] == "withdrawn",
        )
        for r in trail.to_dict("records")
        if r["document"] in documents
    )


EPOCH = datetime(1980, 1, 1)
"""Time of an export with no dated coding or document (the earliest a zip can record)."""


def data_time(codings: Sequence[Coding], documents: Sequence[Document]) -> datetime:
    """The export's time stamp, taken from the data so two exports of one project are identical.

    The latest coding time, else the latest document start, else :data:`EPOCH`; it dates the
    project, its sources and the zip entries.
    """
    stamps = [c.created for c in codings if c.created is not None]
    if not stamps:
        stamps = [d.start for d in documents if d.start is not None]
    return max(stamps, key=lambda s: s.replace(tzinfo=None), default=EPOCH)


def export_qdpx(project: Project, out: Path | None = None, force: bool = False, flt: ExportFilter | None = None, viewer: str | None = None) -> ExportSummary:
    return write_qdpx(exchange_project(project, flt, viewer), out or default_target(project, "qdpx"), force=force)


def export_qdc(project: Project, out: Path | None = None, force: bool = False) -> ExportSummary:
    with project.session() as session:
        book = codebook_store.stored_codebook(session)
    return write_qdc(book, out or default_target(project, "qdc"), force=force)


@dataclass
class ImportReport:
    codes_added: int = 0
    documents: int = 0
    codings: int = 0
    memos: int = 0
    skipped_documents: list[str] = field(default_factory=list)
    missing_sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    """One line per kind of thing left out (or kept in another form), with counts."""
    mapping: list[str] = field(default_factory=list)
    """What each incoming code became (shown by ``--dry-run``)."""
    codes_matched: int = 0
    rebuilt_turns: int = 0
    """Documents whose turns were rebuilt from speaker codings (the metadata note was gone)."""
    coders: list[str] = field(default_factory=list)
    decisions: int = 0
    """Consensus decisions (kept and withdrawn) brought in with who settled them."""
    dry_run: bool = False


def import_codebook(project: Project, path: Path, dry_run: bool = False) -> ImportReport:
    """Bring in a REFI-QDA codebook (.qdc): new codes added, the project's own codes matched.

    Incoming codes are matched by GUID, then by name within the group
    (``qcode.codebook.matching``); ``dry_run`` only reports the mapping.
    """
    book = read_qdc(path)
    report = ImportReport(dry_run=dry_run)
    with _refused_as_message(path, "its codebook; nothing was imported"), project.session() as session:
        _apply_code_plan(session, book, report)
    return report


def import_qdpx(project: Project, path: Path, dry_run: bool = False) -> ImportReport:
    """Bring in a REFI-QDA project: codes, sources, cases, variables, coders and codings.

    Codings keep their coder (the file's user) and, for qcode's own exports, their origin;
    codings on sources whose text is not in the file cannot be placed and are reported.
    Incoming codes are matched to the project's (GUID, then name within the group), so a
    round trip through another tool adds no duplicate codes. Documents already in the project
    (same key) are skipped with their codings, so importing the same file twice changes
    nothing. ``dry_run`` reads and matches everything and stores nothing.

    Two transactions: the codebook (and coders) first, then documents, codings, decisions and
    memos, so a refusal of the second names what was stored by the first.
    """
    imported = read_qdpx(path)
    exchange = imported.project
    report = ImportReport(missing_sources=list(imported.missing_sources), warnings=list(imported.warnings),
                          summary=imported.tally.lines(),
                          coders=list(exchange.coders), dry_run=dry_run)
    with _refused_as_message(path, "its codebook; nothing was imported"), project.session() as session:
        plan = _apply_code_plan(session, exchange.codebook, report)
        if not dry_run:
            register_coders(session, exchange.coders, now())
        known = set(corpus.document_keys(session))
    incoming = _incoming(imported, plan.ids, known, report)
    if not dry_run:
        _store_incoming(project, path, exchange.cases, incoming, report)
    return report


def _apply_code_plan(session: Session, book: Codebook, report: ImportReport) -> CodePlan:
    """Match the incoming codes and store the new ones (a dry run rolls back); the report says how."""
    plan = plan_codes(session, book)
    report.mapping = plan.lines()
    report.codes_matched = sum(m.existing is not None for m in plan.matches)
    if report.dry_run:
        report.codes_added = len(plan.new_codes.codes)
        session.rollback()
    else:
        report.codes_added = store_codes(session, plan, now())
    return plan


@dataclass(frozen=True)
class _Incoming:
    """What of a read .qdpx will be stored: the documents new to the project and what lies on them."""

    documents: list[Document]
    texts: dict[str, str]
    """The new documents' text by key (every coding, decision and memo stored lies on one)."""
    codings: list[Coding]
    decisions: list[Settled]
    memos: list[Memo]


def _incoming(imported: ImportedProject, ids: dict[str, str], known: set[str], report: ImportReport) -> _Incoming:
    """The new documents and the codings, decisions and memos on them, codes renamed by ``ids``;
    the report counts them (a dry run's counts are what would be stored)."""
    exchange = imported.project
    missing_keys = {d.key for d in exchange.documents if not d.text}
    fresh = [d for d in exchange.documents if d.text and d.key not in known]
    report.skipped_documents = sorted(d.key for d in exchange.documents if d.key in known)
    texts = {d.key: d.text for d in fresh}
    placed = remap([c for c in exchange.codings if c.document in texts], ids)
    unplaced = sum(1 for c in exchange.codings if c.document in missing_keys)
    if unplaced:
        report.warnings.append(f"{unplaced} codings refer to missing sources and were not imported")
    decisions = [replace(d, coding=replace(d.coding, code=ids.get(d.coding.code, d.coding.code)))
                 for d in exchange.decisions if d.coding.document in texts and d.settled_by]
    memos = [replace(m, code=ids.get(m.code, m.code)) if m.code else m for m in exchange.memos]
    report.documents = len(fresh)
    report.codings = len(placed)
    report.decisions = len(decisions)
    report.rebuilt_turns = len(set(imported.rebuilt) & set(texts))
    report.memos = len(memos)  # storing gives the stored count
    return _Incoming(fresh, texts, placed, decisions, memos)


def _store_incoming(
    project: Project, path: Path, cases: Sequence[Case], incoming: _Incoming, report: ImportReport
) -> None:
    stored_codes = f"its documents and codings; none were stored ({report.codes_added} new codes were)"
    with _refused_as_message(path, stored_codes), project.session() as session:
        corpus.store_sources(
            session,
            [NewSource(f"{path}#{d.key}", _digest(path, d.key, d.text), "qdpx", cases, [d])
             for d in incoming.documents],
            now(),
        )
        _store_codings(session, path, incoming)
        report.memos, left_out = memo_service.store_imported(session, incoming.memos, set(incoming.texts))
        report.warnings.extend(left_out)


def _store_codings(session: Session, path: Path, incoming: _Incoming) -> None:
    """The codings, a consensus coding that was a kept decision as that decision (with who
    settled it), and the withdrawn decisions."""
    texts = incoming.texts
    kept = {_decision_key(d.coding): d.settled_by for d in incoming.decisions if not d.withdrawn}
    for c in incoming.codings:
        if not 0 <= c.start <= c.end <= len(texts[c.document]):  # name the file, not just the span
            raise ExportError(f"{path}: a coding of {c.document!r} lies outside its text")
        by = kept.get(_decision_key(c)) if c.coder == CONSENSUS_CODER else None
        if by:
            decision_store.add_decision(session, c, now(), by, withdrawn=False)
        else:
            coding_store.add_coding(session, c, now(), log=False)
    for d in incoming.decisions:
        if d.withdrawn and 0 <= d.coding.start <= d.coding.end <= len(texts[d.coding.document]):
            decision_store.add_decision(session, d.coding, now(), d.settled_by, withdrawn=True)


def _decision_key(c: Coding) -> tuple[str, int, int, str]:
    return (c.document, c.start, c.end, c.code)


@contextmanager
def _refused_as_message(path: Path, what: str) -> Iterator[None]:
    """Any refusal of the database while storing an import becomes a message, not a traceback.

    ``Project.session`` maps OperationalError (and rolls back); a foreign file can also make
    the database refuse a value (DataError: a text too large for a field; ValueError from the
    PostgreSQL driver: a NUL character), and the user must hear which file did it.
    """
    try:
        yield
    except QcodeError:
        raise
    except (SQLAlchemyError, ValueError, UnicodeError, OverflowError) as error:
        reason = getattr(error, "orig", None) or error
        first = str(reason).strip().splitlines()[0] if str(reason).strip() else type(reason).__name__
        raise StorageError(f"{path}: the database refused to store {what}: {first}") from None


def _digest(path: Path, key: str, text: str) -> str:
    """Identity of an imported source: the exchange file's name, the document and its text."""
    return hashlib.sha256(f"{path.name}\0{key}\0{text}".encode()).hexdigest()

