"""Rows of a delimited text file (comma, semicolon or tab) with the line each row starts on.

Both the ``cases.csv`` manifest and the tabular transcript exports are such files, and a bad
row in either must be named by its line: the line a row *starts* on, since a quoted field may
run over several lines. A row the ``csv`` module refuses (a field over its size limit, a stray
quote) is that line's :class:`~qcode.errors.TranscriptParseError`, never a traceback.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qcode.errors import TranscriptParseError

DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    """The line the row starts on (1 is the header)."""
    values: dict[str, str]
    """Cell by case-folded header name, as written (not stripped)."""


def delimiter_of(header_line: str) -> str:
    """The delimiter the header line uses most (a comma when it has none)."""
    return max(DELIMITERS, key=header_line.count)


def delimited_rows(text: str, path: str | Path) -> tuple[list[str], Iterator[Row]]:
    """The case-folded header and the rows below it; blank rows are passed over.

    Raises (while the rows are read):
        TranscriptParseError: A row with another number of fields than the header, or one
            the ``csv`` module cannot read; names the row's first line.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text.split("\n", 1)[0]))
    first = _next(reader, path)
    header = [h.strip().casefold() for h in first or []]
    return header, _rows(reader, header, path)


def _next(reader: Iterator[list[str]], path: str | Path) -> list[str] | None:
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        raise TranscriptParseError(path, getattr(reader, "line_num", None), f"cannot read this row: {exc}") from None


def _rows(reader: Iterator[list[str]], header: list[str], path: str | Path) -> Iterator[Row]:
    previous_end: int = getattr(reader, "line_num", 0)
    while (values := _next(reader, path)) is not None:
        line, previous_end = previous_end + 1, getattr(reader, "line_num", 0)
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise TranscriptParseError(path, line, f"row has {len(values)} fields, the header {len(header)}")
        yield Row(line, dict(zip(header, values, strict=True)))
