"""The qcode error hierarchy.

Every error a user can cause derives from :class:`QcodeError`, so the CLI and the TUI can show
a clear message instead of a traceback. Errors about input files always name the file and,
where there is one, the line.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class QcodeError(Exception):
    """Root of all errors qcode reports to a user."""

    def __init__(self, message: str, title: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.title = title

    def __str__(self) -> str:
        return self.message


class TranscriptParseError(QcodeError, ValueError):
    """A transcript file could not be read; names the file and (1-based) line."""

    def __init__(self, path: str | Path, line: int | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}", title="Could not read transcript")


class PersonalDataError(TranscriptParseError):
    """A transcript still holds what looks like personal data; import refused.

    ``line`` is the first finding's line; ``findings`` lists every one as ``file:line: ...``.
    """

    def __init__(self, path: str | Path, findings: list[str], line: int | None = None) -> None:
        self.findings = findings
        listing = "\n".join(f"  {f}" for f in findings)
        super().__init__(
            path, line,
            f"possible personal data found, file not imported:\n{listing}\n"
            "Anonymise the file, or pass --allow-personal-data if these are false alarms.",
        )
        self.title = "Personal data found"


class CodebookError(QcodeError, ValueError):
    """A codebook or rules file is invalid; names file, line and field where known."""

    def __init__(
        self, path: str | Path, line: int | None, reason: str, field: str | None = None
    ) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        where = f"{self.path}:{line}" if line is not None else self.path
        what = f" (field '{field}')" if field else ""
        super().__init__(f"{where}{what}: {reason}", title="Invalid codebook")


class StorageError(QcodeError):
    """The project store refused an operation or could not be opened."""


class ConflictError(StorageError):
    """Another coder changed the same thing first (e.g. removed a coding being edited)."""


class ExportError(QcodeError):
    """An export or import of an exchange file failed."""


class CoderChoiceError(ExportError):
    """An export that would mix coders without the user saying so: a usage error (exit 2)."""

    exit_code = 2


class SuggestionError(QcodeError):
    """Suggestions could not be made (most often: no Dutch spaCy pipeline)."""


def closest_names(name: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The known names most like ``name``, best first, for a "did you mean" hint.

    rapidfuzz's ``WRatio`` on case-folded text (``default_process``) with a cut-off of 60: it
    finds a dropped letter (``Open vrag``), a swapped case (``Anna``) and a wrong date in a
    document key, and stays quiet on names that merely share a few letters.
    """
    from rapidfuzz import fuzz, process, utils

    candidates = sorted(set(known))
    found = process.extract(
        name, candidates, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit, score_cutoff=60
    )
    return [match for match, _score, _index in found]


class UnknownNameError(StorageError):
    """A code, coder, document, case or group name the project does not have.

    Every command refuses such a name with exit status 2 (a usage error, as click uses) and
    the closest names the project has, so a typo is never answered with an empty result.
    """

    exit_code = 2

    def __init__(self, kind: str, name: str, known: Iterable[str], see: str = "") -> None:
        self.kind = kind
        self.name = name
        self.suggestions = closest_names(name, known)
        if self.suggestions:
            hint = "; did you mean " + " or ".join(f"'{s}'" for s in self.suggestions) + "?"
        else:
            hint = "."
        where = f" (see: {see})" if see else ""
        super().__init__(f"No {kind} '{name}' in this project{hint}{where}", title=f"Unknown {kind}")
