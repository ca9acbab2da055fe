"""Importing transcript files into a project: idempotent, atomic per file, privacy-checked.

Files are read, checked and parsed one by one (:func:`qcode.services.import_step.read_step`),
in this process or, for large imports on several CPUs, in a worker process
(:mod:`qcode.services.import_worker`) while this one stores. The parsed files are stored in
batches (one transaction per batch, a few bulk statements) because a transaction per file
would make a 10,000-chat import take minutes. If storing a batch fails, the batch is rolled back and its
files are stored one per transaction, so a failing file is reported with its name while the
good ones land, and no file ever leaves half a document behind.

Idempotency: a file whose content hash is already stored is skipped; a file at a known path
whose content changed is reported, never silently imported a second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from qcode.services.gc_pause import gc_paused
from qcode.services.import_step import FileStep, KnownFiles, read_step
from qcode.services.import_worker import cpu_count, parsed_steps
from qcode.services.project import Project, now
from qcode.storage import corpus
from qcode.storage.corpus import NewSource
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile, plan_sources

BATCH_UTTERANCES = 20_000
"""Store a batch once it holds this many utterances (bounded memory, few transactions)."""

PARALLEL_MIN_BYTES = 6 * 1024 * 1024
"""From this size on, an import reads and parses in a worker process (when there is a second
CPU). Below it, the worker's fixed costs (about 0.2 s to start, and nothing stored until its
first batch is parsed) outweigh the gain. Measured with generated chats, medians of 3 (seconds,
worker against one process): 0.9 MB 0.56/0.20, 3.6 MB 1.16/0.95, 4.5 MB 1.43/1.40,
5.9 MB 1.60/1.69, 9.2 MB 2.31/2.70."""


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


def import_paths(
    project: Project,
    paths: Sequence[Path],
    fmt: str | None = None,
    manifest: Path | None = None,
    allow_personal_data: bool = False,
    on_file: Callable[[Path], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
    parallel: bool | None = None,
) -> ImportSummary:
    """Import files and folders; problems are collected per file in the summary, not raised.

    ``parallel``: read and parse in a worker process while this one stores (see
    :mod:`qcode.services.import_worker`); None decides by size: for at least
    ``PARALLEL_MIN_BYTES`` of files on a machine with more than one CPU. The result is the
    same either way.
    """
    with gc_paused():  # millions of small objects: see gc_pause
        return _import_paths(
            project, paths, fmt, manifest, allow_personal_data, on_file, on_plan, parallel
        )


def _import_paths(
    project: Project,
    paths: Sequence[Path],
    fmt: str | None,
    manifest: Path | None,
    allow_personal_data: bool,
    on_file: Callable[[Path], None] | None,
    on_plan: Callable[[int], None] | None,
    parallel: bool | None,
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
    if parallel is None:
        parallel = cpu_count() > 1 and _large(sources)
    batch: list[NewSource] = []
    pending = 0
    for frame in _frames(sources, known, roles, allow_personal_data, at, parallel):
        for step in frame:
            summary.files += 1
            stored = _take(step, known, keys, summary, at)
            if stored is not None:
                batch.append(stored)
                pending += sum(len(d.utterances) for d in stored.documents) + 1
            if on_file:
                on_file(step.source.path)
        if pending >= BATCH_UTTERANCES:
            _merge(summary, _store(project, batch))
            batch, pending = [], 0
    if batch:
        _merge(summary, _store(project, batch))
    return summary


def _large(sources: Sequence[SourceFile]) -> bool:
    """Whether the files hold at least PARALLEL_MIN_BYTES (stops counting once they do)."""
    total = 0
    for source in sources:
        with suppress(OSError):  # a file that cannot be read is reported when it is read
            total += source.path.stat().st_size
        if total >= PARALLEL_MIN_BYTES:
            return True
    return False


def _frames(
    sources: Sequence[SourceFile],
    known: KnownFiles,
    roles: RoleMap,
    allow_personal_data: bool,
    at: datetime,
    parallel: bool,
) -> Iterator[list[FileStep]]:
    """Every file's step, in order, in frames: from the worker while it works, then one file
    at a time from this process.

    A worker that cannot start or stops early leaves the rest to this process (``known`` is
    kept up to date from the steps taken, so nothing is read twice or missed).
    """
    done = 0
    if parallel:
        for frame in parsed_steps(sources, known, roles, allow_personal_data, at):
            done += len(frame)
            yield frame
    for source in sources[done:]:
        yield [read_step(source, known, roles, allow_personal_data, at)]


def _take(
    step: FileStep, known: KnownFiles, keys: set[str], summary: ImportSummary, at: datetime
) -> NewSource | None:
    """A file's step checked against the documents already known; the file to store, or None
    (and the note or error in the summary)."""
    if step.error:
        summary.errors.append(step.error)
    if step.skipped:
        summary.skipped.append(step.skipped)
    if step.changed:
        summary.changed.append(step.changed)
    parsed = step.parsed
    if parsed is None:
        return None
    source = step.source
    known.add(step.digest, str(source.path), at)  # a worker's steps: this process learns them here
    if parsed.result is None:
        summary.errors.append(parsed.error)
        return None
    documents = parsed.result.documents
    clash = sorted(d.key for d in documents if d.key in keys)
    if clash:
        summary.errors.append(
            f"{source.path}: document(s) {', '.join(clash)} already exist in the project "
            "(another file gave the same case and file name)"
        )
        return None
    summary.warnings.extend(parsed.result.warnings)
    keys.update(d.key for d in documents)
    return NewSource(str(source.path), step.digest, parsed.fmt, parsed.result.cases, documents)


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
