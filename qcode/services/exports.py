"""Export services (tables, REFI-QDA) and REFI-QDA import into a project.

Tables and REFI files are built in ``qcode.export`` from frames and domain values; this module
gathers those from the store (respecting blind mode) and stores what an import brings in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from qcode.coding.model import CONSENSUS_CODER, Coding, Origin
from qcode.config import make_private_dir
from qcode.errors import ExportError, QcodeError, StorageError
from qcode.export import tables as table_builders
from qcode.export.refi_model import ExchangeProject
from qcode.export.refi_read import read_qdc, read_qdpx
from qcode.export.refi_write import write_qdc, write_qdpx
from qcode.export.summary import ExportSummary
from qcode.export.writers import write_tables
from qcode.services.coding import visible_coders
from qcode.services.frames import (
    cases_frame,
    codes_frame,
    codings_frame,
    documents_frame,
    utterances_frame,
)
from qcode.services.project import Project, now
from qcode.storage import codebooks as codebook_store
from qcode.storage import codings as coding_store
from qcode.storage import corpus
from qcode.storage.codings import CodingFilter
from qcode.storage.corpus import NewSource

TABLES = ("quotations", "quotations_long", "code_document", "code_case", "cooccurrence", "codebook", "presence")


@dataclass(frozen=True)
class ExportFilter:
    """Which codings go out; None means all. ``coders`` may name ``consensus``."""

    codes: Sequence[str] | None = None
    groups: Sequence[str] | None = None
    coders: Sequence[str] | None = None
    cases: Sequence[str] | None = None
    channels: Sequence[str] | None = None


def default_target(project: Project, fmt: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = project.folder / "exports"
    make_private_dir(folder)
    return folder / (f"qcode-{stamp}" if fmt == "csv" else f"qcode-{stamp}.{fmt}")


def build_tables(project: Project, flt: ExportFilter, viewer: str | None = None) -> dict[str, pd.DataFrame]:
    """All export tables, filtered as asked (blind mode applies to the viewer)."""
    with project.session() as session:
        codings = codings_frame(session, CodingFilter(), visible_coders(session, viewer))
        utterances = utterances_frame(session)
        documents = documents_frame(session)
        cases = cases_frame(session)
        codes = codes_frame(session)
    codings = table_builders.filter_codings(
        codings, codes=flt.codes, groups=flt.groups, coders=flt.coders, cases=flt.cases, channels=flt.channels
    )
    if flt.codes is not None or flt.groups is not None:
        keep = set(codings["code"])
        codes = codes[codes["code"].isin(keep)] if not codings.empty else codes.iloc[0:0]
    tables = {
        "quotations": table_builders.quotations(codings, utterances, documents, codes),
        "quotations_long": table_builders.quotations_long(codings, utterances, documents, codes),
        "code_document": table_builders.code_document_table(codings, codes, by="document"),
        "code_case": table_builders.code_document_table(codings, codes, by="case"),
        "cooccurrence": table_builders.cooccurrence_table(codings, codes),
        "codebook": table_builders.codebook_table(codings, codes),
        "presence": table_builders.presence_matrix(codings, cases, codes),
    }
    trail = consensus_trail(project, flt, viewer)
    if not trail.empty:
        tables["consensus_decisions"] = trail
    return tables


CONSENSUS_NOTE = "qcode consensus decisions"
"""Name of the REFI note that carries the audit trail of the consensus codings."""


def consensus_trail(project: Project, flt: ExportFilter, viewer: str | None = None) -> pd.DataFrame:
    """The consensus decisions (who settled what, when, from which codings, why) when the
    export includes the consensus codings, filtered like the codings."""
    from qcode.services.consensus import decisions

    if flt.coders is not None and CONSENSUS_CODER not in flt.coders:
        return pd.DataFrame()
    trail = decisions(project, viewer)
    if flt.codes is not None:
        wanted = {c.casefold() for c in flt.codes}
        trail = trail[trail["code"].str.casefold().isin(wanted) | trail["code_id"].str.casefold().isin(wanted)]
    for column, values in (("group", flt.groups), ("case", flt.cases), ("channel", flt.channels)):
        if values is not None:
            trail = trail[trail[column].astype(str).isin([str(v) for v in values])]
    return trail.reset_index(drop=True)


def trail_note(trail: pd.DataFrame) -> str:
    """The audit trail as plain text, one decision a line, for the REFI note."""
    lines = []
    for r in trail.to_dict("records"):
        where = f"{r['document']} #{r['utterance']}" if not pd.isna(r["utterance"]) else f"{r['document']} {r['start']}-{r['end']}"
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


def export_tables(
    project: Project,
    fmt: str,
    out: Path | None = None,
    sep: str = ",",
    force: bool = False,
    flt: ExportFilter | None = None,
    viewer: str | None = None,
) -> ExportSummary:
    tables = build_tables(project, flt or ExportFilter(), viewer)
    return write_tables(tables, out or default_target(project, fmt), fmt=fmt, sep=sep, force=force)  # type: ignore[arg-type]


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
        )
        for r in frame.to_dict("records")
        if r["document"] in keep
    )
    return ExchangeProject(
        name=project.settings.name,
        codebook=book,
        cases=tuple(cases),
        documents=tuple(documents),
        codings=codings,
        coders=tuple(sorted({c.coder for c in codings})),
        created=now(),
        notes=((CONSENSUS_NOTE, trail_note(trail)),) if not (trail := consensus_trail(project, flt, viewer)).empty else (),
    )


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
    skipped_documents: list[str] = field(default_factory=list)
    missing_sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def import_codebook(project: Project, path: Path) -> tuple[int, int]:
    """Bring in a REFI-QDA codebook (.qdc) as a codebook of this project."""
    book = read_qdc(path)
    with project.session() as session:
        return codebook_store.save_codebook(session, book, now())


def import_qdpx(project: Project, path: Path) -> ImportReport:
    """Bring in a REFI-QDA project: codes, sources, cases, variables and codings.

    Codings keep their coder (the file's user) and, for qcode's own exports, their origin;
    codings on sources whose text is not in the file cannot be placed and are reported.
    Documents already in the project (same key) are skipped with their codings, so importing
    the same file twice changes nothing.
    """
    imported = read_qdpx(path)
    exchange = imported.project
    report = ImportReport(missing_sources=list(imported.missing_sources), warnings=list(imported.warnings))
    missing_keys = {d.key for d in exchange.documents if not d.text}
    with _refused_as_message(path, "its codebook; nothing was imported"), project.session() as session:
        added, _ = codebook_store.save_codebook(session, exchange.codebook, now())
        report.codes_added = added
        known = set(corpus.document_keys(session))
    fresh = [d for d in exchange.documents if d.text and d.key not in known]
    report.skipped_documents = sorted(d.key for d in exchange.documents if d.key in known)
    texts = {d.key: d.text for d in fresh}
    placed = [c for c in exchange.codings if c.document in texts]
    unplaced = sum(1 for c in exchange.codings if c.document in missing_keys)
    if unplaced:
        report.warnings.append(f"{unplaced} codings refer to missing sources and were not imported")
    stored_codes = f"its documents and codings; none were stored ({added} new codes were)"
    with _refused_as_message(path, stored_codes), project.session() as session:
        corpus.store_sources(
            session,
            [NewSource(f"{path}#{d.key}", _digest(path, d.key, d.text), "qdpx", exchange.cases, [d]) for d in fresh],
            now(),
        )
        for c in placed:
            if not 0 <= c.start <= c.end <= len(texts[c.document]):  # name the file, not just the span
                raise ExportError(f"{path}: a coding of {c.document!r} lies outside its text")
            coding_store.add_coding(session, c, now(), log=False)
    report.documents = len(fresh)
    report.codings = len(placed)
    return report


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
