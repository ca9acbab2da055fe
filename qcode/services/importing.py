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

from qcode.services.gc_pause import gc_paused
from qcode.services.project import Project, now
from qcode.storage import corpus
from qcode.storage.corpus import NewSource
from qcode.transcripts.parsing import ParsedFile, parse_file
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
    with gc_paused():  # millions of small objects: see gc_pause
        return _import_paths(project, paths, fmt, manifest, allow_personal_data, on_file, on_plan)


def _import_paths(
    project: Project,
    paths: Sequence[Path],
    fmt: str | None,
    manifest: Path | None,
    allow_personal_data: bool,
    on_file: Callable[[Path], None] | None,
    on_plan: Callable[[int], None] | None,
) -> ImportSummary:
    summary = ImportSummary()
    sources = plan_sources(list(paths), manifest=manifest, fmt=fmt)
    if on_plan:
        on_plan(len(sources))
    roles = role_map(project)
    with project.session() as session:
        index = _Index(*corpus.import_index(session))
    batch: list[NewSource] = []
    pending = 0
    # One file at a time from disk to batch (bounded memory, warm caches). Parsing and storing
    # stay in this thread: measured (docs/benchmarks.md, Import), parsing in worker processes
    # loses to pickling the documents back, and storing in a background thread loses to the
    # GIL (sqlite3 releases it for every row, then waits to get it back).
    for source in sources:
        summary.files += 1
        new = _new_file(source, index, summary)
        if new is not None:
            raw, digest = new
            parsed = parse_file(source, raw, roles, allow_personal_data)
            stored = _accept(source, digest, parsed, index, summary)
            if stored is not None:
                batch.append(stored)
                pending += sum(len(d.utterances) for d in stored.documents) + 1
            if pending >= BATCH_UTTERANCES:
                _merge(summary, _store(project, batch))
                batch, pending = [], 0
        if on_file:
            on_file(source.path)
    if batch:
        _merge(summary, _store(project, batch))
    return summary


def _new_file(source: SourceFile, index: _Index, summary: ImportSummary) -> tuple[bytes, str] | None:
    """The file's bytes and hash if it is new; None (and a note) if skipped or changed."""
    shown = str(source.path)
    try:
        raw = source.path.read_bytes()
    except OSError as error:
        summary.errors.append(f"{shown}: cannot read file ({error.strerror})")
        return None
    digest = hashlib.sha256(raw).hexdigest()
    if digest in index.hashes:
        summary.skipped.append(f"{shown}: already imported on {index.hashes[digest]:%Y-%m-%d %H:%M}")
        return None
    if shown in index.paths:
        summary.changed.append(
            f"{shown}: changed since it was imported on {index.paths[shown]:%Y-%m-%d %H:%M}; "
            "not imported again (its codings refer to the old text)"
        )
        return None
    index.hashes[digest] = now()
    index.paths[shown] = index.hashes[digest]
    return raw, digest


def _accept(
    source: SourceFile, digest: str, parsed: ParsedFile, index: _Index, summary: ImportSummary
) -> NewSource | None:
    """Check a parsed file against documents already known; the error or the file to store."""
    if parsed.result is None:
        summary.errors.append(parsed.error)
        return None
    documents = parsed.result.documents
    clash = sorted(d.key for d in documents if d.key in index.keys)
    if clash:
        summary.errors.append(
            f"{source.path}: document(s) {', '.join(clash)} already exist in the project "
            "(another file gave the same case and file name)"
        )
        return None
    summary.warnings.extend(parsed.result.warnings)
    index.keys.update(d.key for d in documents)
    return NewSource(str(source.path), digest, parsed.fmt, parsed.result.cases, documents)


@dataclass
class _Stored:
    """What storing one batch did: the files now in the project, the ones that failed."""

    stored: list[NewSource] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _merge(summary: ImportSummary, outcome: _Stored) -> None:
    for src in outcome.stored:
        summary.imported += 1
        summary.documents += len(src.documents)
        summary.utterances += sum(len(d.utterances) for d in src.documents)
        summary.cases.update(d.case_key for d in src.documents)
    summary.errors.extend(outcome.errors)


def _store(project: Project, batch: list[NewSource]) -> _Stored:
    """Store a batch in one transaction; if that fails, each file in its own.

    A file that cannot be stored is rolled back whole and named in the errors (a batch of one
    file is not tried twice).
    """
    try:
        with project.session() as session:
            corpus.store_sources(session, batch, now())
        return _Stored(stored=batch)
    except Exception as error:
        if len(batch) == 1:
            return _Stored(errors=[_not_stored(batch[0], error)])
    outcome = _Stored()
    for src in batch:
        try:
            with project.session() as session:
                corpus.store_sources(session, [src], now())
            outcome.stored.append(src)
        except Exception as error:
            outcome.errors.append(_not_stored(src, error))
    return outcome


def _not_stored(src: NewSource, error: Exception) -> str:
    return f"{src.path}: could not be stored ({error}); nothing of it was kept"
