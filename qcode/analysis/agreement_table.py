"""Reading a reliability table (``qcode agreement --data FILE.csv``).

Layout: a header row, then one row per unit; the first column is the unit id, every further
column one coder; an empty cell is a missing value. Numbers are read as numbers; when any cell
is not a number, every value is a nominal category and categories are numbered in sorted order.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from qcode.errors import QcodeError


class AgreementDataError(QcodeError, ValueError):
    """A reliability table is unusable; names the file and (1-based) line."""

    def __init__(self, path: str | Path, line: int | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}", title="Invalid reliability data")


_SNIFF_CHARACTERS = 2000
"""How much of the header row ``csv.Sniffer`` sees to tell the separator."""


def _as_number(cell: str) -> float | None:
    try:
        value = float(cell.replace(",", ".")) if cell.count(",") <= 1 else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def read_reliability_table(
    path: Path, level: str = "nominal"
) -> tuple[list[str], list[str], NDArray[np.float64]]:
    """Read a CSV reliability table.

    Args:
        path: the CSV file (comma, semicolon or tab separated; sniffed).
        level: the level the caller will use; non-numeric cells are refused unless nominal.

    Returns:
        ``(unit_ids, coder_names, matrix)`` with ``matrix`` coders × units, NaN for missing.

    Raises:
        AgreementDataError: unreadable file, ragged rows, duplicate unit ids, no coders, or
            text categories with a level other than nominal.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise AgreementDataError(path, None, f"cannot read file: {error}") from error
    lines = text.splitlines()
    if not lines:
        raise AgreementDataError(path, None, "the file is empty")
    try:
        # The sniffer's patterns are quadratic in the sample (7 s on 24,000 characters of
        # ',"a'); a header row of unit and coder names fits in far fewer.
        sample = lines[0][:_SNIFF_CHARACTERS]
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(lines, dialect)
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as error:
        reason = (
            f"a cell is longer than {csv.field_size_limit():,} characters"
            if "field limit" in str(error) else f"not readable as CSV ({error})"
        )
        raise AgreementDataError(path, reader.line_num, reason) from None
    header = [cell.strip() for cell in rows[0]]
    coders = header[1:]
    if not coders:
        raise AgreementDataError(path, 1, "need a unit id column and at least one coder column")
    unit_ids: list[str] = []
    cells: list[list[str]] = []
    lines_of_units: list[int] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise AgreementDataError(
                path, number, f"expected {len(header)} cells, found {len(row)}"
            )
        unit = row[0].strip()
        if unit in seen:
            raise AgreementDataError(path, number, f"unit id {unit!r} appears twice")
        seen.add(unit)
        unit_ids.append(unit)
        cells.append([cell.strip() for cell in row[1:]])
        lines_of_units.append(number)
    if not unit_ids:
        raise AgreementDataError(path, None, "no units (rows) after the header")
    return unit_ids, coders, _to_matrix(path, cells, lines_of_units, level)


def _to_matrix(
    path: Path, cells: list[list[str]], lines: list[int], level: str
) -> NDArray[np.float64]:
    matrix = np.full((len(cells[0]), len(cells)), np.nan)
    texts: dict[str, list[tuple[int, int]]] = {}
    for unit, (row, line) in enumerate(zip(cells, lines, strict=True)):
        for coder, cell in enumerate(row):
            if not cell:
                continue
            number = _as_number(cell)
            if number is None:
                if level != "nominal":
                    raise AgreementDataError(
                        path, line, f"{cell!r} is not a number; the {level} level needs numbers"
                    )
                texts.setdefault(cell, []).append((coder, unit))
            else:
                matrix[coder, unit] = number
    if texts:
        # Nominal categories: number every distinct cell text (numbers included, as text).
        for coder in range(matrix.shape[0]):
            for unit in range(matrix.shape[1]):
                if not math.isnan(matrix[coder, unit]):
                    texts.setdefault(cells[unit][coder], []).append((coder, unit))
        matrix[:] = np.nan
        for code, label in enumerate(sorted(texts)):
            for coder, unit in texts[label]:
                matrix[coder, unit] = code
    return matrix
