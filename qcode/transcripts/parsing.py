"""One file from bytes to checked documents: decode, read, privacy check.

Kept free of storage and services: the domain step of an import, testable without a project.
Whatever goes wrong with one file becomes that file's :class:`~qcode.transcripts.result.Failed`
outcome, never the import's: a reader that crashes on a hostile or broken file (a
``RecursionError``, an ``OverflowError``, a bug) must not stop the files after it.
"""

from __future__ import annotations

from qcode.errors import PersonalDataError, QcodeError, TranscriptParseError
from qcode.transcripts.encoding import decode_bytes
from qcode.transcripts.privacy import scan_document
from qcode.transcripts.registry import read_source, sniff
from qcode.transcripts.result import Failed, Imported
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile

_DETAIL_CHARS = 200
"""How much of an unexpected error's own message the user sees (a RecursionError's or a
regex's message can be long)."""


def parse_file(
    source: SourceFile, raw: bytes, sha256: str, roles: RoleMap, allow_personal_data: bool
) -> Imported | Failed:
    """Read one file's bytes into its documents, or say why not (file, and line where known)."""
    shown = str(source.path)
    fmt = source.fmt or ""
    try:
        text = decode_bytes(raw, source.path)
        fmt = fmt or sniff(source.path, text)
        result = read_source(source, text, roles, fmt)
        findings = [f for doc in result.documents for f in scan_document(doc)]
        if findings and not allow_personal_data:
            raise PersonalDataError(
                shown, [f"{shown}:{f.line}: {f.kind}: {f.excerpt}" for f in findings],
                findings[0].line,
            )
    except TranscriptParseError as error:
        return Failed(error)
    except QcodeError as error:  # another error a user can cause, without a line
        return Failed(TranscriptParseError(shown, None, str(error)))
    except Exception as error:  # one file's crash is that file's error
        failure = unreadable(shown, fmt, error)
        failure.__cause__ = error  # kept for whoever debugs the reader (and the fuzz tests)
        return Failed(failure)
    return Imported(shown, sha256, fmt, result.cases, result.documents, result.warnings)


def unreadable(path: str, fmt: str, error: BaseException) -> TranscriptParseError:
    """The error a user sees for a file a reader crashed on, naming what happened."""
    detail = str(error)
    if len(detail) > _DETAIL_CHARS:
        detail = detail[:_DETAIL_CHARS] + "…"
    kind = f"the {fmt} reader" if fmt else "reading it"
    return TranscriptParseError(
        path, None,  # where in the file the reader was is not known
        f"could not be read: {kind} failed ({type(error).__name__}: {detail or 'no detail'}); "
        "the file was not imported, the other files were. Please report this with the file",
    )
