"""One file from bytes to checked documents: decode, read, privacy check.

Kept free of storage and services: the domain step of an import, testable without a project.
"""

from __future__ import annotations

from dataclasses import dataclass

from qcode.errors import PersonalDataError, QcodeError
from qcode.transcripts.encoding import decode_bytes
from qcode.transcripts.privacy import scan_document
from qcode.transcripts.registry import ReadResult, read_source, sniff
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile


@dataclass(frozen=True)
class ParsedFile:
    """A file's documents and the format it was read as, or the message why it was not."""

    result: ReadResult | None
    fmt: str = ""
    error: str = ""


def parse_file(source: SourceFile, raw: bytes, roles: RoleMap, allow_personal_data: bool) -> ParsedFile:
    """Parse one file; every problem a user can cause comes back as ``error`` with file:line."""
    shown = str(source.path)
    try:
        text = decode_bytes(raw, source.path)
        fmt = source.fmt or sniff(source.path, text)
        result = read_source(source, text, roles, fmt)
        findings = [f for doc in result.documents for f in scan_document(doc)]
        if findings and not allow_personal_data:
            raise PersonalDataError(shown, [f"{shown}:{f.line}: {f.kind}: {f.excerpt}" for f in findings])
        return ParsedFile(result, fmt)
    except QcodeError as error:
        return ParsedFile(None, error=str(error))
