"""The corpus of a project: importing transcript files into it, and reading it for display.

Importing is idempotent, atomic per file and privacy-checked. Every planned file becomes
exactly one outcome (:data:`qcode.transcripts.result.FileOutcome`), which goes unchanged into
the summary: :func:`read_file` reads and hashes it, skips it if its content is known, and
otherwise has :func:`~qcode.transcripts.parsing.parse_file` decode, read and privacy-check it.
Whatever a reader raises on one file, that file fails with its path (and line where known),
and the import goes on.

The files read are stored in batches (one transaction per batch, a few bulk statements),
because a transaction per file would make a 10,000-chat import take minutes. If storing a
batch fails, it is rolled back and its files are stored one per transaction, so a failing
file is reported with its name while the good ones land, and no file ever leaves half a
document behind.

Idempotency: a file whose content hash is already stored is skipped; a file at a known path
whose content changed is reported, never silently imported a second time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from qcode.errors import QcodeError, TranscriptParseError
from qcode.services.gc_pause import gc_paused
from qcode.services.project import Project, now
from qcode.storage import corpus
from qcode.storage.corpus import CaseSummary, CorpusCounts
from qcode.transcripts.model import Case, Document
from qcode.transcripts.parsing import parse_file
from qcode.transcripts.result import Changed, Failed, FileOutcome, Imported, Skipped
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

    def add(self, outcome: FileOutcome) -> None:
        """Count one file's final outcome (an ``Imported`` one once it is stored)."""
        if isinstance(outcome, Imported):
            self.imported += 1
            self.documents += len(outcome.documents)
            self.utterances += sum(len(d.utterances) for d in outcome.documents)
            self.cases.update(d.case_key for d in outcome.documents)
            self.warnings.extend(outcome.warnings)
        elif isinstance(outcome, Skipped):
            self.skipped.append(outcome.message)
        elif isinstance(outcome, Changed):
            self.changed.append(outcome.message)
        else:
            self.errors.append(outcome.message)


@dataclass
class KnownFiles:
    """What the project already holds (content hash and path -> import time), plus what this
    import has read so far; updated as files are read."""

    hashes: dict[str, datetime]
    paths: dict[str, datetime]

    def add(self, digest: str, path: str, at: datetime) -> None:
        self.hashes.setdefault(digest, at)
        self.paths.setdefault(path, at)


def role_map(project: Project) -> RoleMap:
    return RoleMap.default().with_labels(project.settings.roles)


def import_paths(
    project: Project,
    paths: Sequence[Path],
    fmt: str | None = None,
    manifest: Path | None = None,
    allow_personal_data: bool = False,
    on_file: Callable[[Path], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import files and folders; problems are collected per file in the summary, not raised.

    Raises:
        TranscriptParseError: A given path does not exist, or the case manifest is invalid
            (nothing is imported then).
    """
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
    sources = plan_sources(list(paths), manifest=manifest, fmt=fmt, problems=summary.errors)
    if on_plan:
        on_plan(len(sources))
    roles = role_map(project)
    at = now()
    with project.session() as session:
        hashes, known_paths, keys = corpus.import_index(session)
    known = KnownFiles(hashes, known_paths)
    batch: list[Imported] = []
    pending = 0
    for source in sources:
        summary.files += 1
        outcome = _new_keys(read_file(source, known, roles, allow_personal_data, at), keys)
        if isinstance(outcome, Imported):
            batch.append(outcome)
            pending += sum(len(d.utterances) for d in outcome.documents) + 1
        else:
            summary.add(outcome)
        if on_file:
            on_file(source.path)
        if pending >= BATCH_UTTERANCES:
            _store(project, batch, summary)
            batch, pending = [], 0
    _store(project, batch, summary)
    return summary


def read_file(
    source: SourceFile, known: KnownFiles, roles: RoleMap, allow_personal_data: bool, at: datetime
) -> FileOutcome:
    """Read, hash and (if it is new) parse one file; ``known`` learns its hash and path.

    ``at`` is the import's time, shown when a second copy of a file turns up in the same import.
    """
    shown = str(source.path)
    try:
        raw = source.path.read_bytes()
    except OSError as error:
        return Failed(TranscriptParseError(shown, None, f"cannot read file ({error.strerror})"))
    digest = hashlib.sha256(raw).hexdigest()
    if digest in known.hashes:
        return Skipped(shown, known.hashes[digest])
    if shown in known.paths:
        return Changed(shown, known.paths[shown])
    known.add(digest, shown, at)
    return parse_file(source, raw, digest, roles, allow_personal_data)


def _new_keys(outcome: FileOutcome, keys: set[str]) -> FileOutcome:
    """``outcome``, or a failure if one of its documents' keys is already taken (``keys``
    learns the keys of the files that pass)."""
    if not isinstance(outcome, Imported):
        return outcome
    clash = sorted(d.key for d in outcome.documents if d.key in keys)
    if clash:
        return Failed(
            TranscriptParseError(
                outcome.path, None,
                f"document(s) {', '.join(clash)} already exist in the project "
                "(another file gave the same case and file name)",
            )
        )
    keys.update(d.key for d in outcome.documents)
    return outcome


def _store(project: Project, batch: list[Imported], summary: ImportSummary) -> None:
    """Store a batch in one transaction; if that fails, each file in its own.

    A file that cannot be stored is rolled back whole and fails in the summary (a batch of
    one file is not tried twice).
    """
    if not batch:
        return
    error = _stored(project, batch)
    if error is None or len(batch) == 1:
        for outcome in batch:
            summary.add(outcome if error is None else _not_stored(outcome, error))
        return
    for outcome in batch:
        error = _stored(project, [outcome])
        summary.add(outcome if error is None else _not_stored(outcome, error))


def _stored(project: Project, batch: list[Imported]) -> Exception | None:
    """Store ``batch`` in one transaction; the error that rolled it back, or None."""
    try:
        with project.session() as session:
            corpus.store_sources(session, batch, now())
    except Exception as error:  # the caller finds the file(s) to blame
        return error
    return None


def _not_stored(outcome: Imported, error: Exception) -> Failed:
    return Failed(
        TranscriptParseError(
            outcome.path, None, f"could not be stored ({error}); nothing of it was kept"
        )
    )


def list_cases(project: Project) -> list[CaseSummary]:
    """Every case with its attributes and document counts."""
    with project.session() as session:
        return corpus.list_cases(session)


def get_document(project: Project, key: str) -> Document:
    with project.session() as session:
        doc = corpus.load_document(session, key)
    if doc is None:
        raise QcodeError(f"No document '{key}' in this project (see: qcode cases).")
    return doc


def resolve(project: Project, key: str) -> tuple[Case | None, list[Document]]:
    """A case key gives the case and its documents; a document key gives that document."""
    with project.session() as session:
        case = corpus.load_case(session, key)
        if case is not None:
            docs = [corpus.load_document(session, k) for k in corpus.document_keys(session, key)]
            return case, [d for d in docs if d is not None]
        doc = corpus.load_document(session, key)
    if doc is None:
        raise QcodeError(f"No case or document '{key}' in this project (see: qcode cases).")
    return None, [doc]


def counts(project: Project) -> CorpusCounts:
    with project.session() as session:
        return corpus.counts(session)


def document_keys(project: Project, case: str | None = None) -> list[str]:
    """Document keys in order, of one case or of the whole project."""
    with project.session() as session:
        return corpus.document_keys(session, case)
