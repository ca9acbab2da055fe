"""Importing transcript files into a project: idempotent, per-file atomic, privacy-checked.

Each file is read, checked and stored in its own transaction, so a broken file in a folder of
good ones is reported (file:line) while the good ones land, and a failure never leaves half a
document behind. A file whose content hash is already stored is skipped; a file at a known path
whose content changed is reported, never silently imported twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qcode.errors import PersonalDataError, QcodeError, TranscriptParseError
from qcode.services.project import Project, now
from qcode.storage import corpus
from qcode.transcripts.encoding import decode_bytes
from qcode.transcripts.privacy import scan_personal_data
from qcode.transcripts.registry import read_source, sniff
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile, plan_sources


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
) -> ImportSummary:
    """Import files and folders; errors per file are collected, not raised."""
    summary = ImportSummary()
    sources = plan_sources(list(paths), manifest=manifest, fmt=fmt)
    if on_plan:
        on_plan(len(sources))
    roles = role_map(project)
    for source in sources:
        summary.files += 1
        try:
            _import_one(project, source, roles, allow_personal_data, summary)
        except QcodeError as error:
            summary.errors.append(str(error))
        except OSError as error:
            summary.errors.append(f"{source.path}: cannot read file ({error.strerror})")
        if on_file:
            on_file(source.path)
    return summary


def _import_one(
    project: Project,
    source: SourceFile,
    roles: RoleMap,
    allow_personal_data: bool,
    summary: ImportSummary,
) -> None:
    raw = source.path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    shown = str(source.path)
    with project.session() as session:
        known = corpus.source_by_hash(session, digest)
        if known is not None:
            summary.skipped.append(f"{shown}: already imported on {known.imported_at:%Y-%m-%d %H:%M}")
            return
        earlier = corpus.sources_by_path(session, shown)
        if earlier:
            summary.changed.append(
                f"{shown}: changed since it was imported on {earlier[-1].imported_at:%Y-%m-%d %H:%M}; "
                "not imported again (its codings refer to the old text)"
            )
            return
    text = decode_bytes(raw, source.path)
    findings = scan_personal_data(text)
    if findings and not allow_personal_data:
        raise PersonalDataError(
            shown, [f"{shown}:{f.line}: {f.kind}: {f.excerpt}" for f in findings]
        )
    result = read_source(source, text, roles)
    summary.warnings.extend(result.warnings)
    with project.session() as session:
        clash = corpus.existing_document_keys(session, [d.key for d in result.documents])
        if clash:
            raise TranscriptParseError(
                shown,
                None,
                f"document(s) {', '.join(sorted(clash))} already exist in the project "
                "(another file gave the same case and file name)",
            )
        fmt = source.fmt or sniff(source.path, text)
        corpus.store_source(session, shown, digest, fmt, result.cases, result.documents, now())
    summary.imported += 1
    summary.documents += len(result.documents)
    summary.utterances += sum(len(d.utterances) for d in result.documents)
    summary.cases.update(d.case_key for d in result.documents)
