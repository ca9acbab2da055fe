"""Importing transcript files into a project: idempotent, atomic per file, privacy-checked.

Files are read, checked and parsed one by one; the parsed files are stored in batches (one
transaction per batch, a few bulk statements) because a transaction per file would make a
10,000-chat import take minutes. If storing a batch fails, the batch is rolled back and its
files are stored one per transaction, so a failing file is reported with its name while the
good ones land, and no file ever leaves half a document behind.

Idempotency: a file whose content hash is already stored is skipped; a file at a known path
whose content changed is reported, never silently imported a second time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from qcode.errors import PersonalDataError, QcodeError, TranscriptParseError
from qcode.services.project import Project, now
from qcode.storage import corpus
from qcode.storage.corpus import NewSource
from qcode.transcripts.encoding import decode_bytes
from qcode.transcripts.privacy import scan_document
from qcode.transcripts.registry import read_source, sniff
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile, plan_sources

BATCH_UTTERANCES = 20_000
"""Store a batch once it holds this many utterances (bounded memory, few transactions)."""


@dataclass
class ImportSummary:
    """What an import did, for the CLI summary and the TUI."""

    files: int = 0
    imported: int = 0
    cases: set[str] = field(default_factory=set)
    documents: int = 0
    utterances: int = 0
    skipped: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def role_map(project: Project) -> RoleMap:
    return RoleMap.default().with_labels(project.settings.roles)


@dataclass
class _Index:
    hashes: dict[str, datetime]
    paths: dict[str, datetime]
    keys: set[str]


def import_paths(
    project: Project,
    paths: Sequence[Path],
    fmt: str | None = None,
    manifest: Path | None = None,
    allow_personal_data: bool = False,
    on_file: Callable[[Path], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import files and folders; problems are collected per file in the summary, not raised."""
    summary = ImportSummary()
    sources = plan_sources(list(paths), manifest=manifest, fmt=fmt)
    if on_plan:
        on_plan(len(sources))
    roles = role_map(project)
    with project.session() as session:
        index = _Index(*corpus.import_index(session))
    batch: list[NewSource] = []
    pending = 0
    for source in sources:
        summary.files += 1
        try:
            parsed = _prepare(source, roles, allow_personal_data, index, summary)
        except QcodeError as error:
            summary.errors.append(str(error))
            parsed = None
        except OSError as error:
            summary.errors.append(f"{source.path}: cannot read file ({error.strerror})")
            parsed = None
        if parsed is not None:
            batch.append(parsed)
            pending += sum(len(d.utterances) for d in parsed.documents) + 1
        if pending >= BATCH_UTTERANCES:
            _store(project, batch, summary)
            batch, pending = [], 0
        if on_file:
            on_file(source.path)
    _store(project, batch, summary)
    return summary


def _prepare(
    source: SourceFile,
    roles: RoleMap,
    allow_personal_data: bool,
    index: _Index,
    summary: ImportSummary,
) -> NewSource | None:
    """Read, check and parse one file; None when it is skipped."""
    raw = source.path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    shown = str(source.path)
    if digest in index.hashes:
        summary.skipped.append(f"{shown}: already imported on {index.hashes[digest]:%Y-%m-%d %H:%M}")
        return None
    if shown in index.paths:
        summary.changed.append(
            f"{shown}: changed since it was imported on {index.paths[shown]:%Y-%m-%d %H:%M}; "
            "not imported again (its codings refer to the old text)"
        )
        return None
    text = decode_bytes(raw, source.path)
    result = read_source(source, text, roles)
    findings = [f for doc in result.documents for f in scan_document(doc)]
    if findings and not allow_personal_data:
        raise PersonalDataError(shown, [f"{shown}:{f.line}: {f.kind}: {f.excerpt}" for f in findings])
    clash = sorted(d.key for d in result.documents if d.key in index.keys)
    if clash:
        raise TranscriptParseError(
            shown,
            None,
            f"document(s) {', '.join(clash)} already exist in the project "
            "(another file gave the same case and file name)",
        )
    summary.warnings.extend(result.warnings)
    index.hashes[digest] = now()
    index.paths[shown] = index.hashes[digest]
    index.keys.update(d.key for d in result.documents)
    return NewSource(shown, digest, source.fmt or sniff(source.path, text), result.cases, result.documents)


def _count(summary: ImportSummary, stored: Sequence[NewSource]) -> None:
    for src in stored:
        summary.imported += 1
        summary.documents += len(src.documents)
        summary.utterances += sum(len(d.utterances) for d in src.documents)
        summary.cases.update(d.case_key for d in src.documents)


def _store(project: Project, batch: list[NewSource], summary: ImportSummary) -> None:
    if not batch:
        return
    try:
        with project.session() as session:
            corpus.store_sources(session, batch, now())
        _count(summary, batch)
        return
    except Exception:
        if len(batch) == 1:
            raise
    for src in batch:
        try:
            with project.session() as session:
                corpus.store_sources(session, [src], now())
            _count(summary, [src])
        except Exception as error:
            summary.errors.append(f"{src.path}: could not be stored ({error}); nothing of it was kept")
