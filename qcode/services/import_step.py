"""One file's part of an import before anything is stored: read, hash, check, parse.

The same step runs in the importing process and in the parse worker
(:mod:`qcode.services.import_worker`), so both ways of importing skip, refuse and read files
identically. Kept free of the database (no SQLAlchemy import): the worker process imports this
module, and its start-up time counts against every large import.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from qcode.transcripts.parsing import ParsedFile, parse_file
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile


@dataclass
class KnownFiles:
    """What the project already holds (content hash and path -> import time), plus what this
    import has read so far; updated as files are read."""

    hashes: dict[str, datetime]
    paths: dict[str, datetime]

    def add(self, digest: str, path: str, at: datetime) -> None:
        self.hashes.setdefault(digest, at)
        self.paths.setdefault(path, at)


@dataclass(frozen=True)
class FileStep:
    """What became of one file: parsed (``parsed`` set), or why not (one of the notes)."""

    source: SourceFile
    # The fields after ``source`` travel from the parse worker as a tuple, in this order.
    digest: str = ""
    parsed: ParsedFile | None = None
    skipped: str = ""
    """Already imported (same content): a note, not an error."""
    changed: str = ""
    """A file imported before from this path, whose content has changed since."""
    error: str = ""
    """The file could not be read."""


def read_step(
    source: SourceFile, known: KnownFiles, roles: RoleMap, allow_personal_data: bool, at: datetime
) -> FileStep:
    """Read, hash and (if it is new) parse one file; ``known`` learns its hash and path.

    ``at`` is the import's time, shown when a second copy of a file turns up in the same import.
    """
    shown = str(source.path)
    try:
        raw = source.path.read_bytes()
    except OSError as error:
        return FileStep(source, error=f"{shown}: cannot read file ({error.strerror})")
    digest = hashlib.sha256(raw).hexdigest()
    if digest in known.hashes:
        return FileStep(source, skipped=f"{shown}: already imported on {known.hashes[digest]:%Y-%m-%d %H:%M}")
    if shown in known.paths:
        return FileStep(
            source,
            changed=(
                f"{shown}: changed since it was imported on {known.paths[shown]:%Y-%m-%d %H:%M}; "
                "not imported again (its codings refer to the old text)"
            ),
        )
    known.add(digest, shown, at)
    return FileStep(source, digest, parse_file(source, raw, roles, allow_personal_data))
